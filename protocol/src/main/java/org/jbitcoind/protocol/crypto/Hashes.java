package org.jbitcoind.protocol.crypto;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hash functions Bitcoin uses. SHA-256 comes from the JDK (hardware-accelerated here);
 * RIPEMD-160 is our own {@link Ripemd160}.
 */
public final class Hashes {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    });
    private static final ConcurrentHashMap<String, byte[]> TAG_PREFIXES = new ConcurrentHashMap<>();

    private Hashes() {
    }

    /** A fresh SHA-256 digest for callers that feed data incrementally. */
    public static MessageDigest sha256Digest() {
        MessageDigest md = SHA256.get();
        md.reset();
        return md;
    }

    public static byte[] sha256(byte[] data) {
        return sha256(data, 0, data.length);
    }

    public static byte[] sha256(byte[] data, int off, int len) {
        MessageDigest md = sha256Digest();
        md.update(data, off, len);
        return md.digest();
    }

    /** SHA-256 applied twice: block hashes, txids, message checksums. */
    public static byte[] hash256(byte[] data) {
        return hash256(data, 0, data.length);
    }

    public static byte[] hash256(byte[] data, int off, int len) {
        MessageDigest md = sha256Digest();
        md.update(data, off, len);
        return finishHash256(md);
    }

    public static Hash256 hash256Of(byte[] data) {
        return Hash256.wrap(hash256(data));
    }

    public static Hash256 hash256Of(byte[] data, int off, int len) {
        return Hash256.wrap(hash256(data, off, len));
    }

    /** hash256 of three byte ranges one after the other, without joining them first. */
    public static Hash256 hash256Of(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen, byte[] c, int cOff,
            int cLen) {
        MessageDigest md = sha256Digest();
        md.update(a, aOff, aLen);
        md.update(b, bOff, bLen);
        md.update(c, cOff, cLen);
        return Hash256.wrap(finishHash256(md));
    }

    private static byte[] finishHash256(MessageDigest md) {
        byte[] out = new byte[32];
        finishHash256Into(md, out, 0);
        return out;
    }

    /**
     * Ends the first SHA-256 of {@code md} and hashes its result again, into {@code out} at
     * {@code off} (32 bytes): the first digest is written there and consumed from there (update
     * copies it into the digest's own buffer) before the second overwrites it.
     */
    public static void finishHash256Into(MessageDigest md, byte[] out, int off) {
        digestInto(md, out, off);
        md.update(out, off, 32);
        digestInto(md, out, off);
    }

    /** Ends {@code md} into {@code out} at {@code off} (32 bytes) without allocating. */
    private static void digestInto(MessageDigest md, byte[] out, int off) {
        try {
            md.digest(out, off, 32);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest into a 32-byte slot", e);
        }
    }

    public static byte[] ripemd160(byte[] data) {
        return Ripemd160.digest(data, 0, data.length);
    }

    /** RIPEMD-160 of SHA-256: the 20-byte hash inside P2PKH and P2WPKH outputs. */
    public static byte[] hash160(byte[] data) {
        return ripemd160(sha256(data));
    }

    /** BIP340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data). */
    public static MessageDigest taggedDigest(String tag) {
        byte[] prefix = TAG_PREFIXES.computeIfAbsent(tag, t -> {
            byte[] th = sha256(t.getBytes(StandardCharsets.UTF_8));
            byte[] p = new byte[64];
            System.arraycopy(th, 0, p, 0, 32);
            System.arraycopy(th, 0, p, 32, 32);
            return p;
        });
        MessageDigest md = sha256Digest();
        md.update(prefix);
        return md;
    }

    public static byte[] taggedHash(String tag, byte[] data) {
        MessageDigest md = taggedDigest(tag);
        md.update(data);
        return md.digest();
    }
}
