package org.jbitcoind.storage;

import java.math.BigInteger;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Bitcoin Core's MuHash3072 (crypto/muhash.cpp): a set hash in which elements can be added and
 * removed in any order. Each element becomes a 3072-bit number: SHA256 of its bytes keys a
 * ChaCha20 stream (zero nonce, counter 0) whose first 384 bytes are read little-endian. The set
 * is the product of its elements modulo the prime 2^3072 - 1103717, kept as a fraction
 * (numerator/denominator) so that removal costs a multiplication, not an inversion. The final
 * hash is SHA256 of the 384-byte little-endian reduced quotient.
 *
 * <p>{@link #finalizeHash()} gives the 32 bytes as Core's uint256 holds them, so its
 * {@link Hash256#toString()} is the hex Core prints (gettxoutsetinfo's muhash).
 */
public final class MuHash3072 {
    public static final int BYTE_SIZE = 384;
    static final BigInteger PRIME = BigInteger.ONE.shiftLeft(3072).subtract(BigInteger.valueOf(1103717));
    private static final BigInteger MAX_PRIME_DIFF = BigInteger.valueOf(1103717);
    private static final BigInteger MASK_3072 = BigInteger.ONE.shiftLeft(3072).subtract(BigInteger.ONE);

    private static final byte[] ZERO_NONCE = new byte[12];
    private static final ThreadLocal<Cipher> CHACHA20 = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK without ChaCha20", e);
        }
    });

    private BigInteger numerator = BigInteger.ONE;
    private BigInteger denominator = BigInteger.ONE;

    public MuHash3072() {
    }

    /** Adds an element (Core's Insert). */
    public MuHash3072 insert(byte[] element) {
        numerator = mulMod(numerator, toNum3072(element));
        return this;
    }

    /** Removes an element (Core's Remove); removing what was never added is not detected. */
    public MuHash3072 remove(byte[] element) {
        denominator = mulMod(denominator, toNum3072(element));
        return this;
    }

    /** Set union: this *= other (Core's operator*=). */
    public MuHash3072 combine(MuHash3072 other) {
        numerator = mulMod(numerator, other.numerator);
        denominator = mulMod(denominator, other.denominator);
        return this;
    }

    /** Set difference: this /= other (Core's operator/=). */
    public MuHash3072 subtract(MuHash3072 other) {
        numerator = mulMod(numerator, other.denominator);
        denominator = mulMod(denominator, other.numerator);
        return this;
    }

    /**
     * The set hash; like Core's Finalize it collapses the fraction, so the object stays usable and
     * later calls give the same result until the set changes.
     */
    public Hash256 finalizeHash() {
        numerator = mulMod(numerator, denominator.modInverse(PRIME));
        denominator = BigInteger.ONE;
        return Hash256.wrap(Hashes.sha256(toLittleEndian(numerator)));
    }

    /** Core's serialization: numerator then denominator, 384 bytes little-endian each. */
    public byte[] serialize() {
        byte[] out = new byte[2 * BYTE_SIZE];
        System.arraycopy(toLittleEndian(numerator), 0, out, 0, BYTE_SIZE);
        System.arraycopy(toLittleEndian(denominator), 0, out, BYTE_SIZE, BYTE_SIZE);
        return out;
    }

    /** Reads {@link #serialize()} output, including unreduced values Core may hold. */
    public static MuHash3072 deserialize(byte[] data) {
        if (data.length != 2 * BYTE_SIZE) {
            throw new IllegalArgumentException("MuHash3072 state must be " + 2 * BYTE_SIZE + " bytes");
        }
        MuHash3072 m = new MuHash3072();
        m.numerator = fromLittleEndian(data, 0).mod(PRIME);
        m.denominator = fromLittleEndian(data, BYTE_SIZE).mod(PRIME);
        return m;
    }

    /** Core's MuHash3072::ToNum3072: ChaCha20 keystream keyed by SHA256(element), read little-endian. */
    static BigInteger toNum3072(byte[] element) {
        byte[] key = Hashes.sha256(element);
        try {
            Cipher c = CHACHA20.get();
            // Decrypt mode: the JDK refuses to encrypt twice with one key and nonce, which a set
            // hash legitimately does; for a stream cipher both modes yield the same keystream.
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(ZERO_NONCE, 0));
            byte[] stream = c.doFinal(new byte[BYTE_SIZE]);
            return fromLittleEndian(stream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK without ChaCha20", e);
        }
    }

    /**
     * a * b mod p using p = 2^3072 - c: the high half of a product folds into the low half times c,
     * which is cheaper than a general division.
     */
    private static BigInteger mulMod(BigInteger a, BigInteger b) {
        BigInteger t = a.multiply(b);
        while (t.bitLength() > 3072) {
            t = t.and(MASK_3072).add(t.shiftRight(3072).multiply(MAX_PRIME_DIFF));
        }
        return t.compareTo(PRIME) >= 0 ? t.subtract(PRIME) : t;
    }

    private static BigInteger fromLittleEndian(byte[] b, int off) {
        byte[] be = new byte[BYTE_SIZE];
        for (int i = 0; i < BYTE_SIZE; i++) {
            be[BYTE_SIZE - 1 - i] = b[off + i];
        }
        return new BigInteger(1, be);
    }

    private static byte[] toLittleEndian(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] le = new byte[BYTE_SIZE];
        // Values are below 2^3072; a 385th big-endian byte can only be BigInteger's sign byte.
        for (int i = 0; i < Math.min(be.length, BYTE_SIZE); i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }
}
