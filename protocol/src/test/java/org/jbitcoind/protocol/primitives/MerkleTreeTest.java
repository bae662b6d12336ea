package org.jbitcoind.protocol.primitives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-place merkle computation against a plain level-by-level one built on {@link MerkleTree#hashPair}. */
class MerkleTreeTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1001})
    void matchesPlainComputation(int n) {
        List<Hash256> leaves = leaves(n);
        assertEquals(new MerkleTree.Result(plainRoot(leaves), false), MerkleTree.compute(leaves));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 7, 11, 1001})
    void repeatedOddLastLeafIsMutatedWithTheSameRoot(int n) {
        // CVE-2012-2459: an odd last leaf is paired with itself, so repeating it gives the same root.
        List<Hash256> leaves = leaves(n);
        List<Hash256> repeated = new ArrayList<>(leaves);
        repeated.add(leaves.get(n - 1));
        MerkleTree.Result odd = MerkleTree.compute(leaves);
        MerkleTree.Result even = MerkleTree.compute(repeated);
        assertFalse(odd.mutated());
        assertTrue(even.mutated());
        assertEquals(odd.root(), even.root());
    }

    private static List<Hash256> leaves(int n) {
        List<Hash256> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Hashes.hash256Of(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        return out;
    }

    private static Hash256 plainRoot(List<Hash256> leaves) {
        if (leaves.isEmpty()) {
            return Hash256.ZERO;
        }
        List<Hash256> level = leaves;
        while (level.size() > 1) {
            List<Hash256> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                up.add(MerkleTree.hashPair(level.get(i), level.get(Math.min(i + 1, level.size() - 1))));
            }
            level = up;
        }
        return level.get(0);
    }
}
