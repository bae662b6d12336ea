package org.jbitcoind.chain.mempool;

import java.util.HashSet;
import java.util.Set;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * One transaction in the mempool (Core's CTxMemPoolEntry) with the running totals over its
 * in-mempool ancestors and descendants, each including the entry itself. Only {@link TxMempool}
 * changes an entry, under its lock; readers outside the pool get {@link EntryInfo} snapshots.
 */
public final class MempoolEntry {
    private final Transaction tx;
    private final Hash256 txid;
    private final Hash256 wtxid;
    private final long fee;
    private final int vsize;
    private final int weight;
    private final long time;
    private final int height;
    private final long sigOpCost;
    private final boolean spendsCoinbase;
    private final long sequence;
    private final long usage;
    private long feeDelta;

    /*
     * In-pool parents and children. Most entries have none, so both start as the shared empty set and
     * get a HashSet at their first link (two HashSets per entry were a quarter of the bytes the
     * P2P acceptance allocated, all of them long-lived). Read freely; change only through the
     * methods below.
     */
    Set<MempoolEntry> parents = Set.of();
    Set<MempoolEntry> children = Set.of();

    long countWithAncestors = 1;
    long sizeWithAncestors;
    long modFeesWithAncestors;
    long sigOpCostWithAncestors;
    long countWithDescendants = 1;
    long sizeWithDescendants;
    long modFeesWithDescendants;
    /** This entry's slot in the pool's {@link DescendantScoreIndex}; -1 while out of it. */
    int evictionSlot = -1;
    /** This entry's slot in the pool's {@link EntryTimeIndex}; -1 while out of it. */
    int timeSlot = -1;

    MempoolEntry(Transaction tx, long fee, long time, int height, long sigOpCost, boolean spendsCoinbase,
            long sequence, long feeDelta) {
        this.tx = tx;
        this.txid = tx.txid();
        this.wtxid = tx.wtxid();
        this.fee = fee;
        this.vsize = tx.vsize();
        this.weight = tx.weight();
        this.time = time;
        this.height = height;
        this.sigOpCost = sigOpCost;
        this.spendsCoinbase = spendsCoinbase;
        this.sequence = sequence;
        this.feeDelta = feeDelta;
        this.usage = estimateUsage(tx);
        this.sizeWithAncestors = vsize;
        this.modFeesWithAncestors = modifiedFee();
        this.sigOpCostWithAncestors = sigOpCost;
        this.sizeWithDescendants = vsize;
        this.modFeesWithDescendants = modifiedFee();
    }

    /**
     * Heap bytes the entry holds: the transaction's objects (about 150 bytes per input and 80 per
     * output besides their scripts), the entry with its link sets, and the pool's index slots
     * (three maps, one spend slot per input). Only an estimate, as Core's DynamicMemoryUsage is.
     */
    static long estimateUsage(Transaction tx) {
        return 600L + 2L * tx.totalSize() + 250L * tx.inputs().size() + 80L * tx.outputs().size();
    }

    public Transaction tx() {
        return tx;
    }

    public Hash256 txid() {
        return txid;
    }

    public Hash256 wtxid() {
        return wtxid;
    }

    /** The fee the transaction pays. */
    public long fee() {
        return fee;
    }

    /** Fee plus the prioritisetransaction delta: what selection and eviction use. */
    public long modifiedFee() {
        return fee + feeDelta;
    }

    public long feeDelta() {
        return feeDelta;
    }

    void setFeeDelta(long delta) {
        this.feeDelta = delta;
    }

    public int vsize() {
        return vsize;
    }

    public int weight() {
        return weight;
    }

    /** Entry time, seconds since the epoch. */
    public long time() {
        return time;
    }

    /** Chain height when the transaction entered. */
    public int height() {
        return height;
    }

    public long sigOpCost() {
        return sigOpCost;
    }

    public boolean spendsCoinbase() {
        return spendsCoinbase;
    }

    /** Order of entry into this pool: older entries have lower numbers. */
    public long sequence() {
        return sequence;
    }

    public long usage() {
        return usage;
    }

    public long countWithAncestors() {
        return countWithAncestors;
    }

    public long sizeWithAncestors() {
        return sizeWithAncestors;
    }

    public long modFeesWithAncestors() {
        return modFeesWithAncestors;
    }

    public long sigOpCostWithAncestors() {
        return sigOpCostWithAncestors;
    }

    public long countWithDescendants() {
        return countWithDescendants;
    }

    public long sizeWithDescendants() {
        return sizeWithDescendants;
    }

    public long modFeesWithDescendants() {
        return modFeesWithDescendants;
    }

    @Override
    public String toString() {
        return "MempoolEntry[" + txid + " fee=" + fee + " vsize=" + vsize + "]";
    }

    void addParent(MempoolEntry p) {
        if (parents.isEmpty()) {
            parents = new HashSet<>(4);
        }
        parents.add(p);
    }

    void addChild(MempoolEntry c) {
        if (children.isEmpty()) {
            children = new HashSet<>(4);
        }
        children.add(c);
    }

    void removeParent(MempoolEntry p) {
        if (!parents.isEmpty()) {
            parents.remove(p);
        }
    }

    void removeChild(MempoolEntry c) {
        if (!children.isEmpty()) {
            children.remove(c);
        }
    }

    void clearLinks() {
        parents = Set.of();
        children = Set.of();
    }
}
