package org.jbitcoind.protocol.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.message.AlertMessage;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.BlockTxnMessage;
import org.jbitcoind.protocol.message.CFCheckptMessage;
import org.jbitcoind.protocol.message.CFHeadersMessage;
import org.jbitcoind.protocol.message.CFilterMessage;
import org.jbitcoind.protocol.message.CmpctBlockMessage;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.FeeFilterMessage;
import org.jbitcoind.protocol.message.FilterAddMessage;
import org.jbitcoind.protocol.message.FilterLoadMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.GetBlockTxnMessage;
import org.jbitcoind.protocol.message.GetCFCheckptMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFiltersMessage;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.PongMessage;
import org.jbitcoind.protocol.message.RejectMessage;
import org.jbitcoind.protocol.message.SendCmpctMessage;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * The generated part of the committed seed corpus: small valid encodings of every message and
 * primitive plus hand-made edge cases (non-canonical CompactSize, truncation, huge counts). Files
 * are named {@code seed-<name>}; Jazzer's findings ({@code crash-*}) sit beside them and are kept
 * as they are. {@link SeedCorpusTest} checks the committed files match and rewrites them when run
 * with {@code -Djbitcoind.fuzz.writeSeeds=true}.
 */
final class SeedCorpus {
    private static final int MAGIC = Network.REGTEST.magic();

    private SeedCorpus() {
    }

    /** Target directory ({@code <Class>Inputs/<method>}) to its seeds by name. */
    static Map<String, Map<String, byte[]>> all() {
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put("MessageFuzzTestInputs/decodeMessage", messageSeeds());
        all.put("EnvelopeFuzzTestInputs/frameStream", envelopeSeeds());
        all.put("TransactionFuzzTestInputs/deserialize", transactionSeeds());
        all.put("BlockFuzzTestInputs/deserialize", blockSeeds());
        all.put("AddrV2FuzzTestInputs/readV2", addrV2Seeds());
        all.put("AddressTextFuzzTestInputs/parse", addressTextSeeds());
        return all;
    }

    static Hash256 h(int seed) {
        return Hash256.wrap(Hashes.sha256(new byte[] {(byte) seed}));
    }

    static Transaction coinbase() {
        TxIn in = new TxIn(OutPoint.NULL, new byte[] {0x01, 0x65, 0x00}, TxIn.SEQUENCE_FINAL);
        return new Transaction(2, List.of(in), List.of(new TxOut(50_0000_0000L, new byte[] {0x51})), 0);
    }

    static Transaction legacyTx() {
        TxIn in = new TxIn(new OutPoint(h(1), 0), new byte[] {0x00, 0x47, 0x30}, 0xfffffffeL);
        return new Transaction(1, List.of(in), List.of(new TxOut(1000, new byte[] {0x76, (byte) 0xa9}),
                new TxOut(0, new byte[] {0x6a})), 500_000);
    }

    static Transaction segwitTx() {
        TxIn a = new TxIn(new OutPoint(h(2), 1), new byte[0], 0xfffffffdL, List.of(new byte[] {0x30, 0x44}, new byte[33]));
        TxIn b = new TxIn(new OutPoint(h(3), 7), new byte[] {0x16, 0x00}, TxIn.SEQUENCE_FINAL);
        return new Transaction(2, List.of(a, b), List.of(new TxOut(12345, new byte[] {0x00, 0x14})), 0);
    }

    static Block block() {
        List<Transaction> txs = List.of(coinbase(), legacyTx(), segwitTx());
        BlockHeader header = new BlockHeader(0x20000000, h(9), Hash256.ZERO, 1_700_000_000L, 0x207fffff, 2);
        Block unrooted = new Block(header, txs);
        return new Block(header.withMerkleRoot(unrooted.computeMerkleRoot().root()), txs);
    }

