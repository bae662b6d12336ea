package org.jbitcoind.chain.crypto;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jbitcoind.protocol.codec.LittleEndian;

/**
 * A bounded set of 256-bit keys for the validation caches ({@link SignatureCache},
 * {@code ScriptExecutionCache}): a fixed table of {@link #WAYS}-slot buckets, the bucket chosen by
 * the key's first bits (keys are salted hashes, so evenly spread). When a bucket is full a new key
 * overwrites a random slot, so adding costs the same whether the set is empty or full (Core uses a
 * cuckoo cache for the same job). Keys are immutable objects swapped in and out atomically: a
 * reader sees a whole key or none, never a mix of two. Thread-safe, lock-free.
 */
public final class LossyHashSet {
    static final int WAYS = 4;

    private record Key(long a, long b, long c, long d) {
        /** The 32 bytes of a salted hash as four words (any fixed order will do for a hash). */
        static Key of(byte[] key32) {
            if (key32.length != 32) {
                throw new IllegalArgumentException("keys are 32 bytes, not " + key32.length);
            }
            return new Key(LittleEndian.getLong(key32, 0), LittleEndian.getLong(key32, 8),
                    LittleEndian.getLong(key32, 16), LittleEndian.getLong(key32, 24));
        }
    }

    private final AtomicReferenceArray<Key> slots;
    private final int buckets;

    /** @param maxEntries capacity; the table holds at most this many, rounded down to a whole bucket (at least one) */
    public LossyHashSet(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.buckets = Math.max(1, maxEntries / WAYS);
        this.slots = new AtomicReferenceArray<>(buckets * WAYS);
    }

    /** Slots in the table. */
    public int capacity() {
        return slots.length();
    }

    /** Whether the 32-byte key is held; with {@code erase} a hit removes it. */
    public boolean contains(byte[] key32, boolean erase) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("keys are 32 bytes, not " + key32.length);
        }
        // Compared word by word: a lookup (most of them miss) allocates no Key.
        long a = LittleEndian.getLong(key32, 0);
        long b = LittleEndian.getLong(key32, 8);
        long c = LittleEndian.getLong(key32, 16);
        long d = LittleEndian.getLong(key32, 24);
        int base = bucketOf(a);
        for (int i = 0; i < WAYS; i++) {
            Key s = slots.get(base + i);
            if (s != null && s.a() == a && s.b() == b && s.c() == c && s.d() == d) {
                if (erase) {
                    slots.compareAndSet(base + i, s, null);
                }
                return true;
            }
        }
        return false;
    }

    /** Adds the 32-byte key, into a free slot of its bucket or over a random one. */
    public void add(byte[] key32) {
        Key k = Key.of(key32);
        int base = bucketOf(k.a());
        for (int i = 0; i < WAYS; i++) {
            Key s = slots.get(base + i);
            if (k.equals(s)) {
                return;
            }
            if (s == null && slots.compareAndSet(base + i, null, k)) {
                return;
            }
        }
        slots.set(base + ThreadLocalRandom.current().nextInt(WAYS), k);
    }

    /** Keys held now: a scan of the table, for tests and statistics. */
    public int size() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private int bucketOf(long a) {
        return (int) ((a >>> 1) % buckets) * WAYS;
    }
}
