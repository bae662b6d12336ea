package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.fuzz.AllocationBudget;
import org.jbitcoind.protocol.fuzz.FuzzBytes;
import org.jbitcoind.protocol.fuzz.SeedFiles;
import org.jbitcoind.protocol.message.FilterAddMessage;
import org.jbitcoind.protocol.message.FilterLoadMessage;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.message.MessageCodec;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The light-client structures a peer controls: BIP37 bloom filters (filterload, filteradd and
 * matching against transactions), partial merkle trees from merkleblock, and BIP158 basic
 * filters. Only the documented checked exceptions may come out, decoding allocates in
 * proportion to the input, and what decodes re-encodes to its bytes.
 */
class BloomFilterFuzzTest {
    private static final int OP_ADD = 0;

    /**
     * Layout: u16-prefixed filterload payload, then a sequence of operations: u8 kind (even:
     * filteradd, odd: a transaction to match), u16-prefixed payload. Bits are only ever set:
     * matching may add outpoints but never removes anything, and an added element is contained.
     */
    @FuzzTest
    void filter(byte[] input) throws DecodeException {
        FuzzBytes in = new FuzzBytes(input);
        byte[] load = in.bytes16();
        BloomFilter filter;
        try {
            FilterLoadMessage msg = AllocationBudget.check(load.length,
                    () -> (FilterLoadMessage) MessageCodec.decode(FilterLoadMessage.COMMAND, load));
            filter = BloomFilter.fromMessage(msg);
        } catch (DecodeException | BloomFilterException refused) {
            return;
        }
        assertArrayEquals(load, filter.serialize(), "a loaded filter must serialize to its filterload payload");
        while (!in.exhausted()) {
            int kind = in.u8();
            byte[] payload = in.bytes16();
            byte[] before = filter.serialize();
            if (kind % 2 == OP_ADD) {
                add(filter, payload);
            } else {
                match(filter, payload);
            }
            assertOnlyBitsSet(before, filter.serialize());
        }
    }

    private static void add(BloomFilter filter, byte[] payload) {
        FilterAddMessage msg;
        try {
            msg = (FilterAddMessage) MessageCodec.decode(FilterAddMessage.COMMAND, payload);
            filter.add(msg);
        } catch (DecodeException | BloomFilterException refused) {
            return;
        }
        assertTrue(filter.contains(msg.data()), "an added element must be contained");
    }

    private static void match(BloomFilter filter, byte[] payload) throws DecodeException {
        Transaction tx;
        try {
            tx = AllocationBudget.check(payload.length, () -> Transaction.deserialize(payload));
        } catch (DecodeException malformed) {
            return;
        }
        boolean txidKnown = filter.contains(tx.txid());
        boolean relevant = filter.isRelevantAndUpdate(tx);
        assertTrue(relevant || !txidKnown, "a transaction whose txid is in the filter is relevant");
        if (relevant && (filter.flags() & BloomFilter.UPDATE_MASK) == BloomFilter.UPDATE_ALL) {
            // Any matched output's outpoint was added, so the spending transaction matches too.
            for (int i = 0; i < tx.outputs().size(); i++) {
                if (filter.contains(new OutPoint(tx.txid(), i))) {
                    Transaction spend = new Transaction(1, List.of(new TxIn(new OutPoint(tx.txid(), i), new byte[0], 0)),
                            List.of(), 0);
                    assertTrue(filter.isRelevantAndUpdate(spend), "a spend of a matched output is relevant");
                }
            }
        }
    }

    private static void assertOnlyBitsSet(byte[] before, byte[] after) {
        assertEquals(before.length, after.length, "the filter size never changes");
        for (int i = 0; i < before.length; i++) {
            assertEquals(0, before[i] & ~after[i], "filter bit cleared at byte " + i);
        }
    }

    /**
     * A merkleblock payload: decoding fails only with {@link DecodeException}, extraction only
     * with {@link MerkleProofException}; the tree re-encodes to the payload; extracted matches
     * are in block order and within the transaction count.
     */
    @FuzzTest
    void partialMerkleTree(byte[] payload) throws DecodeException, MerkleProofException {
        MerkleBlockMessage msg;
        try {
            msg = AllocationBudget.check(payload.length,
                    () -> (MerkleBlockMessage) MessageCodec.decode(MerkleBlockMessage.COMMAND, payload));
        } catch (DecodeException malformed) {
            return;
        }
        PartialMerkleTree tree = PartialMerkleTree.fromMessage(msg);
        assertArrayEquals(payload, tree.toMessage(msg.header()).payload(), "the tree must re-encode to the payload");
        PartialMerkleTree.Extracted extracted;
        try {
            extracted = AllocationBudget.check(payload.length, tree::extractMatches);
        } catch (MerkleProofException invalid) {
            return;
        }
        assertEquals(extracted.matches().size(), extracted.indexes().size());
        int previous = -1;
        for (int index : extracted.indexes()) {
            assertTrue(index > previous && index < tree.transactionCount(), "index " + index);
            previous = index;
        }
        assertEquals(extracted, tree.extractMatches(), "extraction is deterministic");
    }

