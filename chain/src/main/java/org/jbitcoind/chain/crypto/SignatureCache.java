package org.jbitcoind.chain.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Signatures already found valid (Core's sigcache), so that a transaction verified when it
 * entered the mempool is not verified again when its block arrives. Entries are a salted
 * SHA-256 of (kind, signature, public key, message): the random salt keeps peers from
 * crafting collisions. Bounded: when full, an arbitrary entry is dropped. Thread-safe.
 */
public final class SignatureCache {
    /** Core's default is 32 MiB; an entry here costs roughly 100 bytes. */
    public static final int DEFAULT_MAX_ENTRIES = 300_000;

    private record Entry(long a, long b, long c, long d) {
    }

    private final byte[] salt = new byte[32];
    private final int maxEntries;
    private final Set<Entry> entries = ConcurrentHashMap.newKeySet();
    private final AtomicInteger size = new AtomicInteger();

    public SignatureCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        new SecureRandom().nextBytes(salt);
    }

    public int size() {
        return size.get();
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Whether this check is known valid; with {@code erase}, the entry is used up (block validation). */
    boolean contains(byte kind, byte[] sig, byte[] pubKey, byte[] msg, boolean erase) {
        Entry e = key(kind, sig, pubKey, msg);
        if (erase) {
            if (entries.remove(e)) {
                size.decrementAndGet();
                return true;
            }
            return false;
        }
        return entries.contains(e);
    }

    void add(byte kind, byte[] sig, byte[] pubKey, byte[] msg) {
        Entry e = key(kind, sig, pubKey, msg);
        if (!entries.add(e)) {
            return;
        }
        if (size.incrementAndGet() > maxEntries) {
            Iterator<Entry> it = entries.iterator();
            while (size.get() > maxEntries && it.hasNext()) {
                Entry victim = it.next();
                // Never evict what was just added: the caller relies on it being there.
                if (!victim.equals(e) && entries.remove(victim)) {
                    size.decrementAndGet();
                }
            }
        }
    }

    private Entry key(byte kind, byte[] sig, byte[] pubKey, byte[] msg) {
        MessageDigest md = Hashes.sha256Digest();
        md.update(salt);
        md.update(kind);
        md.update((byte) sig.length);
        md.update(sig);
        md.update((byte) pubKey.length);
        md.update(pubKey);
        md.update(msg);
        byte[] h = md.digest();
        return new Entry(readLong(h, 0), readLong(h, 8), readLong(h, 16), readLong(h, 24));
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
