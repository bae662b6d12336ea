package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.MerkleTree;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Partial merkle trees on real blocks: random match sets round-trip through the wire form; malformed trees are rejected. */
class PartialMerkleTreeTest {

    static Block block(String path) {
        if (path.endsWith(".hex")) {
            return SharedData.decodeBlock(SharedData.hexFile(path));
        }
        return SharedData.decodeBlock(path.startsWith("core:") ? SharedData.read(SharedData.vector(path.substring(5)))
                : SharedData.readData(path));
    }

    static Stream<Arguments> randomMatchSets() {
        List<Arguments> out = new ArrayList<>();
        String[] blocks = {"bcoin/block1.raw", "rust-bitcoin/block_13b8a.hex", "bcoin/block482683.raw",
            "bitcoinj/block169482.dat", "bcoin/block300025.raw", "core:block413567.raw"};
        double[] densities = {0.0, 0.001, 0.05, 0.5, 1.0};
        for (String b : blocks) {
            for (double d : densities) {
                out.add(Arguments.of(b, d, (long) (b.hashCode() * 31 + Double.hashCode(d))));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} density {1}")
    @MethodSource("randomMatchSets")
    void randomMatchesRoundTripAndVerify(String path, double density, long seed) throws Exception {
        Block block = block(path);
        List<Hash256> txids = block.transactions().stream().map(Transaction::txid).toList();
        Random rnd = new Random(seed);
        boolean[] match = new boolean[txids.size()];
        List<Hash256> expected = new ArrayList<>();
        List<Integer> expectedIndexes = new ArrayList<>();
        for (int i = 0; i < match.length; i++) {
            match[i] = density >= 1.0 || rnd.nextDouble() < density;
            if (match[i]) {
                expected.add(txids.get(i));
                expectedIndexes.add(i);
            }
        }
        PartialMerkleTree tree = PartialMerkleTree.build(txids, match);
        MerkleBlockMessage sent = tree.toMessage(block.header());
        ByteWriter w = new ByteWriter();
        sent.write(w);
        ByteReader r = new ByteReader(w.toByteArray());
        MerkleBlockMessage received = MerkleBlockMessage.read(r);
        r.expectEnd("merkleblock");

        PartialMerkleTree.Extracted x = PartialMerkleTree.fromMessage(received).extractMatches();
        assertEquals(block.header().merkleRoot(), x.root());
        assertEquals(expected, x.matches());
        assertEquals(expectedIndexes, x.indexes());
        assertEquals(txids.size(), received.totalTransactions());
        // Never more hashes than leaves, and a proof of k leaves needs at most k*height + 1 of them.
        assertTrue(received.hashes().size() <= Math.max(1, Math.min(txids.size(), expected.size() * 32 + 1)));
    }

    /** The wire form of a tree over these txids matching the given leaves. */
    static MerkleBlockMessage proof(List<Hash256> txids, int... matched) {
        boolean[] m = new boolean[txids.size()];
        for (int i : matched) {
            m[i] = true;
        }
        BlockHeader header = new BlockHeader(1, Hash256.ZERO, MerkleTree.root(txids), 0, 0x207fffff, 0);
        return PartialMerkleTree.build(txids, m).toMessage(header);
    }

    static List<Hash256> fakeTxids(int n) {
        List<Hash256> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[32];
            b[0] = (byte) i;
            b[1] = (byte) (i >> 8);
            b[31] = 0x55;
            ids.add(Hash256.wrap(b));
        }
        return ids;
    }

    static MerkleProofException rejected(MerkleBlockMessage m) {
        return assertThrows(MerkleProofException.class, () -> PartialMerkleTree.fromMessage(m).extractMatches());
    }

    static MerkleBlockMessage with(MerkleBlockMessage m, long total, List<Hash256> hashes, byte[] flags) {
        return new MerkleBlockMessage(m.header(), total, hashes, flags);
    }

    @Test
    void rejectsImpossibleTransactionCounts() {
        MerkleBlockMessage m = proof(fakeTxids(5), 2);
        rejected(with(m, 0, m.hashes(), m.flags()));
        MerkleProofException e = rejected(with(m, PartialMerkleTree.MAX_TRANSACTIONS + 1, m.hashes(), m.flags()));
        assertTrue(e.getMessage().contains("16667"));
        rejected(with(m, 2, m.hashes(), m.flags())); // more hashes than transactions
    }

    @Test
    void rejectsMissingOrExtraHashesAndBits() {
        MerkleBlockMessage m = proof(fakeTxids(11), 3, 9);
        List<Hash256> fewer = m.hashes().subList(0, m.hashes().size() - 1);
        assertTrue(rejected(with(m, 11, fewer, m.flags())).getMessage().contains("ran out of hashes"));

        List<Hash256> more = new ArrayList<>(m.hashes());
        more.add(Hash256.ZERO);
        assertTrue(rejected(with(m, 11, more, m.flags())).getMessage().contains("unused hashes"));

        byte[] longer = java.util.Arrays.copyOf(m.flags(), m.flags().length + 1);
        assertTrue(rejected(with(m, 11, m.hashes(), longer)).getMessage().contains("unused flag bytes"));

        rejected(with(m, 11, m.hashes(), new byte[0])); // fewer flag bits than hashes
        MerkleBlockMessage single = proof(fakeTxids(1), 0);
        assertTrue(rejected(with(single, 1, List.of(), single.flags())).getMessage().contains("ran out of hashes"));
    }

    @Test
    void runningOutOfFlagBitsIsRejected() {
        // One match deep in a 40-leaf tree: a dozen flag bits but only about six hashes.
        MerkleBlockMessage m = proof(fakeTxids(40), 39);
        assertTrue(m.flags().length == 2 && m.hashes().size() <= 8);
        MerkleBlockMessage truncated = with(m, 40, m.hashes(), new byte[] {m.flags()[0]});
        assertTrue(rejected(truncated).getMessage().contains("ran out of flag bits"));
    }

    /**
     * CVE-2012-2459: [a, b, c] and [a, b, c, c] have the same root. A proof built over the
     * duplicated list hashes two identical siblings, which extraction must refuse.
     */
    @Test
    void rejectsDuplicatedSiblingSubtrees() {
        List<Hash256> ids = fakeTxids(3);
        List<Hash256> mutated = new ArrayList<>(ids);
        mutated.add(ids.get(2));
        assertEquals(MerkleTree.root(ids), MerkleTree.root(mutated));
        assertTrue(rejected(proof(mutated, 3)).getMessage().contains("CVE-2012-2459"));
        assertTrue(rejected(proof(mutated, 2)).getMessage().contains("CVE-2012-2459"));
    }

    @Test
    void oddLevelDuplicationIsNotAMutation() throws Exception {
        List<Hash256> ids = fakeTxids(3);
        PartialMerkleTree.Extracted x = PartialMerkleTree.fromMessage(proof(ids, 2)).extractMatches();
        assertEquals(MerkleTree.root(ids), x.root());
        assertEquals(List.of(ids.get(2)), x.matches());
        assertEquals(List.of(2), x.indexes());
    }

    @Test
    void buildRejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> PartialMerkleTree.build(fakeTxids(2), new boolean[3]));
        assertThrows(IllegalArgumentException.class, () -> PartialMerkleTree.build(List.of(), new boolean[0]));
    }
}