    /**
     * Layout: 32-byte block hash, u8 query count, u16-prefixed query elements, then the encoded
     * filter. Decoding fails only with {@link DecodeException} and allocates in proportion to
     * the input (a claimed count of 2^32 elements must not allocate for them); matching one
     * element agrees with matching a set.
     */
    @FuzzTest
    void blockFilter(byte[] input) throws DecodeException {
        FuzzBytes in = new FuzzBytes(input);
        Hash256 blockHash = Hash256.wrap(java.util.Arrays.copyOf(in.bytes(32), 32));
        int queries = in.u8() % 8;
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            elements.add(in.bytes16());
        }
        byte[] encoded = in.rest();
        BlockFilter filter;
        try {
            filter = AllocationBudget.check(encoded.length, () -> BlockFilter.decodeBasic(blockHash, encoded));
        } catch (DecodeException malformed) {
            return;
        }
        assertArrayEquals(encoded, filter.encoded());
        assertTrue(filter.size() >= 0 && (long) filter.size() * (BlockFilter.BASIC_P + 1) <= 8L * encoded.length,
                filter.size() + " elements in " + encoded.length + " bytes");
        boolean any = false;
        for (byte[] e : elements) {
            boolean one = filter.match(e);
            assertEquals(one, filter.matchAny(List.of(e)), "match and matchAny must agree");
            any |= one;
        }
        assertEquals(any, filter.matchAny(elements), "matchAny is the OR of the single matches");
    }

    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        SeedFiles.check(getClass(), "filter", filterSeeds());
        SeedFiles.check(getClass(), "partialMerkleTree", merkleSeeds());
        SeedFiles.check(getClass(), "blockFilter", blockFilterSeeds());
    }

    private static final byte[] PUSHED = Hashes.sha256(new byte[] {'s', 'p', 'v'});

    private static Transaction sampleTx(int n) {
        byte[] p2pk = new ByteWriter().writeU8(33).writeU8(2).writeBytes(PUSHED).writeU8(0xac).toByteArray();
        return new Transaction(1, List.of(new TxIn(new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {(byte) n})), n),
                new byte[] {1, (byte) n}, TxIn.SEQUENCE_FINAL)), List.of(new TxOut(1000, p2pk),
                new TxOut(0, new byte[] {0x6a, 3, 'a', 'b', 'c'})), 0);
    }

    static Map<String, byte[]> filterSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (int flags : new int[] {BloomFilter.UPDATE_NONE, BloomFilter.UPDATE_ALL, BloomFilter.UPDATE_P2PUBKEY_ONLY}) {
            BloomFilter f = BloomFilter.create(10, 0.01, 7, flags);
            f.insert(PUSHED);
            ByteWriter w = new ByteWriter();
            byte[] load = f.serialize();
            w.writeU16LE(load.length).writeBytes(load);
            byte[] add = new FilterAddMessage(new byte[] {1, 2, 3}).payload();
            w.writeU8(0).writeU16LE(add.length).writeBytes(add);
            byte[] tx = sampleTx(1).serialize();
            w.writeU8(1).writeU16LE(tx.length).writeBytes(tx);
            seeds.put("update-" + flags, w.toByteArray());
        }
        byte[] empty = new FilterLoadMessage(new byte[0], 0, 0, 0).payload();
        seeds.put("empty-filter", new ByteWriter().writeU16LE(empty.length).writeBytes(empty).toByteArray());
        byte[] max = new FilterLoadMessage(new byte[] {(byte) 0xff}, 50, 0xffffffffL, 0xff).payload();
        seeds.put("limits", new ByteWriter().writeU16LE(max.length).writeBytes(max).toByteArray());
        return seeds;
    }

    static Map<String, byte[]> merkleSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<Hash256> txids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            txids.add(sampleTx(i).txid());
        }
        BlockHeader header = new BlockHeader(1, Hash256.ZERO, Hash256.ZERO, 0, 0x207fffffL, 0);
        seeds.put("seven-two-matched", PartialMerkleTree.build(txids, new boolean[] {false, true, false, false, false, false,
                true}).toMessage(header).payload());
        seeds.put("one", PartialMerkleTree.build(txids.subList(0, 1), new boolean[] {true}).toMessage(header).payload());
        seeds.put("none-matched", PartialMerkleTree.build(txids.subList(0, 4), new boolean[4]).toMessage(header).payload());
        seeds.put("huge-count", new MerkleBlockMessage(header, 0xffffffffL, List.of(txids.get(0)), new byte[] {1})
                .payload());
        return seeds;
    }

    static Map<String, byte[]> blockFilterSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<Transaction> txs = List.of(sampleTx(0), sampleTx(1), sampleTx(2));
        Block block = new Block(new BlockHeader(1, Hash256.ZERO, Hash256.ZERO, 0, 0x207fffffL, 0), txs);
        List<byte[]> spent = List.of(new byte[] {0x51}, new byte[] {0x52});
        BlockFilter filter = BlockFilter.buildBasic(block, spent);
        byte[] query = txs.get(0).outputs().get(0).scriptPubKey();
        seeds.put("three-txs", new ByteWriter().writeBytes(block.hash().bytes()).writeU8(2)
                .writeU16LE(query.length).writeBytes(query).writeU16LE(1).writeU8(0x53).writeBytes(filter.encoded())
                .toByteArray());
        seeds.put("empty", new ByteWriter().writeBytes(new byte[32]).writeU8(0).writeU8(0).toByteArray());
        // A claimed 2^32-1 elements with almost nothing behind it.
        seeds.put("huge-count", new ByteWriter().writeBytes(new byte[32]).writeU8(0).writeCompactSize(0xffffffffL)
                .writeU8(0).toByteArray());
        return seeds;
    }
}
