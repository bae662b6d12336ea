package org.jbitcoind.protocol.primitives;

import java.security.MessageDigest;
import java.util.List;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/** Bitcoin's merkle tree over txids (or wtxids), with the odd-level duplication rule. */
public final class MerkleTree {
    private MerkleTree() {
    }

    /**
     * The root, and whether the list was "mutated": two equal adjacent hashes at some level mean
     * another transaction list has the same root (CVE-2012-2459), so a block with such a list is
     * not proof that the block with this header is invalid.
     */
    public record Result(Hash256 root, boolean mutated) {
    }

    public static Result compute(List<Hash256> leaves) {
        if (leaves.isEmpty()) {
            return new Result(Hash256.ZERO, false);
        }
        byte[][] level = new byte[leaves.size()][];
        for (int i = 0; i < level.length; i++) {
            level[i] = leaves.get(i).bytes();
        }
        boolean mutated = false;
        int n = level.length;
        MessageDigest md = Hashes.sha256Digest();
        while (n > 1) {
            for (int i = 0; i + 1 < n; i += 2) {
                if (java.util.Arrays.equals(level[i], level[i + 1])) {
                    mutated = true;
                }
            }
            int next = 0;
            for (int i = 0; i < n; i += 2) {
                byte[] left = level[i];
                byte[] right = i + 1 < n ? level[i + 1] : left;
                md.update(left);
                md.update(right);
                byte[] first = md.digest();
                md.update(first);
                level[next++] = md.digest();
            }
            n = next;
        }
        return new Result(Hash256.wrap(level[0]), mutated);
    }

    public static Hash256 root(List<Hash256> leaves) {
        return compute(leaves).root();
    }

    public static Hash256 hashPair(Hash256 left, Hash256 right) {
        MessageDigest md = Hashes.sha256Digest();
        md.update(left.bytes());
        md.update(right.bytes());
        byte[] first = md.digest();
        md.update(first);
        return Hash256.wrap(md.digest());
    }
}