    static List<Message> sampleMessages() {
        Block block = block();
        PeerAddress v4 = new PeerAddress(1_700_000_000L, 1033, NetAddress.ipv4(127, 0, 0, 1), 18444);
        PeerAddress v6 = PeerAddress.parse("[2001:db8::1]:8333", 0);
        PeerAddress onion = PeerAddress.parse("2boy2eupcrkymvf456swszxglxgckeoasshdasbgp4kt6jobovnmb5ad.onion:8333", 0);
        List<Message> all = new ArrayList<>();
        all.add(new VersionMessage(70016, 1033, 1_700_000_000L, v4, v6, 0x1234567890abcdefL, "/jbitcoind:0.1.0/", 500, true));
        all.addAll(List.of(EmptyMessage.values()));
        all.add(new PingMessage(42));
        all.add(new PongMessage(-1));
        all.add(new AddrMessage(List.of(v4, v6)));
        all.add(new AddrV2Message(List.of(v4, new PeerAddress(5, 1L << 40, onion.address(), 8333))));
        for (InventoryMessage.Kind k : InventoryMessage.Kind.values()) {
            all.add(new InventoryMessage(k, List.of(new InvItem(InvItem.MSG_WITNESS_TX, h(1)), new InvItem(InvItem.MSG_BLOCK, h(2)))));
        }
        for (LocatorMessage.Kind k : LocatorMessage.Kind.values()) {
            all.add(new LocatorMessage(k, 70016, List.of(h(3), h(4)), Hash256.ZERO));
        }
        all.add(new HeadersMessage(List.of(block.header())));
        all.add(new BlockMessage(block));
        all.add(new TxMessage(segwitTx()));
        all.add(new FeeFilterMessage(1000));
        all.add(new SendCmpctMessage(true, 2));
        all.add(new CmpctBlockMessage(block.header(), 99, List.of(0x0000_ffff_ffff_ffffL, 1L),
                List.of(new CmpctBlockMessage.PrefilledTransaction(0, coinbase()),
                        new CmpctBlockMessage.PrefilledTransaction(3, segwitTx()))));
        all.add(new GetBlockTxnMessage(h(5), List.of(0, 1, 7, 300)));
        all.add(new BlockTxnMessage(h(5), List.of(legacyTx(), segwitTx())));
        all.add(new FilterLoadMessage(new byte[] {1, 2, 3}, 11, 5, 1));
        all.add(new FilterAddMessage(new byte[33]));
        all.add(new MerkleBlockMessage(block.header(), 3, List.of(h(6), h(7)), new byte[] {0x1d}));
        all.add(new GetCFiltersMessage(0, 100, h(8)));
        all.add(new CFilterMessage(0, h(8), new byte[] {1, 2}));
        all.add(new GetCFHeadersMessage(0, 100, h(8)));
        all.add(new CFHeadersMessage(0, h(8), h(9), List.of(h(10))));
        all.add(new GetCFCheckptMessage(0, h(8)));
        all.add(new CFCheckptMessage(0, h(8), List.of(h(11), h(12))));
        all.add(new RejectMessage("tx", 0x10, "bad-txns-inputs-missingorspent", h(13).bytes()));
        all.add(new AlertMessage(new byte[] {1, 2, 3}, new byte[] {4, 5}));
        return all;
    }

