package org.jbitcoind.chain.spv;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.MerkleTree;

/**
 * BIP37's partial merkle tree (Core's CPartialMerkleTree): the block's transaction count, the
 * hashes of the pruned subtrees and matched leaves in depth-first order, and one flag bit per
 * visited node (1 = an ancestor of a match, or the match itself). Built from txids plus match
 * flags; read back with {@link #extractMatches()}, which applies every sanity check Core does.
 */
public final class PartialMerkleTree {
    /** No valid block can hold more transactions than this (Core: MAX_BLOCK_WEIGHT / MIN_TRANSACTION_WEIGHT). */
    public static final long MAX_TRANSACTIONS = Consensus.MAX_BLOCK_WEIGHT / Consensus.MIN_TRANSACTION_WEIGHT;

    private final long transactionCount;
    private final List<Hash256> hashes;
    private final BitSet bits;
    private final int bitCount;

    private PartialMerkleTree(long transactionCount, List<Hash256> hashes, BitSet bits, int bitCount) {
        this.transactionCount = transactionCount;
        this.hashes = List.copyOf(hashes);
        this.bits = bits;
        this.bitCount = bitCount;
    }

    /** The matched leaves, their positions in the block and the root the proof commits to. */
    public record Extracted(Hash256 root, List<Hash256> matches, List<Integer> indexes) {
        public Extracted {
            matches = List.copyOf(matches);
            indexes = List.copyOf(indexes);
        }
    }

    /** Builds the tree for {@code txids} proving exactly the leaves whose {@code matches} flag is set. */
    public static PartialMerkleTree build(List<Hash256> txids, boolean[] matches) {
        if (txids.size() != matches.length) {
            throw new IllegalArgumentException(txids.size() + " txids but " + matches.length + " match flags");
        }
        if (txids.isEmpty()) {
            throw new IllegalArgumentException("a block has at least one transaction");
        }
        Builder b = new Builder(txids, matches);
        b.traverse(treeHeight(txids.size()), 0);
        return new PartialMerkleTree(txids.size(), b.hashes, b.bits, b.bitCount);
    }

    /** The tree carried in a merkleblock message (flag bytes are read least significant bit first). */
    public static PartialMerkleTree fromMessage(MerkleBlockMessage msg) {
        byte[] flagBytes = msg.flags();
        return new PartialMerkleTree(msg.totalTransactions(), msg.hashes(), BitSet.valueOf(flagBytes), flagBytes.length * 8);
    }

    public MerkleBlockMessage toMessage(BlockHeader header) {
        byte[] packed = new byte[(bitCount + 7) / 8];
        byte[] set = bits.toByteArray();
        System.arraycopy(set, 0, packed, 0, Math.min(set.length, packed.length));
        return new MerkleBlockMessage(header, transactionCount, hashes, packed);
    }

    public long transactionCount() {
        return transactionCount;
    }

    public List<Hash256> hashes() {
        return hashes;
    }

    /**
     * The matched txids and the merkle root they hash up to. The caller must still compare the
     * root with the header's merkle root. Rejects every malformation Core rejects: impossible
     * transaction counts, more hashes than leaves, too few flag bits, running out of bits or
     * hashes, unused hashes or unused flag bytes, and a right subtree equal to its left sibling
     * (which would let one proof stand for two different transaction lists, CVE-2012-2459).
     */
    public Extracted extractMatches() throws MerkleProofException {
        if (transactionCount == 0) {
            throw new MerkleProofException("partial merkle tree with no transactions");
        }
        if (transactionCount > MAX_TRANSACTIONS) {
            throw new MerkleProofException("partial merkle tree claims " + transactionCount + " transactions, max "
                    + MAX_TRANSACTIONS);
        }
        if (hashes.size() > transactionCount) {
            throw new MerkleProofException("partial merkle tree has more hashes (" + hashes.size() + ") than transactions ("
                    + transactionCount + ")");
        }
        if (bitCount < hashes.size()) {
            throw new MerkleProofException("partial merkle tree has fewer flag bits than hashes");
        }
        Extractor x = new Extractor((int) transactionCount);
        Hash256 root = x.traverse(treeHeight((int) transactionCount), 0);
        if ((x.bitsUsed + 7) / 8 != (bitCount + 7) / 8) {
            throw new MerkleProofException("partial merkle tree has unused flag bytes");
        }
        if (x.hashesUsed != hashes.size()) {
            throw new MerkleProofException("partial merkle tree has " + (hashes.size() - x.hashesUsed) + " unused hashes");
        }
        return new Extracted(root, x.matches, x.indexes);
    }

