package org.jbitcoind.protocol.primitives;

import java.security.MessageDigest;
import java.util.Arrays;
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
        int n = leaves.size();
        byte[] level = new byte[n * Hash256.LENGTH];
        for (int i = 0; i < n; i++) {
            leaves.get(i).copyTo(level, i * Hash256.LENGTH);
        }
        return computeInPlace(level, n);
    }

    /**
     * {@link #compute} over {@code n} leaf hashes laid out one after the other in {@code level}
     * (internal byte order), which is overwritten: each level of the tree replaces the one below
     * it at the front of the array, so the whole tree costs no allocation but the root.
     */
    public static Result computeInPlace(byte[] level, int n) {
        if (n == 0) {
            return new Result(Hash256.ZERO, false);
        }
        boolean mutated = false;
        MessageDigest md = Hashes.sha256Digest();
        while (n > 1) {
            mutated |= hasEqualPair(level, n);
            n = hashLevel(md, level, n);
        }
        return new Result(Hash256.of(level, 0), mutated);
    }

    /** Whether two hashes paired at this level are equal (CVE-2012-2459). */
    private static boolean hasEqualPair(byte[] level, int n) {
        for (int i = 0; i + 1 < n; i += 2) {
            int off = i * Hash256.LENGTH;
            if (Arrays.equals(level, off, off + Hash256.LENGTH, level, off + Hash256.LENGTH, off + 2 * Hash256.LENGTH)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the {@code n} hashes at the front of {@code level} by the (n+1)/2 of the level above;
     * an odd last hash is paired with itself. Parent i is written over child 2i after both children
     * have been fed to the digest, so no hash is overwritten before it is read.
     */
    private static int hashLevel(MessageDigest md, byte[] level, int n) {
        int parents = 0;
        for (int i = 0; i < n; i += 2) {
            int left = i * Hash256.LENGTH;
            if (i + 1 < n) {
                md.update(level, left, 2 * Hash256.LENGTH);
            } else {
                md.update(level, left, Hash256.LENGTH);
                md.update(level, left, Hash256.LENGTH);
            }
            Hashes.finishHash256Into(md, level, parents * Hash256.LENGTH);
            parents++;
        }
        return parents;
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
