package org.jbitcoind.chain.coins;

import java.util.Arrays;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.storage.Coin;

/**
 * The table behind a {@link CoinsViewCache}: outpoint to cached coin, with the entry itself as the
 * hash-chain node. Compared with a {@code HashMap<OutPoint, Entry>} it saves a node per entry,
 * hashes and compares outpoints directly (a record's equals and hashCode go through method
 * handles), and lets a child cache hand its entries, hash included, to its parent on flush.
 *
 * <p>Not thread-safe, like the cache that owns it.
 */
final class CoinsMap {
    static final int DIRTY = 1;
    static final int FRESH = 2;

    private static final int MIN_CAPACITY = 16;

    /**
     * A cached coin and the chain link of its bucket. The outpoint is kept as its txid and index
     * rather than as the OutPoint: one pointer fewer to follow on every look-up, and the OutPoint
     * object itself need not stay alive.
     */
    static final class Entry {
        final Hash256 txid;
        final int index;
        final int hash;
        Entry next;
        Coin coin; // null: spent
        int flags;
        /**
         * What the coin's script adds to the cache's memory estimate, 0 when spent: kept with the entry so
         * that moving a spent entry needs no null check on its coin (a branch first taken mid-run, which
         * deoptimized the compiled merge loop).
         */
        int scriptBytes;

        Entry(OutPoint outpoint, int hash, Coin coin, int scriptBytes, int flags) {
            this.txid = outpoint.txid();
            this.index = outpoint.index();
            this.hash = hash;
            this.coin = coin;
            this.scriptBytes = scriptBytes;
            this.flags = flags;
        }

        OutPoint outpoint() {
            return new OutPoint(txid, index);
        }

        boolean dirty() {
            return (flags & DIRTY) != 0;
        }

        boolean fresh() {
            return (flags & FRESH) != 0;
        }
    }

    /** What {@link #forEach} calls for each entry. */
    interface Visitor {
        void visit(Entry e);
    }

    private Entry[] table;
    private int size;

    /** A table that holds about {@code expectedEntries} without growing. */
    CoinsMap(int expectedEntries) {
        table = new Entry[capacityFor(expectedEntries)];
    }

    private static int capacityFor(int entries) {
        long wanted = Math.max(MIN_CAPACITY, (long) entries * 4 / 3 + 1);
        int cap = MIN_CAPACITY;
        while (cap < wanted && cap < (1 << 30)) {
            cap <<= 1;
        }
        return cap;
    }

    /**
     * Txids are hashes, so their first bytes (Hash256's cached hashCode) are spread well already;
     * the index is mixed in so that a transaction's outputs land apart.
     */
    static int hash(OutPoint outpoint) {
        int h = outpoint.txid().hashCode() + outpoint.index() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    Entry get(OutPoint outpoint) {
        return get(outpoint.txid(), outpoint.index(), hash(outpoint));
    }

    Entry get(OutPoint outpoint, int hash) {
        return get(outpoint.txid(), outpoint.index(), hash);
    }

    /** The entry for (txid, index), whose {@link #hash} is {@code hash}. */
    Entry get(Hash256 txid, int index, int hash) {
        Entry[] t = table;
        for (Entry e = t[hash & (t.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && e.index == index && (e.txid == txid || e.txid.equals(txid))) {
                return e;
            }
        }
        return null;
    }

    /** Adds a new entry; the caller has made sure the outpoint is not in the table. */
    Entry add(OutPoint outpoint, int hash, Coin coin, int scriptBytes, int flags) {
        Entry e = new Entry(outpoint, hash, coin, scriptBytes, flags);
        link(e);
        return e;
    }

    /**
     * Adds an entry taken from another table (which must forget it, as a flushed cache is
     * cleared), with new flags; the outpoint must not be in this table.
     */
    void adopt(Entry e, int flags) {
        e.flags = flags;
        link(e);
    }

    private void link(Entry e) {
        if (size >= table.length - (table.length >>> 2)) {
            grow();
        }
        int i = e.hash & (table.length - 1);
        e.next = table[i];
        table[i] = e;
        size++;
    }

    private void grow() {
        Entry[] old = table;
        if (old.length >= (1 << 30)) {
            return;
        }
        Entry[] t = new Entry[old.length << 1];
        int mask = t.length - 1;
        for (Entry head : old) {
            Entry e = head;
            while (e != null) {
                Entry next = e.next;
                int i = e.hash & mask;
                e.next = t[i];
                t[i] = e;
                e = next;
            }
        }
        table = t;
    }

    /** Removes {@code e}, which must be in this table. */
    void remove(Entry e) {
        int i = e.hash & (table.length - 1);
        Entry prev = null;
        for (Entry x = table[i]; x != null; prev = x, x = x.next) {
            if (x == e) {
                if (prev == null) {
                    table[i] = x.next;
                } else {
                    prev.next = x.next;
                }
                x.next = null;
                size--;
                return;
            }
        }
        throw new IllegalStateException("entry not in the table: " + e.outpoint());
    }

    /** Calls {@code v} for every entry; {@code v} may not add or remove entries. */
    void forEach(Visitor v) {
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                v.visit(e);
            }
        }
    }

    /**
     * Hands every entry to {@code v} and empties the table; {@code v} may link the entry into
     * another table (its chain link is read before the call).
     */
    void drain(Visitor v) {
        // One loop over buckets and chains together (not a chain loop inside a bucket loop): a
        // block's view is drained once per block over thousands of slots, so the JIT compiles
        // this loop on the stack (OSR), and a single loop is one such compile instead of two.
        Entry[] t = table;
        int i = 0;
        Entry e = null;
        while (e != null || i < t.length) {
            if (e == null) {
                e = t[i];
                t[i++] = null;
            } else {
                Entry next = e.next;
                e.next = null;
                v.visit(e);
                e = next;
            }
        }
        size = 0;
    }

    /** Drops spent entries and marks the rest clean (what a cache keeps after writing its changes). */
    void keepUnspentAsClean() {
        Entry[] t = table;
        for (int i = 0; i < t.length; i++) {
            Entry kept = null;
            Entry e = t[i];
            while (e != null) {
                Entry next = e.next;
                if (e.coin == null) {
                    size--;
                    e.next = null;
                } else {
                    e.flags = 0;
                    e.next = kept;
                    kept = e;
                }
                e = next;
            }
            t[i] = kept;
        }
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(table, null);
            size = 0;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
