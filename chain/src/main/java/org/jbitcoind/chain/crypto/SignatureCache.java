package org.jbitcoind.chain.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;

import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Signatures already found valid (Core's sigcache), so that a transaction verified when it
 * entered the mempool is not verified again when its block arrives. Entries are a salted
 * SHA-256 of (kind, signature, public key, message): the random salt keeps peers from
 * crafting collisions. Bounded: a {@link LossyHashSet}, so a full cache costs no more per
 * insertion than an empty one (a new entry overwrites an old one of its bucket). Thread-safe.
 */
public final class SignatureCache {
    /** Core's default is 32 MiB; an entry here costs roughly 60 bytes. */
    public static final int DEFAULT_MAX_ENTRIES = 300_000;

    private final byte[] salt = new byte[32];
    private final int maxEntries;
    private final LossyHashSet entries;

    public SignatureCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.entries = new LossyHashSet(maxEntries);
        new SecureRandom().nextBytes(salt);
    }

    /** Entries held now (a scan of the table; for tests and statistics). */
    public int size() {
        return entries.size();
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Whether this check is known valid; with {@code erase}, the entry is used up (block validation). */
    boolean contains(byte kind, byte[] sig, byte[] pubKey, byte[] msg, boolean erase) {
        return contains(key(kind, sig, pubKey, msg), erase);
    }

    void add(byte kind, byte[] sig, byte[] pubKey, byte[] msg) {
        add(key(kind, sig, pubKey, msg));
    }

    /** {@link #contains(byte, byte[], byte[], byte[], boolean)} by a {@link #key}, so a miss need not hash again to add. */
    boolean contains(byte[] h, boolean erase) {
        return entries.contains(h, erase);
    }

    void add(byte[] h) {
        entries.add(h);
    }

    /** The salted hash an entry is stored under. */
    byte[] key(byte kind, byte[] sig, byte[] pubKey, byte[] msg) {
        return key(kind, sig, 0, sig.length, pubKey, msg);
    }

    /** {@link #key(byte, byte[], byte[], byte[])} of the signature in {@code sigLen} bytes of {@code sig} from {@code sigOff}. */
    byte[] key(byte kind, byte[] sig, int sigOff, int sigLen, byte[] pubKey, byte[] msg) {
        MessageDigest md = Hashes.sha256Digest();
        md.update(salt);
        md.update(kind);
        md.update((byte) sigLen);
        md.update(sig, sigOff, sigLen);
        md.update((byte) pubKey.length);
        md.update(pubKey);
        md.update(msg);
        return md.digest();
    }
}
