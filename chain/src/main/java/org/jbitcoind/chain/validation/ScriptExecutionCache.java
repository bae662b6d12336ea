package org.jbitcoind.chain.validation;

import java.security.MessageDigest;
import java.security.SecureRandom;

import org.jbitcoind.chain.crypto.LossyHashSet;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Transactions whose every input script passed under a given set of script flags (Core's script
 * execution cache, {@code g_scriptExecutionCache}). The wtxid commits to the whole transaction and
 * each input's outpoint always names the same output, so such a transaction stays valid under
 * exactly those flags: mempool acceptance records it and block connection skips its script checks.
 * The key is a salted SHA-256 of (wtxid, flags), so an entry made under some flags never answers
 * for others, and peers cannot aim collisions at the table (the salt is random per instance).
 * Bounded and lossy ({@link LossyHashSet}); thread-safe.
 */
public final class ScriptExecutionCache {
    /** Core's default is 16 MiB of 32-byte entries; an entry here costs about 60 bytes. */
    public static final int DEFAULT_MAX_ENTRIES = 200_000;

    private final byte[] salt = new byte[32];
    private final LossyHashSet entries;

    public ScriptExecutionCache(int maxEntries) {
        this.entries = new LossyHashSet(maxEntries);
        new SecureRandom().nextBytes(salt);
    }

    public ScriptExecutionCache() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /**
     * Whether the transaction's scripts are known to pass under exactly {@code flags}; with
     * {@code erase} a hit is used up (block connection: the transaction will not be checked again).
     */
    public boolean contains(Hash256 wtxid, int flags, boolean erase) {
        return entries.contains(key(wtxid, flags), erase);
    }

    /** Records that every input script of the transaction passed under {@code flags}. */
    public void add(Hash256 wtxid, int flags) {
        entries.add(key(wtxid, flags));
    }

    /**
     * The key of (wtxid, flags) in this cache, for a caller that looks the same entry up or adds
     * it more than once (the P2P precheck adds it on one thread, the acceptance looks it up on
     * another): each key is a salted SHA-256, computed once.
     */
    public Key keyOf(Hash256 wtxid, int flags) {
        return new Key(this, key(wtxid, flags));
    }

    /** {@link #contains(Hash256, int, boolean)} by a key of this cache. */
    public boolean contains(Key key, boolean erase) {
        return entries.contains(key.bytesFor(this), erase);
    }

    /** {@link #add(Hash256, int)} by a key of this cache. */
    public void add(Key key) {
        entries.add(key.bytesFor(this));
    }

    /** Entries held now (a scan; for tests and statistics). */
    public int size() {
        return entries.size();
    }

    /** A computed entry key; valid only for the cache that made it (the salt is the cache's own). */
    public static final class Key {
        private final ScriptExecutionCache cache;
        private final byte[] bytes;

        private Key(ScriptExecutionCache cache, byte[] bytes) {
            this.cache = cache;
            this.bytes = bytes;
        }

        private byte[] bytesFor(ScriptExecutionCache c) {
            if (c != cache) {
                throw new IllegalArgumentException("a key of another script execution cache");
            }
            return bytes;
        }
    }

    private byte[] key(Hash256 wtxid, int flags) {
        MessageDigest md = Hashes.sha256Digest();
        md.update(salt);
        md.update(wtxid.bytes());
        md.update((byte) flags);
        md.update((byte) (flags >>> 8));
        md.update((byte) (flags >>> 16));
        md.update((byte) (flags >>> 24));
        return md.digest();
    }
}
