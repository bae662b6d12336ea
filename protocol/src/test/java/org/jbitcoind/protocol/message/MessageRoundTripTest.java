package org.jbitcoind.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageRoundTripTest {
    private static final int REGTEST_MAGIC = 0xfabfb5da;

    static Hash256 h(int seed) {
        return Hash256.wrap(Hashes.sha256(new byte[] {(byte) seed}));
    }

    static Block block() {
        return SharedData.decodeBlock(SharedData.readData("bcoin/block482683.raw"));
    }

    static Stream<Message> samples() {
        Block block = block();
        Transaction segwitTx = block.transactions().stream().filter(Transaction::hasWitness).findFirst().orElseThrow();
        PeerAddress v4 = new PeerAddress(1_700_000_000L, 1033, NetAddress.ipv4(127, 0, 0, 1), 18444);
        PeerAddress onion = PeerAddress.parse("2boy2eupcrkymvf456swszxglxgckeoasshdasbgp4kt6jobovnmb5ad.onion:8333", 8333);
        List<Message> all = new ArrayList<>();
        all.add(new VersionMessage(70016, 1033, 1_700_000_000L, v4, v4, 0x1234567890abcdefL, "/jbitcoind:0.1.0/", 500, true));
        all.add(new VersionMessage(70016, 0, 1_700_000_000L, v4, v4, 7, "/x/", 0, false));
        all.addAll(List.of(EmptyMessage.values()));
        all.add(new PingMessage(42));
        all.add(new PongMessage(-1));
        all.add(new AddrMessage(List.of(v4, v4)));
        all.add(new AddrV2Message(List.of(v4, new PeerAddress(5, 9, onion.address(), 8333))));
        for (InventoryMessage.Kind k : InventoryMessage.Kind.values()) {
            all.add(new InventoryMessage(k, List.of(new InvItem(InvItem.MSG_WITNESS_TX, h(1)), new InvItem(InvItem.MSG_BLOCK, h(2)))));
        }
        for (LocatorMessage.Kind k : LocatorMessage.Kind.values()) {
            all.add(new LocatorMessage(k, 70016, List.of(h(3), h(4)), Hash256.ZERO));
        }
        all.add(new HeadersMessage(List.of(block.header(), block.header())));
        all.add(new BlockMessage(block));
        all.add(new TxMessage(segwitTx));
        all.add(new FeeFilterMessage(1000));
        all.add(new SendCmpctMessage(true, 2));
        all.add(new CmpctBlockMessage(block.header(), 99, List.of(0x0000_ffff_ffff_ffffL, 1L),
                List.of(new CmpctBlockMessage.PrefilledTransaction(0, block.transactions().get(0)),
                        new CmpctBlockMessage.PrefilledTransaction(3, segwitTx))));
        all.add(new GetBlockTxnMessage(h(5), List.of(0, 1, 7, 100)));
        all.add(new BlockTxnMessage(h(5), List.of(segwitTx)));
        all.add(new FilterLoadMessage(new byte[] {1, 2, 3}, 11, 5, 1));
        all.add(new FilterAddMessage(new byte[33]));
        all.add(new MerkleBlockMessage(block.header(), 12, List.of(h(6), h(7)), new byte[] {0x1d}));
        all.add(new GetCFiltersMessage(0, 100, h(8)));
        all.add(new CFilterMessage(0, h(8), new byte[] {1, 2}));
        all.add(new GetCFHeadersMessage(0, 100, h(8)));
        all.add(new CFHeadersMessage(0, h(8), h(9), List.of(h(10))));
        all.add(new GetCFCheckptMessage(0, h(8)));
        all.add(new CFCheckptMessage(0, h(8), List.of(h(11), h(12))));
        all.add(new RejectMessage("tx", 0x10, "bad-txns", h(13).bytes()));
        all.add(new AlertMessage(new byte[] {1, 2, 3}, new byte[] {4, 5}));
        all.add(new UnknownMessage("futurecmd", new byte[] {9, 9}));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughFrames(Message m) throws DecodeException {
        byte[] frame = Frames.encode(REGTEST_MAGIC, m);
        Message back = Frames.decode(frame, REGTEST_MAGIC);
        assertEquals(m.command(), back.command());
        assertEquals(m.getClass(), back.getClass());
        assertArrayEquals(m.payload(), back.payload(), "decode then encode must give the same bytes");
        assertArrayEquals(frame, Frames.encode(REGTEST_MAGIC, back));
    }

    @Test
    void everyCommandTheIssueNamesHasASample() {
        Set<String> expected = new TreeSet<>(List.of("version", "verack", "ping", "pong", "addr", "addrv2",
                "sendaddrv2", "getaddr", "inv", "getdata", "notfound", "getblocks", "getheaders", "headers",
                "block", "tx", "mempool", "sendheaders", "feefilter", "sendcmpct", "cmpctblock", "getblocktxn",
                "blocktxn", "filterload", "filteradd", "filterclear", "merkleblock", "wtxidrelay", "getcfilters",
                "cfilter", "getcfheaders", "cfheaders", "getcfcheckpt", "cfcheckpt", "reject", "alert"));
        Set<String> covered = samples().map(Message::command).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(covered.containsAll(expected), "missing: " + expected.stream().filter(c -> !covered.contains(c)).toList());
        for (String c : expected) {
            assertFalse(decodeSample(c) instanceof UnknownMessage, c + " must have a real decoder");
        }
    }

    private static Message decodeSample(String command) {
        Message m = samples().filter(s -> s.command().equals(command)).findFirst().orElseThrow();
        try {
            return MessageCodec.decode(command, m.payload());
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void versionWithoutRelayFlagMeansRelay() throws DecodeException {
        VersionMessage v = (VersionMessage) samples().filter(m -> m instanceof VersionMessage vm && !vm.relay()).findFirst().orElseThrow();
        byte[] p = v.payload();
        byte[] withoutRelay = java.util.Arrays.copyOf(p, p.length - 1);
        VersionMessage back = (VersionMessage) MessageCodec.decode("version", withoutRelay);
        assertTrue(back.relay());
        assertEquals(v.userAgent(), back.userAgent());
        assertEquals(v.startHeight(), back.startHeight());
    }

    @Test
    void realBcoinHeadersEntry() throws DecodeException {
        byte[] entry = SharedData.readData("bcoin/headers1.raw");
        byte[] payload = new ByteWriter().writeCompactSize(1).writeBytes(entry).toByteArray();
        HeadersMessage m = (HeadersMessage) MessageCodec.decode("headers", payload);
        assertEquals(block1().hash(), m.headers().get(0).hash());
        assertArrayEquals(payload, m.payload());
    }

    private static Block block1() {
        return SharedData.decodeBlock(SharedData.readData("bcoin/block1.raw"));
    }

    @Test
    void realCompactBlocksRoundTripAndMatchTheirBlocks() throws DecodeException {
        for (String n : List.of("426884", "898352")) {
            byte[] raw = SharedData.readData("bcoin/compact" + n + ".raw");
            CmpctBlockMessage m = (CmpctBlockMessage) MessageCodec.decode("cmpctblock", raw);
            assertArrayEquals(raw, m.payload());
            Block full = SharedData.decodeBlock(SharedData.readData("bcoin/block" + n + ".raw"));
            assertEquals(full.hash(), m.header().hash());
            assertEquals(full.transactions().size(), m.blockTxCount());
            assertEquals(full.transactions().get(0).txid(), m.prefilled().get(0).tx().txid(), "coinbase is prefilled");
        }
    }

    @Test
    void realMerkleBlockRoundTrips() throws DecodeException {
        byte[] raw = SharedData.readData("bcoin/merkle300025.raw");
        MerkleBlockMessage m = (MerkleBlockMessage) MessageCodec.decode("merkleblock", raw);
        assertArrayEquals(raw, m.payload());
        Block full = SharedData.decodeBlock(SharedData.readData("bcoin/block300025.raw"));
        assertEquals(full.hash(), m.header().hash());
        assertEquals(full.transactions().size(), m.totalTransactions());
    }

    @Test
    void limitsAreEnforcedBeforeAllocation() {
        byte[] tooManyInv = new ByteWriter().writeCompactSize(InventoryMessage.MAX_ENTRIES + 1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("inv", tooManyInv));
        assertThrows(DecodeException.class, () -> MessageCodec.decode("getdata", tooManyInv));
        assertThrows(DecodeException.class, () -> MessageCodec.decode("notfound", tooManyInv));
        byte[] tooManyHeaders = new ByteWriter().writeCompactSize(HeadersMessage.MAX_HEADERS + 1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("headers", tooManyHeaders));
        byte[] tooManyAddr = new ByteWriter().writeCompactSize(AddrMessage.MAX_ENTRIES + 1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("addr", tooManyAddr));
        assertThrows(DecodeException.class, () -> MessageCodec.decode("addrv2", tooManyAddr));
        byte[] longLocator = new ByteWriter().writeI32LE(70016).writeCompactSize(LocatorMessage.MAX_LOCATOR_SIZE + 1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("getheaders", longLocator));
        assertThrows(DecodeException.class, () -> MessageCodec.decode("getblocks", longLocator));
        byte[] bigFilter = new FilterLoadMessage(new byte[FilterLoadMessage.MAX_FILTER_SIZE + 1], 1, 0, 0).payload();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("filterload", bigFilter));
        byte[] manyFuncs = new FilterLoadMessage(new byte[10], FilterLoadMessage.MAX_HASH_FUNCTIONS + 1, 0, 0).payload();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("filterload", manyFuncs));
        byte[] bigAdd = new FilterAddMessage(new byte[FilterAddMessage.MAX_DATA_SIZE + 1]).payload();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("filteradd", bigAdd));
        byte[] cfh = new ByteWriter().writeU8(0).writeHash(Hash256.ZERO).writeHash(Hash256.ZERO)
                .writeCompactSize(CFHeadersMessage.MAX_HEADERS + 1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("cfheaders", cfh));
        byte[] hugeCount = new ByteWriter().writeU8(0xff).writeI64LE(Long.MAX_VALUE).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("inv", hugeCount));
        VersionMessage longAgent = new VersionMessage(70016, 0, 0, new PeerAddress(0, 0, NetAddress.ipv4(1, 2, 3, 4), 1),
                new PeerAddress(0, 0, NetAddress.ipv4(1, 2, 3, 4), 1), 0, "x".repeat(257), 0, true);
        assertThrows(DecodeException.class, () -> MessageCodec.decode("version", longAgent.payload()));
    }

    @Test
    void headersWithTransactionsAreRejected() {
        byte[] payload = new ByteWriter().writeCompactSize(1).writeBytes(block1().header().serialize()).writeU8(1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("headers", payload));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void truncatedAndTrailingPayloadsAreRejected(Message m) {
        if (m instanceof UnknownMessage || m instanceof EmptyMessage || m instanceof RejectMessage) {
            return;
        }
        byte[] p = m.payload();
        if (m instanceof VersionMessage) {
            // The relay byte is optional; cut into the start height instead.
            assertThrows(DecodeException.class, () -> MessageCodec.decode(m.command(), java.util.Arrays.copyOf(p, p.length - 3)));
        } else {
            assertThrows(DecodeException.class, () -> MessageCodec.decode(m.command(), java.util.Arrays.copyOf(p, p.length - 1)));
        }
        byte[] trailing = java.util.Arrays.copyOf(p, p.length + 1);
        assertThrows(DecodeException.class, () -> MessageCodec.decode(m.command(), trailing));
    }

    @Test
    void emptyMessagesRejectPayload() {
        for (EmptyMessage e : EmptyMessage.values()) {
            assertThrows(DecodeException.class, () -> MessageCodec.decode(e.command(), new byte[] {0}));
        }
    }

    @Test
    void aSerializedBlockIsFramedExactlyLikeTheBlockMessage() throws DecodeException {
        Block block = block();
        assertTrue(block.transactions().stream().anyMatch(Transaction::hasWitness), "a block with witness data");
        Message stored = BlockMessage.serialized(block.serialize());
        assertEquals(BlockMessage.COMMAND, stored.command());
        byte[] frame = Frames.encode(REGTEST_MAGIC, stored);
        assertArrayEquals(Frames.encode(REGTEST_MAGIC, new BlockMessage(block, true)), frame);
        BlockMessage back = assertInstanceOf(BlockMessage.class, Frames.decode(frame, REGTEST_MAGIC));
        assertEquals(block.hash(), back.block().hash());
    }

    @Test
    void unknownCommandsCarryTheirPayload() throws DecodeException {
        Message m = MessageCodec.decode("xyzzy", new byte[] {1, 2, 3});
        UnknownMessage u = assertInstanceOf(UnknownMessage.class, m);
        assertEquals("xyzzy", u.command());
        assertArrayEquals(new byte[] {1, 2, 3}, u.rawPayload());
    }

    @Test
    void addrV2SkipsUnknownNetworksAndRejectsBadLengths() throws DecodeException {
        ByteWriter w = new ByteWriter().writeCompactSize(2);
        w.writeU32LE(1).writeCompactSize(1).writeU8(99).writeVarBytes(new byte[7]).writeU16BE(1);
        w.writeU32LE(1).writeCompactSize(1).writeU8(1).writeVarBytes(new byte[] {10, 0, 0, 1}).writeU16BE(8333);
        AddrV2Message m = (AddrV2Message) MessageCodec.decode("addrv2", w.toByteArray());
        assertEquals(1, m.addresses().size());
        assertEquals("10.0.0.1:8333", m.addresses().get(0).toHostPort());
        ByteWriter bad = new ByteWriter().writeCompactSize(1);
        bad.writeU32LE(1).writeCompactSize(1).writeU8(1).writeVarBytes(new byte[5]).writeU16BE(1);
        assertThrows(DecodeException.class, () -> MessageCodec.decode("addrv2", bad.toByteArray()));
        ByteWriter huge = new ByteWriter().writeCompactSize(1);
        huge.writeU32LE(1).writeCompactSize(1).writeU8(99).writeVarBytes(new byte[PeerAddress.MAX_ADDRV2_SIZE + 1]).writeU16BE(1);
        assertThrows(DecodeException.class, () -> MessageCodec.decode("addrv2", huge.toByteArray()));
    }

    @Test
    void envelopeChecks() {
        byte[] frame = Frames.encode(REGTEST_MAGIC, new PingMessage(1));
        assertThrows(DecodeException.class, () -> Frames.decode(frame, 0xf9beb4d9), "wrong magic");
        byte[] badSum = frame.clone();
        badSum[20] ^= 1;
        assertThrows(DecodeException.class, () -> Frames.decode(badSum, REGTEST_MAGIC), "bad checksum");
        byte[] badCmd = frame.clone();
        badCmd[4 + 4] = 'x'; // "pingx" is fine, but a byte after NUL padding is not
        badCmd[4 + 10] = 'y';
        assertThrows(DecodeException.class, () -> Frames.decode(badCmd, REGTEST_MAGIC), "data after NUL padding");
        byte[] ctrl = frame.clone();
        ctrl[4] = 1;
        assertThrows(DecodeException.class, () -> Frames.decode(ctrl, REGTEST_MAGIC), "control character");
        byte[] huge = frame.clone();
        huge[16] = (byte) 0xff;
        huge[17] = (byte) 0xff;
        huge[18] = (byte) 0xff;
        huge[19] = (byte) 0xff;
        DecodeException e = assertThrows(DecodeException.class, () -> MessageHeader.decode(huge, REGTEST_MAGIC));
        assertTrue(e.getMessage().contains("4294967295"));
        byte[] over = frame.clone();
        int len = MessageHeader.MAX_PAYLOAD_LENGTH + 1;
        over[16] = (byte) len;
        over[17] = (byte) (len >>> 8);
        over[18] = (byte) (len >>> 16);
        over[19] = (byte) (len >>> 24);
        assertThrows(DecodeException.class, () -> MessageHeader.decode(over, REGTEST_MAGIC), "33 MiB");
        byte[] truncated = java.util.Arrays.copyOf(frame, frame.length - 2);
        assertThrows(DecodeException.class, () -> Frames.decode(truncated, REGTEST_MAGIC));
    }

    /** Random and mutated input must only ever give a message or a DecodeException. */
    @Test
    void randomInputNeverEscapesAsAnotherException() {
        java.util.Random rnd = new java.util.Random(20261124);
        List<Message> seeds = samples().toList();
        int decoded = 0;
        for (int round = 0; round < 20_000; round++) {
            Message seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] p = seed.payload();
            byte[] input;
            if (rnd.nextInt(4) == 0 || p.length == 0) {
                input = new byte[rnd.nextInt(200)];
                rnd.nextBytes(input);
            } else {
                input = p.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    input[rnd.nextInt(input.length)] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextBoolean()) {
                    input = java.util.Arrays.copyOf(input, rnd.nextInt(input.length + 1));
                }
            }
            try {
                MessageCodec.decode(seed.command(), input);
                decoded++;
            } catch (DecodeException expected) {
                // the only allowed failure
            }
        }
        assertTrue(decoded > 0, "some mutations should still decode");
    }

    @Test
    void inventoryTypes() {
        assertEquals(0x40000001, InvItem.MSG_WITNESS_TX);
        assertEquals(0x40000002, InvItem.MSG_WITNESS_BLOCK);
        assertEquals(InvItem.MSG_BLOCK, new InvItem(InvItem.MSG_WITNESS_BLOCK, Hash256.ZERO).baseType());
        assertTrue(new InvItem(InvItem.MSG_WITNESS_BLOCK, Hash256.ZERO).wantsWitness());
        assertEquals(Collections.emptyList(), List.of());
    }
}
