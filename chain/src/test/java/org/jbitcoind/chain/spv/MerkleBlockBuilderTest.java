package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CMerkleBlock behaviour: real merkleblock messages reproduced byte for byte, and Core's merkle_block cases. */
class MerkleBlockBuilderTest {
    static final Hash256 MATCH_1 = Hash256.fromHex("5708f3c63be2baf9d478256cded8787c84f1eb8262c6751993a84cd04cf89373");
    static final Hash256 MATCH_2 = Hash256.fromHex("5ceec2d8ee90cb4b956870fac6055bead9333570f656ec3014307031de518cec");

    static byte[] bytes(MerkleBlockMessage msg) {
        ByteWriter w = new ByteWriter();
        msg.write(w);
        return w.toByteArray();
    }

    /**
     * bcoin's merkle300025 was made from block 300,025 and a fresh 1000-element, 1% NONE filter
     * holding a pubkey hash and a data push; the tweak does not change which transactions match.
     */
    @ParameterizedTest(name = "tweak {0}")
    @ValueSource(ints = {0, 1, 0xdeadbeef})
    void reproducesBcoinMerkleBlock300025(int tweak) {
        Block block = SharedData.decodeBlock(SharedData.readData("bcoin/block300025.raw"));
        BloomFilter filter = BloomFilter.create(1000, 0.01, tweak, BloomFilter.UPDATE_NONE);
        filter.insert(Hex.decode("8e7445bbb8abd4b3174d80fa4c409fea6b94d96b"));
        filter.insert(Hex.decode("047b00000078da0dca3b0ec2300c00d0ab4466ed10e763272c6c9ca052972c69e3884a9022084215e2eef"
                + "0e6f781656b5d5a87231cd4349e534b6dea55ad4ff55e"));
        FilteredBlock fb = MerkleBlockBuilder.build(block, filter);

        assertArrayEquals(SharedData.readData("bcoin/merkle300025.raw"), bytes(fb.merkleBlock()));
        assertEquals(List.of(MATCH_1, MATCH_2), fb.transactions().stream().map(Transaction::txid).toList());

        // bcoin's "extended" form appends the matched transactions: what a peer receives in total.
        ByteWriter extended = new ByteWriter();
        fb.merkleBlock().write(extended);
        extended.writeCompactSize(fb.matches().size());
        fb.transactions().forEach(tx -> tx.write(extended, false));
        assertArrayEquals(SharedData.readData("bcoin/merkle300025-extended.raw"), extended.toByteArray());
    }

    @Test
    void parsesBcoinMerkleBlock300025() throws Exception {
        byte[] raw = SharedData.readData("bcoin/merkle300025.raw");
        ByteReader r = new ByteReader(raw);
        MerkleBlockMessage msg = MerkleBlockMessage.read(r);
        r.expectEnd("merkleblock");
        assertEquals(Hash256.fromHex("0000000000000000821c4e0acc40f88bedbce3b73ba2358b5ade58a9022cc78c"), msg.header().hash());
        PartialMerkleTree.Extracted x = PartialMerkleTree.fromMessage(msg).extractMatches();
        assertEquals(msg.header().merkleRoot(), x.root());
        assertEquals(List.of(MATCH_1, MATCH_2), x.matches());
        Block block = SharedData.decodeBlock(SharedData.readData("bcoin/block300025.raw"));
        for (int i = 0; i < x.indexes().size(); i++) {
            assertEquals(x.matches().get(i), block.transactions().get(x.indexes().get(i)).txid());
        }
    }

    /** Core's merkle_block_3_and_serialize: a one-transaction block. */
    @Test
    void oneTransactionBlockSerializesLikeCore() throws Exception {
        Block block = Block.deserialize(Hex.decode("0100000079cda856b143d9db2c1caff01d1aecc8630d30625d10e8b4b8b000000000"
                + "0000b50cc069d6a3e33e3ff84a5c41d9d3febe7c770fdcc96b2c3ff60abe184f196367291b4d4c86041b8fa45d6301010000000"
                + "10000000000000000000000000000000000000000000000000000000000000000ffffffff08044c86041b020a02ffffffff0100f"
                + "2052a01000000434104ecd3229b0571c3be876feaac0442a9f13c5a572742927af1dc623353ecf8c202225f64868137a18cdd8"
                + "5cbbb4c74fbccfd4f49639cf1bdc94a5672bb15ad5d4cac00000000"));
        BloomFilter filter = BloomFilter.create(10, 0.000001, 0, BloomFilter.UPDATE_ALL);
        filter.insert(Hash256.fromHex("63194f18be0af63f2c6bc9dc0f777cbefed3d9415c4af83f3ee3a3d669c00cb5"));
        FilteredBlock fb = MerkleBlockBuilder.build(block, filter);
        assertEquals(1, fb.matches().size());
        assertEquals(0, fb.matches().get(0).index());
        assertEquals("0100000079cda856b143d9db2c1caff01d1aecc8630d30625d10e8b4b8b0000000000000b50cc069d6a3e33e3ff84a5c41d9d3febe"
                + "7c770fdcc96b2c3ff60abe184f196367291b4d4c86041b8fa45d630100000001b50cc069d6a3e33e3ff84a5c41d9d3febe7c770fdc"
                + "c96b2c3ff60abe184f19630101", Hex.encode(bytes(fb.merkleBlock())));
    }

