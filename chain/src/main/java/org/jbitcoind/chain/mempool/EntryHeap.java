package org.jbitcoind.chain.mempool;

import java.util.Arrays;

/**
 * An indexed binary min-heap of pool entries, the common part of {@link DescendantScoreIndex} and
 * {@link EntryTimeIndex}. The keys of the entry in slot {@code i} live in the subclass's parallel
 * primitive arrays, so a sift compares array elements without touching the entries; each entry
 * knows its slot, so a removal or a key change finds it at once. One spare key slot past the
 * entries ({@link #spare()}) holds the keys of an entry while it moves. Not thread-safe: the
 * pool's lock guards it.
 */
abstract class EntryHeap {
    private static final int INITIAL_CAPACITY = 64;

    MempoolEntry[] entries = new MempoolEntry[INITIAL_CAPACITY];
    int count;

    /** Whether the keys in slot {@code a} sort before those in slot {@code b}. */
    abstract boolean less(int a, int b);

    /** Copies the keys of slot {@code from} to slot {@code to}. */
    abstract void copyKeys(int from, int to);

    /** Resizes the key arrays to {@code capacity} slots. */
    abstract void resizeKeys(int capacity);

    abstract int slotOf(MempoolEntry e);

    abstract void setSlot(MempoolEntry e, int slot);

    /** Key arrays must have this many slots when the heap holds {@code entries.length} entries. */
    static int keyCapacity(int entryCapacity) {
        return entryCapacity + 1;
    }

    static int initialKeyCapacity() {
        return keyCapacity(INITIAL_CAPACITY);
    }

    final int size() {
        return count;
    }

    final boolean isEmpty() {
        return count == 0;
    }

    final boolean contains(MempoolEntry e) {
        int slot = slotOf(e);
        return slot >= 0 && slot < count && entries[slot] == e;
    }

    /** The slot where a new entry's keys go before {@link #addLast}: room is made for it. */
    final int nextSlot() {
        if (count == entries.length) {
            int capacity = entries.length * 2;
            entries = Arrays.copyOf(entries, capacity);
            resizeKeys(keyCapacity(capacity));
        }
        return count;
    }

    /** Adds {@code e}, whose keys the caller wrote into {@link #nextSlot()}. */
    final void addLast(MempoolEntry e) {
        if (slotOf(e) >= 0) {
            throw new IllegalStateException(e + " is already in " + getClass().getSimpleName());
        }
        int slot = count++;
        entries[slot] = e;
        setSlot(e, slot);
        siftUp(slot);
    }

    /** Removes an entry; nothing happens when it is not in the heap. */
    final void remove(MempoolEntry e) {
        if (!contains(e)) {
            return;
        }
        int slot = slotOf(e);
        setSlot(e, -1);
        int last = --count;
        MempoolEntry moved = entries[last];
        entries[last] = null;
        if (slot == last) {
            return;
        }
        // The last entry fills the hole, from which it may have to go either way.
        entries[slot] = moved;
        copyKeys(last, slot);
        setSlot(moved, slot);
        if (slot > 0 && less(slot, parent(slot))) {
            siftUp(slot);
        } else {
            siftDown(slot);
        }
    }

    /** Empties the heap (every entry it held is then out of it). */
    final void clear() {
        for (int i = 0; i < count; i++) {
            setSlot(entries[i], -1);
        }
        Arrays.fill(entries, 0, count, null);
        count = 0;
    }

    /** Moves the entry in {@code slot} up past the parents it sorts before. */
    final void siftUp(int slot) {
        MempoolEntry e = entries[slot];
        int spare = spare();
        copyKeys(slot, spare);
        int hole = slot;
        while (hole > 0) {
            int parent = parent(hole);
            if (!less(spare, parent)) {
                break;
            }
            move(parent, hole);
            hole = parent;
        }
        place(hole, e, spare);
    }

    /** Moves the entry in {@code slot} down past the children that sort before it. */
    final void siftDown(int slot) {
        MempoolEntry e = entries[slot];
        int spare = spare();
        copyKeys(slot, spare);
        int hole = slot;
        int half = count >>> 1;
        while (hole < half) {
            int child = 2 * hole + 1;
            int right = child + 1;
            if (right < count && less(right, child)) {
                child = right;
            }
            if (!less(child, spare)) {
                break;
            }
            move(child, hole);
            hole = child;
        }
        place(hole, e, spare);
    }

    /** The key slot past the entries' capacity, free for an entry on the move. */
    private int spare() {
        return entries.length;
    }

    private static int parent(int slot) {
        return (slot - 1) >>> 1;
    }

    private void move(int from, int to) {
        MempoolEntry e = entries[from];
        entries[to] = e;
        copyKeys(from, to);
        setSlot(e, to);
    }

    private void place(int slot, MempoolEntry e, int keysFrom) {
        entries[slot] = e;
        copyKeys(keysFrom, slot);
        setSlot(e, slot);
    }
}