    private static Map<String, byte[]> messageSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (Message m : sampleMessages()) {
            String name = m.command();
            while (seeds.containsKey(name)) {
                name += "+";
            }
            seeds.put(name, select(m.command(), m.payload()));
        }
        byte[] hugeCount = new ByteWriter().writeU8(0xff).writeI64LE(-1).toByteArray();
        byte[] nonCanonicalOne = new ByteWriter().writeU8(0xfd).writeU16LE(1).toByteArray();
        for (String c : List.of("inv", "addr", "addrv2", "headers", "blocktxn", "cfcheckpt", "block", "tx")) {
            seeds.put(c + "-huge-count", select(c, hugeCount));
        }
        seeds.put("inv-noncanonical-count", select("inv", concat(nonCanonicalOne, new byte[InvItem.SIZE])));
        byte[] version = sampleMessages().get(0).payload();
        seeds.put("version-no-relay", select("version", java.util.Arrays.copyOf(version, version.length - 1)));
        byte[] relayTwo = version.clone();
        relayTwo[relayTwo.length - 1] = 2;
        seeds.put("version-relay-2", select("version", relayTwo));
        seeds.put("sendcmpct-flag-2", select("sendcmpct", new ByteWriter().writeU8(2).writeI64LE(2).toByteArray()));
        seeds.put("addrv2-unknown-network", select("addrv2", concat(new byte[] {3}, entry(99, new byte[7], 0),
                entry(1, new byte[] {10, 0, 0, 1}, 1), entry(42, new byte[0], 0))));
        seeds.put("version-truncated", select("version", java.util.Arrays.copyOf(version, 50)));
        seeds.put("getblocktxn-wrapping-index", select("getblocktxn", new ByteWriter().writeHash(h(5))
                .writeCompactSize(2).writeCompactSize(0).writeU8(0xff).writeI64LE(-1).toByteArray()));
        seeds.put("getblocktxn-index-past-16-bits", select("getblocktxn", new ByteWriter().writeHash(h(5))
                .writeCompactSize(1).writeCompactSize(0x10000).toByteArray()));
        seeds.put("headers-with-tx-count", select("headers", new ByteWriter().writeCompactSize(1)
                .writeBytes(block().header().serialize()).writeU8(1).toByteArray()));
        return seeds;
    }

    private static Map<String, byte[]> envelopeSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] ping = Frames.encode(MAGIC, new PingMessage(7));
        byte[] verack = Frames.encode(MAGIC, EmptyMessage.VERACK);
        byte[] version = Frames.encode(MAGIC, sampleMessages().get(0));
        byte[] unknown = Frames.encode(MAGIC, new UnknownMessage("futurecmd", new byte[] {1, 2}));
        seeds.put("handshake", concat(version, verack, ping));
        seeds.put("unknown-then-ping", concat(unknown, ping));
        byte[] badSum = ping.clone();
        badSum[20] ^= 1;
        seeds.put("bad-checksum-then-ping", concat(badSum, ping));
        seeds.put("partial-payload", java.util.Arrays.copyOf(version, version.length - 5));
        byte[] huge = ping.clone();
        writeLength(huge, 0xffffffff);
        seeds.put("length-4gib", huge);
        byte[] max = ping.clone();
        writeLength(max, 32 * 1024 * 1024);
        seeds.put("length-32mib", max);
        byte[] wrongMagic = ping.clone();
        wrongMagic[0] ^= 1;
        seeds.put("wrong-magic", wrongMagic);
        return seeds;
    }

    private static Map<String, byte[]> transactionSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("coinbase", coinbase().serialize());
        seeds.put("legacy", legacyTx().serialize());
        seeds.put("segwit", segwitTx().serialize());
        seeds.put("empty", new ByteWriter().writeI32LE(1).writeU8(0).writeU8(0).writeI32LE(0).toByteArray());
        byte[] legacy = legacyTx().serialize();
        byte[] superfluous = concat(java.util.Arrays.copyOf(legacy, 4), new byte[] {0, 1},
                java.util.Arrays.copyOfRange(legacy, 4, legacy.length - 4), new byte[] {0}, java.util.Arrays.copyOfRange(legacy, legacy.length - 4, legacy.length));
        seeds.put("superfluous-witness", superfluous);
        seeds.put("huge-input-count", new ByteWriter().writeI32LE(1).writeU8(0xfe).writeI32LE(-1).toByteArray());
        seeds.put("truncated", java.util.Arrays.copyOf(segwitTx().serialize(), 60));
        return seeds;
    }

    private static Map<String, byte[]> blockSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("three-txs", block().serialize());
        byte[] header = block().header().serialize();
        seeds.put("no-txs", concat(header, new byte[] {0}));
        seeds.put("huge-tx-count", concat(header, new ByteWriter().writeU8(0xff).writeI64LE(Long.MAX_VALUE).toByteArray()));
        seeds.put("header-only", header);
        return seeds;
    }

    private static Map<String, byte[]> addrV2Seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (NetworkId n : NetworkId.values()) {
            seeds.put(n.name().toLowerCase(java.util.Locale.ROOT), entry(n.id(), new byte[n.addressLength()], 1L << 3));
        }
        seeds.put("unknown-network-then-ipv4", concat(entry(99, new byte[7], 0), entry(1, new byte[] {10, 0, 0, 1}, 1)));
        seeds.put("ipv4-wrong-length", entry(1, new byte[5], 0));
        seeds.put("address-over-512", entry(99, new byte[513], 0));
        seeds.put("services-noncanonical", new ByteWriter().writeU32LE(0).writeU8(0xfd).writeU16LE(1).writeU8(1)
                .writeVarBytes(new byte[4]).writeU16BE(1).toByteArray());
        seeds.put("services-64-bit", entry(1, new byte[] {1, 2, 3, 4}, -1L));
        return seeds;
    }

    private static Map<String, byte[]> addressTextSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<String> texts = List.of("1.2.3.4:8333", "127.0.0.1", "[2001:db8::1]:18444", "2001:db8::1", "[fc00::1]:8333",
                "2boy2eupcrkymvf456swszxglxgckeoasshdasbgp4kt6jobovnmb5ad.onion:8333",
                "ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p:0", "1.2.3.4:8333 # a comment",
                "1.2.3.256", "[::1]:65536", "1.2.3.4:-1", "[::1", "::ffff:1.2.3.4");
        for (int i = 0; i < texts.size(); i++) {
            seeds.put(String.format("text-%02d", i), texts.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return seeds;
    }

    private static byte[] entry(int networkId, byte[] address, long services) {
        return new ByteWriter().writeU32LE(1_700_000_000L).writeCompactSize(services).writeU8(networkId)
                .writeVarBytes(address).writeU16BE(8333).toByteArray();
    }

    private static byte[] select(String command, byte[] payload) {
        return concat(new byte[] {FuzzCommands.indexOf(command)}, payload);
    }

    private static void writeLength(byte[] frame, int length) {
        frame[16] = (byte) length;
        frame[17] = (byte) (length >>> 8);
        frame[18] = (byte) (length >>> 16);
        frame[19] = (byte) (length >>> 24);
    }

    static byte[] concat(byte[]... parts) {
        ByteWriter w = new ByteWriter();
        for (byte[] p : parts) {
            w.writeBytes(p);
        }
        return w.toByteArray();
    }
}
