package org.jbitcoind.chain.mempool;

import java.util.Arrays;

/**
 * The pool's eviction order (Core's descendant_score index): lowest descendant score first, where
 * an entry's score is the higher of its own feerate and the feerate of its package with
 * descendants; on equal rates the newer entry (later time, then higher entry sequence) first.
 * Eviction only ever needs the lowest entry, so this is an {@link EntryHeap} rather than a
 * sorted tree: the score of the entry in slot {@code i} is {@code fee[i]}, {@code size[i]},
 * {@code time[i]}, {@code sequence[i]}, and each entry knows its slot
 * ({@link MempoolEntry#evictionSlot}). An entry added with a random score moves up one or two
 * levels on average, where a tree visited some twenty scattered nodes.
 *
 * <p>The order is total (entry sequences are unique), so {@link #first()} is exactly the entry a
 * sorted set under the same comparison would return first. Not thread-safe: the pool's lock guards it.
 */
final class DescendantScoreIndex extends EntryHeap {
    private long[] fee = new long[initialKeyCapacity()];
    private long[] size = new long[initialKeyCapacity()];
    private long[] time = new long[initialKeyCapacity()];
    private long[] sequence = new long[initialKeyCapacity()];

    /** The entry to evict next: the lowest score; null when empty. */
    MempoolEntry first() {
        return count == 0 ? null : entries[0];
    }

    /** Adds an entry not in the index with score {@code scoreFee / scoreSize} (size positive). */
    void add(MempoolEntry e, long scoreFee, long scoreSize) {
        int slot = nextSlot();
        fee[slot] = scoreFee;
        size[slot] = scoreSize;
        time[slot] = e.time();
        sequence[slot] = e.sequence();
        addLast(e);
    }

    /** The score fee of an entry in the index. */
    long scoreFee(MempoolEntry e) {
        return fee[slotIn(e)];
    }

    /** The score size of an entry in the index. */
    long scoreSize(MempoolEntry e) {
        return size[slotIn(e)];
    }

    /**
     * Gives an entry in the index a new score and restores the order. A score at the same rate
     * (e.g. its own rate still the higher after a descendant came) leaves its slot as it is: it
     * compares to every other entry as before.
     */
    void update(MempoolEntry e, long scoreFee, long scoreSize) {
        int slot = slotIn(e);
        int c = TxMempool.compareRates(scoreFee, scoreSize, fee[slot], size[slot]);
        fee[slot] = scoreFee;
        size[slot] = scoreSize;
        if (c < 0) {
            siftUp(slot);
        } else if (c > 0) {
            siftDown(slot);
        }
    }

    private int slotIn(MempoolEntry e) {
        if (!contains(e)) {
            throw new IllegalStateException(e + " is not in the eviction index");
        }
        return e.evictionSlot;
    }

    /** A lower rate first; on equal rates the newer entry (Core evicts the newer of two equal packages first). */
    @Override
    boolean less(int a, int b) {
        int c = TxMempool.compareRates(fee[a], size[a], fee[b], size[b]);
        if (c != 0) {
            return c < 0;
        }
        return time[a] != time[b] ? time[a] > time[b] : sequence[a] > sequence[b];
    }

    @Override
    void copyKeys(int from, int to) {
        fee[to] = fee[from];
        size[to] = size[from];
        time[to] = time[from];
        sequence[to] = sequence[from];
    }

    @Override
    void resizeKeys(int capacity) {
        fee = Arrays.copyOf(fee, capacity);
        size = Arrays.copyOf(size, capacity);
        time = Arrays.copyOf(time, capacity);
        sequence = Arrays.copyOf(sequence, capacity);
    }

    @Override
    int slotOf(MempoolEntry e) {
        return e.evictionSlot;
    }

    @Override
    void setSlot(MempoolEntry e, int slot) {
        e.evictionSlot = slot;
    }
}