    /** Core's merkle_block_1 on block 0000000000013b8a…: match the last transaction, then also the eighth. */
    @Test
    void matchesByTxidInBlockOrder() throws Exception {
        Block block = Block.deserialize(SharedData.hexFile("rust-bitcoin/block_13b8a.hex"));
        Hash256 last = Hash256.fromHex("74d681e0e03bafa802c8aa084379aa98d9fcd632ddc2ed9782b586ec87451f20");
        Hash256 eighth = Hash256.fromHex("dd1fd2a6fc16404faf339881a90adbde7f4f728691ac62e8f168809cdfae1053");
        BloomFilter filter = BloomFilter.create(10, 0.000001, 0, BloomFilter.UPDATE_ALL);
        filter.insert(last);
        FilteredBlock one = MerkleBlockBuilder.build(block, filter);
        assertEquals(List.of(8), one.matches().stream().map(FilteredBlock.Match::index).toList());
        checkProof(block, one, List.of(last));

        filter.insert(eighth);
        FilteredBlock two = MerkleBlockBuilder.build(block, filter);
        assertEquals(List.of(7, 8), two.matches().stream().map(FilteredBlock.Match::index).toList());
        checkProof(block, two, List.of(eighth, last));
    }

    static void checkProof(Block block, FilteredBlock fb, List<Hash256> expected) throws MerkleProofException {
        assertEquals(block.header(), fb.merkleBlock().header());
        PartialMerkleTree.Extracted x = PartialMerkleTree.fromMessage(fb.merkleBlock()).extractMatches();
        assertEquals(block.header().merkleRoot(), x.root());
        assertEquals(expected, x.matches());
    }

    /**
     * The first 4,313 mainnet blocks through one UPDATE_ALL filter seeded with the key paid by
     * block 9's coinbase: the matches must be exactly the transactions an independent walk finds
     * (outputs paying that key, and spends of any output already matched).
     */
    @Test
    void updateAllFollowsSpendsAcrossRealBlocks() throws Exception {
        List<Block> blocks = SharedData.blkBlocks("jeffchan-blockchain-parser/blk00000.dat");
        byte[] key = pushedKey(blocks.get(9).transactions().get(0).outputs().get(0).scriptPubKey());
        BloomFilter filter = BloomFilter.create(100, 0.000001, 7, BloomFilter.UPDATE_ALL);
        filter.insert(key);

        Set<OutPoint> followed = new HashSet<>();
        List<Hash256> expected = new ArrayList<>();
        List<Hash256> actual = new ArrayList<>();
        for (Block block : blocks) {
            for (Transaction tx : block.transactions()) {
                boolean pays = false;
                for (int i = 0; i < tx.outputs().size(); i++) {
                    if (containsPush(tx.outputs().get(i), key)) {
                        pays = true;
                        followed.add(new OutPoint(tx.txid(), i));
                    }
                }
                boolean spends = tx.inputs().stream().map(TxIn::prevout).anyMatch(followed::contains);
                if (pays || spends) {
                    expected.add(tx.txid());
                }
            }
            FilteredBlock fb = MerkleBlockBuilder.build(block, filter);
            fb.transactions().forEach(tx -> actual.add(tx.txid()));
            checkProof(block, fb, fb.transactions().stream().map(Transaction::txid).toList());
        }
        assertTrue(expected.size() >= 2, "block 9's coinbase and the block 170 spend at least");
        assertEquals(expected, actual);
    }

    private static byte[] pushedKey(byte[] p2pk) {
        assertTrue(PubKeyTemplates.isPayToPubKey(p2pk));
        byte[] key = new byte[p2pk.length - 2];
        System.arraycopy(p2pk, 1, key, 0, key.length);
        return key;
    }

    private static boolean containsPush(TxOut out, byte[] data) {
        ScriptOps ops = new ScriptOps(out.scriptPubKey());
        while (ops.next()) {
            if (java.util.Arrays.equals(ops.data(), data)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void noMatchStillProvesTheRoot() throws Exception {
        Block block = SharedData.decodeBlock(SharedData.readData("bcoin/block300025.raw"));
        BloomFilter filter = BloomFilter.create(10, 0.000001, 0, BloomFilter.UPDATE_ALL);
        filter.insert(new byte[] {1, 2, 3});
        FilteredBlock fb = MerkleBlockBuilder.build(block, filter);
        assertTrue(fb.matches().isEmpty());
        assertEquals(List.of(block.header().merkleRoot()), fb.merkleBlock().hashes());
        checkProof(block, fb, List.of());
        assertFalse(fb.merkleBlock().totalTransactions() != 461);
    }
}
