package org.jbitcoind.chain.mempool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pool's entries by entry time (Core's entry_time index), oldest first, equal times in entry
 * order. Expiry only ever needs the entries older than a cutoff, and the RPCs that list the pool
 * oldest first are rare, so this is an {@link EntryHeap} on
 * (time, entry sequence), as {@link DescendantScoreIndex} is: a new entry, normally the newest,
 * is placed after one comparison with its parent slot, where a sorted tree walked its whole
 * height and rebalanced. Each entry knows its slot ({@link MempoolEntry#timeSlot}). Not
 * thread-safe: the pool's lock guards it.
 */
final class EntryTimeIndex extends EntryHeap {
    private long[] time = new long[initialKeyCapacity()];
    private long[] sequence = new long[initialKeyCapacity()];

    void add(MempoolEntry e) {
        int slot = nextSlot();
        time[slot] = e.time();
        sequence[slot] = e.sequence();
        addLast(e);
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

    @Override
    boolean less(int a, int b) {
        return time[a] != time[b] ? time[a] < time[b] : sequence[a] < sequence[b];
    }

    @Override
    void copyKeys(int from, int to) {
        time[to] = time[from];
        sequence[to] = sequence[from];
    }

    @Override
    void resizeKeys(int capacity) {
        time = Arrays.copyOf(time, capacity);
        sequence = Arrays.copyOf(sequence, capacity);
    }

    @Override
    int slotOf(MempoolEntry e) {
        return e.timeSlot;
    }

    @Override
    void setSlot(MempoolEntry e, int slot) {
        e.timeSlot = slot;
    }
}
