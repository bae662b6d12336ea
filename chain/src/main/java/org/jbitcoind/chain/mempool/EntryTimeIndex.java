package org.jbitcoind.chain.mempool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pool's entries by entry time (Core's entry_time index), oldest first, equal times in entry
 * order. Expiry only ever needs the entries older than a cutoff, and the RPCs that list the pool
 * oldest first are rare, so this is an indexed binary min-heap on (time, entry sequence) kept in
 * parallel primitive arrays, as {@link DescendantScoreIndex} is: a new entry, normally the newest,
 * is placed after one comparison with its parent slot, where a sorted tree walked its whole
 * height and rebalanced. Each entry knows its slot ({@link MempoolEntry#timeSlot}). Not
 * thread-safe: the pool's lock guards it.
 */
final class EntryTimeIndex {
    private static final int INITIAL_CAPACITY = 64;

    private MempoolEntry[] entries = new MempoolEntry[INITIAL_CAPACITY];
    private long[] time = new long[INITIAL_CAPACITY];
    private long[] sequence = new long[INITIAL_CAPACITY];
    private int count;

    int size() {
        return count;
    }

    boolean contains(MempoolEntry e) {
        int slot = e.timeSlot;
        return slot >= 0 && slot < count && entries[slot] == e;
    }

    void add(MempoolEntry e) {
        if (e.timeSlot >= 0) {
            throw new IllegalStateException(e + " is already in the time index");
        }
        if (count == entries.length) {
            int capacity = entries.length * 2;
            entries = Arrays.copyOf(entries, capacity);
            time = Arrays.copyOf(time, capacity);
            sequence = Arrays.copyOf(sequence, capacity);
        }
        siftUp(count++, e, e.time(), e.sequence());
    }

    /** Removes an entry; nothing happens when it is not in the index. */
    void remove(MempoolEntry e) {
        if (!contains(e)) {
            return;
        }
        int slot = e.timeSlot;
        e.timeSlot = -1;
        int last = --count;
        MempoolEntry moved = entries[last];
        entries[last] = null;
        if (slot == last) {
            return;
        }
        long t = time[last];
        long q = sequence[last];
        int parent = (slot - 1) >>> 1;
        if (slot > 0 && less(t, q, time[parent], sequence[parent])) {
            siftUp(slot, moved, t, q);
        } else {
            siftDown(slot, moved, t, q);
        }
    }

    void clear() {
        for (int i = 0; i < count; i++) {
            entries[i].timeSlot = -1;
        }
        Arrays.fill(entries, 0, count, null);
        count = 0;
    }

    /**
     * The entries with a time before {@code cutoff}, oldest first. Visits only those slots and their
     * children: below a slot at or after the cutoff every entry is too.
     */
    List<MempoolEntry> olderThan(long cutoff) {
        List<MempoolEntry> out = new ArrayList<>();
        if (count == 0 || time[0] >= cutoff) {
            return out;
        }
        int[] todo = new int[16];
        int top = 0;
        todo[top++] = 0;
        while (top > 0) {
            int slot = todo[--top];
            out.add(entries[slot]);
            for (int child = 2 * slot + 1; child <= 2 * slot + 2 && child < count; child++) {
                if (time[child] < cutoff) {
                    if (top == todo.length) {
                        todo = Arrays.copyOf(todo, top * 2);
                    }
                    todo[top++] = child;
                }
            }
        }
        out.sort(EntryTimeIndex::compare);
        return out;
    }

    /** Every entry, oldest first (a sorted copy: for the RPCs that list the pool). */
    List<MempoolEntry> inOrder() {
        MempoolEntry[] copy = Arrays.copyOf(entries, count);
        Arrays.sort(copy, EntryTimeIndex::compare);
        return Arrays.asList(copy);
    }

    private static int compare(MempoolEntry a, MempoolEntry b) {
        int c = Long.compare(a.time(), b.time());
        return c != 0 ? c : Long.compare(a.sequence(), b.sequence());
    }

    private static boolean less(long ta, long qa, long tb, long qb) {
        return ta != tb ? ta < tb : qa < qb;
    }

    private void siftUp(int hole, MempoolEntry e, long t, long q) {
        while (hole > 0) {
            int parent = (hole - 1) >>> 1;
            if (!less(t, q, time[parent], sequence[parent])) {
                break;
            }
            moveTo(parent, hole);
            hole = parent;
        }
        place(hole, e, t, q);
    }

    private void siftDown(int hole, MempoolEntry e, long t, long q) {
        int half = count >>> 1;
        while (hole < half) {
            int child = 2 * hole + 1;
            int right = child + 1;
            if (right < count && less(time[right], sequence[right], time[child], sequence[child])) {
                child = right;
            }
            if (!less(time[child], sequence[child], t, q)) {
                break;
            }
            moveTo(child, hole);
            hole = child;
        }
        place(hole, e, t, q);
    }

    private void moveTo(int from, int to) {
        MempoolEntry e = entries[from];
        entries[to] = e;
        time[to] = time[from];
        sequence[to] = sequence[from];
        e.timeSlot = to;
    }

    private void place(int slot, MempoolEntry e, long t, long q) {
        entries[slot] = e;
        time[slot] = t;
        sequence[slot] = q;
        e.timeSlot = slot;
    }
}
