package org.jbitcoind.chain.index;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.CompactTarget;
import org.jbitcoind.storage.BlockStatus;

/**
 * One node of the header tree (Core's CBlockIndex): the header, its height and cumulative
 * chainwork, a link to the parent and a skip link that makes {@link #getAncestor(int)} take
 * O(log n) steps. Header fields, height, chainwork and links are fixed at construction; the status
 * flags and transaction counts change as the block is downloaded and validated and are guarded by
 * whoever owns the tree (the chain-state lock).
 */
public final class BlockIndex {
    /** Core's nMedianTimeSpan: median time past is taken over this many blocks. */
    public static final int MEDIAN_TIME_SPAN = 11;

    private final Hash256 hash;
    private final BlockHeader header;
    private final BlockIndex prev;
    private final BlockIndex skip;
    private final int height;
    private final BigInteger chainWork;

    // Written only by the chain thread; volatile so that RPC threads reading a snapshot see them.
    private volatile int status;
    private volatile int txCount;
    private volatile long chainTxCount;
    private long sequenceId;

    /** A node for {@code header} on top of {@code prev} (null for a genesis block). */
    public BlockIndex(BlockHeader header, BlockIndex prev) {
        this(header.hash(), header, prev);
    }

    /**
     * A node whose hash is already known (read back from storage), saving the header hash.
     * The caller guarantees {@code hash} is the header's hash.
     */
    public BlockIndex(Hash256 hash, BlockHeader header, BlockIndex prev) {
        this(hash, header, prev, prev == null ? 0 : prev.height + 1,
                (prev == null ? BigInteger.ZERO : prev.chainWork).add(blockProof(header.bits())));
    }

    private BlockIndex(Hash256 hash, BlockHeader header, BlockIndex prev, int height, BigInteger chainWork) {
        this.hash = Objects.requireNonNull(hash, "hash");
        this.header = Objects.requireNonNull(header, "header");
        if (prev != null && !header.prevBlock().equals(prev.hash)) {
            throw new IllegalArgumentException("header " + hash + " does not build on " + prev.hash);
        }
        this.prev = prev;
        this.height = height;
        this.chainWork = chainWork;
        this.skip = prev == null ? null : prev.getAncestor(skipHeight(height));
    }

    /**
     * A node whose ancestors are not in memory: it stands at {@code height} with the given cumulative
     * work. Walking below it finds nothing. Used to validate blocks whose full ancestry is not loaded
     * (a single block with its prevouts, in tests), never for the active chain.
     */
    public static BlockIndex detachedRoot(Hash256 hash, BlockHeader header, int height, BigInteger chainWork) {
        if (height < 0) {
            throw new IllegalArgumentException("negative height");
        }
        return new BlockIndex(hash, header, null, height, chainWork);
    }

    public Hash256 hash() {
        return hash;
    }

    public BlockHeader header() {
        return header;
    }

    /** The parent, or null for genesis (or a detached root). */
    public BlockIndex prev() {
        return prev;
    }

    public int height() {
        return height;
    }

    /** Total work of the chain up to and including this block (Core's nChainWork). */
    public BigInteger chainWork() {
        return chainWork;
    }

    public int version() {
        return header.version();
    }

    /** Block time (unsigned 32-bit seconds). */
    public long time() {
        return header.time();
    }

    public long bits() {
        return header.bits();
    }

    /**
     * The ancestor at {@code targetHeight} (this node itself at its own height), or null when the
     * height is above this node, negative, or below a detached root.
     */
    public BlockIndex getAncestor(int targetHeight) {
        if (targetHeight > height || targetHeight < 0) {
            return null;
        }
        BlockIndex walk = this;
        int walkHeight = height;
        while (walkHeight > targetHeight) {
            int jump = skipHeight(walkHeight);
            int jumpPrev = skipHeight(walkHeight - 1);
            // Follow the skip link unless the parent's skip lands closer without overshooting.
            if (walk.skip != null && (jump == targetHeight
                    || (jump > targetHeight && !(jumpPrev < jump - 2 && jumpPrev >= targetHeight)))) {
                walk = walk.skip;
                walkHeight = jump;
            } else {
                walk = walk.prev;
                if (walk == null) {
                    return null;
                }
                walkHeight--;
            }
        }
        return walk;
    }

    /** Median of the times of this block and up to ten before it (BIP113 uses the parent's). */
    public long medianTimePast() {
        long[] times = new long[MEDIAN_TIME_SPAN];
        int n = 0;
        for (BlockIndex b = this; b != null && n < MEDIAN_TIME_SPAN; b = b.prev) {
            times[n++] = b.time();
        }
        Arrays.sort(times, 0, n);
        return times[n / 2];
    }

    public int status() {
        return status;
    }

    public void setStatus(int status) {
        this.status = status;
    }

    public void addStatus(int flags) {
        this.status |= flags;
    }

    /** Validity level reached (and not failed) is at least {@code level}, a BlockStatus.VALID_* value. */
    public boolean isValid(int level) {
        if ((status & BlockStatus.FAILED_MASK) != 0) {
            return false;
        }
        return (status & BlockStatus.VALID_MASK) >= level;
    }

    /** Raises the validity level; returns whether it changed (Core's RaiseValidity). */
    public boolean raiseValidity(int level) {
        if ((status & BlockStatus.FAILED_MASK) != 0) {
            return false;
        }
        if ((status & BlockStatus.VALID_MASK) < level) {
            status = (status & ~BlockStatus.VALID_MASK) | level;
            return true;
        }
        return false;
    }

    /** Number of transactions in this block, 0 until its data has been seen (Core's nTx). */
    public int txCount() {
        return txCount;
    }

    public void setTxCount(int txCount) {
        this.txCount = txCount;
    }

    /** Transactions in the chain up to and including this block, 0 if unknown (Core's m_chain_tx_count). */
    public long chainTxCount() {
        return chainTxCount;
    }

    public void setChainTxCount(long chainTxCount) {
        this.chainTxCount = chainTxCount;
    }

    /**
     * Order of arrival among blocks of equal work (Core's nSequenceId): lower wins, so the first block
     * seen stays the tip on a tie; preciousblock gives a block a negative value to prefer it.
     */
    public long sequenceId() {
        return sequenceId;
    }

    public void setSequenceId(long sequenceId) {
        this.sequenceId = sequenceId;
    }

    /**
     * Expected number of hashes to find a block with these bits, 2^256 / (target + 1) (Core's
     * GetBlockProof); 0 for bits that do not encode a positive target.
     */
    public static BigInteger blockProof(long bits) {
        return CompactTarget.decode(bits).filter(t -> t.signum() > 0).map(CompactTarget::work)
                .orElse(BigInteger.ZERO);
    }

    /**
     * Height the skip link of a block at {@code h} points to: any lower height works, this choice
     * (Core's GetSkipHeight) keeps walks to about log2(n) steps.
     */
    static int skipHeight(int h) {
        if (h < 2) {
            return 0;
        }
        return (h & 1) != 0 ? invertLowestOne(invertLowestOne(h - 1)) + 1 : invertLowestOne(h);
    }

    private static int invertLowestOne(int n) {
        return n & (n - 1);
    }

    @Override
    public String toString() {
        return "BlockIndex[" + height + " " + hash + "]";
    }
}
