package org.jbitcoind.chain.mempool;

import java.util.Arrays;

/**
 * The pool's eviction order (Core's descendant_score index): lowest descendant score first, where
 * an entry's score is the higher of its own feerate and the feerate of its package with
 * descendants; on equal rates the newer entry (later time, then higher entry sequence) first.
 * Eviction only ever needs the lowest entry, so this is an indexed binary min-heap rather than a
 * sorted tree: the score of the entry in slot {@code i} lives in parallel primitive arrays
 * ({@code fee[i]}, {@code size[i]}, {@code time[i]}, {@code sequence[i]}), so a sift compares
 * array elements without touching the entries, and each entry knows its slot
 * ({@link MempoolEntry#evictionSlot}), so a removal or a score change finds it at once. An entry
 * added with a random score moves up one or two levels on average, where a tree visited some
 * twenty scattered nodes.
 *
 * <p>The order is total (entry sequences are unique), so {@link #first()} is exactly the entry a
 * sorted set under the same comparison would return first. Not thread-safe: the pool's lock guards it.
 */
final class DescendantScoreIndex {
    private static final int INITIAL_CAPACITY = 64;

    private MempoolEntry[] entries = new MempoolEntry[INITIAL_CAPACITY];
    private long[] fee = new long[INITIAL_CAPACITY];
    private long[] size = new long[INITIAL_CAPACITY];
    private long[] time = new long[INITIAL_CAPACITY];
    private long[] sequence = new long[INITIAL_CAPACITY];
    private int count;

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean contains(MempoolEntry e) {
        int slot = e.evictionSlot;
        return slot >= 0 && slot < count && entries[slot] == e;
    }

    /** The entry to evict next: the lowest score; null when empty. */
    MempoolEntry first() {
        return count == 0 ? null : entries[0];
    }

    /** Adds an entry not in the index with score {@code scoreFee / scoreSize} (size positive). */
    void add(MempoolEntry e, long scoreFee, long scoreSize) {
        if (e.evictionSlot >= 0) {
            throw new IllegalStateException(e + " is already in the eviction index");
        }
        if (count == entries.length) {
            grow();
        }
        siftUp(count++, e, scoreFee, scoreSize, e.time(), e.sequence());
    }

    /** The score fee of an entry in the index. */
    long scoreFee(MempoolEntry e) {
        return fee[slotOf(e)];
    }

    /** The score size of an entry in the index. */
    long scoreSize(MempoolEntry e) {
        return size[slotOf(e)];
    }

    /**
     * Gives an entry in the index a new score and restores the order. A score at the same rate
     * (e.g. its own rate still the higher after a descendant came) leaves its slot as it is: it
     * compares to every other entry as before.
     */
    void update(MempoolEntry e, long scoreFee, long scoreSize) {
        int slot = slotOf(e);
        int c = TxMempool.compareRates(scoreFee, scoreSize, fee[slot], size[slot]);
        fee[slot] = scoreFee;
        size[slot] = scoreSize;
        if (c < 0) {
            siftUp(slot, e, scoreFee, scoreSize, time[slot], sequence[slot]);
        } else if (c > 0) {
            siftDown(slot, e, scoreFee, scoreSize, time[slot], sequence[slot]);
        }
    }

    /** Removes an entry; nothing happens when it is not in the index. */
    void remove(MempoolEntry e) {
        if (!contains(e)) {
            return;
        }
        int slot = e.evictionSlot;
        e.evictionSlot = -1;
        int last = --count;
        if (slot == last) {
            entries[last] = null;
            return;
        }
        // The last entry fills the hole, from which it may have to go either way.
        MempoolEntry moved = entries[last];
        long mFee = fee[last];
        long mSize = size[last];
        long mTime = time[last];
        long mSequence = sequence[last];
        entries[last] = null;
        if (slot > 0 && less(mFee, mSize, mTime, mSequence, (slot - 1) >>> 1)) {
            siftUp(slot, moved, mFee, mSize, mTime, mSequence);
        } else {
            siftDown(slot, moved, mFee, mSize, mTime, mSequence);
        }
    }

    /** Empties the index (every entry it held is then out of it). */
    void clear() {
        for (int i = 0; i < count; i++) {
            entries[i].evictionSlot = -1;
        }
        Arrays.fill(entries, 0, count, null);
        count = 0;
    }

    private int slotOf(MempoolEntry e) {
        if (!contains(e)) {
            throw new IllegalStateException(e + " is not in the eviction index");
        }
        return e.evictionSlot;
    }

    /**
     * Whether the score (f, s, t, q) sorts before the entry in {@code slot}: a lower rate, or on
     * equal rates the newer entry (Core evicts the newer of two equal packages first).
     */
    private boolean less(long f, long s, long t, long q, int slot) {
        return less(f, s, t, q, fee[slot], size[slot], time[slot], sequence[slot]);
    }

    /** Places the given entry at or above {@code hole}, moving the parents it beats down. */
    private void siftUp(int hole, MempoolEntry e, long f, long s, long t, long q) {
        while (hole > 0) {
            int parent = (hole - 1) >>> 1;
            if (!less(f, s, t, q, parent)) {
                break;
            }
            moveTo(parent, hole);
            hole = parent;
        }
        place(hole, e, f, s, t, q);
    }

    /** Places the given entry at or below {@code hole}, moving the smaller children up. */
    private void siftDown(int hole, MempoolEntry e, long f, long s, long t, long q) {
        int half = count >>> 1;
        while (hole < half) {
            int child = 2 * hole + 1;
            int right = child + 1;
            if (right < count && less(fee[right], size[right], time[right], sequence[right], child)) {
                child = right;
            }
            if (!less(fee[child], size[child], time[child], sequence[child], f, s, t, q)) {
                break;
            }
            moveTo(child, hole);
            hole = child;
        }
        place(hole, e, f, s, t, q);
    }

    /** Whether score a sorts before score b (see {@link #less(long, long, long, long, int)}). */
    private static boolean less(long fa, long sa, long ta, long qa, long fb, long sb, long tb, long qb) {
        int c = TxMempool.compareRates(fa, sa, fb, sb);
        if (c != 0) {
            return c < 0;
        }
        return ta != tb ? ta > tb : qa > qb;
    }

    private void moveTo(int from, int to) {
        MempoolEntry e = entries[from];
        entries[to] = e;
        fee[to] = fee[from];
        size[to] = size[from];
        time[to] = time[from];
        sequence[to] = sequence[from];
        e.evictionSlot = to;
    }

    private void place(int slot, MempoolEntry e, long f, long s, long t, long q) {
        entries[slot] = e;
        fee[slot] = f;
        size[slot] = s;
        time[slot] = t;
        sequence[slot] = q;
        e.evictionSlot = slot;
    }

    private void grow() {
        int capacity = entries.length * 2;
        entries = Arrays.copyOf(entries, capacity);
        fee = Arrays.copyOf(fee, capacity);
        size = Arrays.copyOf(size, capacity);
        time = Arrays.copyOf(time, capacity);
        sequence = Arrays.copyOf(sequence, capacity);
    }
}