    private static int treeHeight(int leaves) {
        int height = 0;
        while (treeWidth(leaves, height) > 1) {
            height++;
        }
        return height;
    }

    /** Nodes at {@code height} (0 = leaves) in a tree over {@code leaves} leaves. */
    private static int treeWidth(int leaves, int height) {
        return (int) ((leaves + (1L << height) - 1) >> height);
    }

    private static final class Builder {
        private final List<Hash256> txids;
        private final boolean[] matches;
        private final List<Hash256> hashes = new ArrayList<>();
        private final BitSet bits = new BitSet();
        private int bitCount;

        Builder(List<Hash256> txids, boolean[] matches) {
            this.txids = txids;
            this.matches = matches;
        }

        void traverse(int height, int pos) {
            boolean parentOfMatch = false;
            long end = Math.min((long) (pos + 1) << height, txids.size());
            for (long p = (long) pos << height; p < end && !parentOfMatch; p++) {
                parentOfMatch = matches[(int) p];
            }
            bits.set(bitCount++, parentOfMatch);
            if (height == 0 || !parentOfMatch) {
                hashes.add(subtreeHash(height, pos));
            } else {
                traverse(height - 1, pos * 2);
                if (pos * 2 + 1 < treeWidth(txids.size(), height - 1)) {
                    traverse(height - 1, pos * 2 + 1);
                }
            }
        }

        private Hash256 subtreeHash(int height, int pos) {
            if (height == 0) {
                return txids.get(pos);
            }
            Hash256 left = subtreeHash(height - 1, pos * 2);
            Hash256 right = pos * 2 + 1 < treeWidth(txids.size(), height - 1) ? subtreeHash(height - 1, pos * 2 + 1) : left;
            return MerkleTree.hashPair(left, right);
        }
    }

    private final class Extractor {
        private final int leaves;
        private final List<Hash256> matches = new ArrayList<>();
        private final List<Integer> indexes = new ArrayList<>();
        private int bitsUsed;
        private int hashesUsed;

        Extractor(int leaves) {
            this.leaves = leaves;
        }

        Hash256 traverse(int height, int pos) throws MerkleProofException {
            if (bitsUsed >= bitCount) {
                throw new MerkleProofException("partial merkle tree ran out of flag bits");
            }
            boolean parentOfMatch = bits.get(bitsUsed++);
            if (height == 0 || !parentOfMatch) {
                if (hashesUsed >= hashes.size()) {
                    throw new MerkleProofException("partial merkle tree ran out of hashes");
                }
                Hash256 hash = hashes.get(hashesUsed++);
                if (height == 0 && parentOfMatch) {
                    matches.add(hash);
                    indexes.add(pos);
                }
                return hash;
            }
            Hash256 left = traverse(height - 1, pos * 2);
            Hash256 right;
            if (pos * 2 + 1 < treeWidth(leaves, height - 1)) {
                right = traverse(height - 1, pos * 2 + 1);
                if (right.equals(left)) {
                    throw new MerkleProofException("partial merkle tree has identical sibling subtrees (CVE-2012-2459)");
                }
            } else {
                right = left;
            }
            return MerkleTree.hashPair(left, right);
        }
    }
}
