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
 *
 * <p>Numbers are 96 little-endian 32-bit limbs, always fully reduced. Multiplication is
 * schoolbook followed by folding the high half (2^3072 = 1103717 mod p), several times faster
 * than BigInteger's general division; only the single inversion in finalize uses BigInteger.
 */
public final class MuHash3072 {
    public static final int BYTE_SIZE = 384;
    static final int LIMBS = 96;
    static final long MAX_PRIME_DIFF = 1103717;
    static final BigInteger PRIME = BigInteger.ONE.shiftLeft(3072).subtract(BigInteger.valueOf(MAX_PRIME_DIFF));
    private static final long M32 = 0xffffffffL;
    private static final byte[] ZERO_NONCE = new byte[12];
    private static final ThreadLocal<Cipher> CHACHA20 = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK without ChaCha20", e);
        }
    });

    private int[] numerator = one();
    private int[] denominator = one();

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
        BigInteger inverse = toBigInteger(denominator).modInverse(PRIME);
        numerator = mulMod(numerator, fromBigInteger(inverse));
        denominator = one();
        return Hash256.wrap(Hashes.sha256(toBytes(numerator)));
    }

    /** Core's serialization: numerator then denominator, 384 bytes little-endian each. */
    public byte[] serialize() {
        byte[] out = new byte[2 * BYTE_SIZE];
        System.arraycopy(toBytes(numerator), 0, out, 0, BYTE_SIZE);
        System.arraycopy(toBytes(denominator), 0, out, BYTE_SIZE, BYTE_SIZE);
        return out;
    }

    /** Reads {@link #serialize()} output, including unreduced values Core may hold. */
    public static MuHash3072 deserialize(byte[] data) {
        if (data.length != 2 * BYTE_SIZE) {
            throw new IllegalArgumentException("MuHash3072 state must be " + 2 * BYTE_SIZE + " bytes");
        }
        MuHash3072 m = new MuHash3072();
        m.numerator = reduceOnce(fromBytes(data, 0));
        m.denominator = reduceOnce(fromBytes(data, BYTE_SIZE));
        return m;
    }

    /** Core's MuHash3072::ToNum3072: ChaCha20 keystream keyed by SHA256(element), read little-endian. */
    static int[] toNum3072(byte[] element) {
        byte[] key = Hashes.sha256(element);
        try {
            Cipher c = CHACHA20.get();
            // Decrypt mode: the JDK refuses to encrypt twice with one key and nonce, which a set
            // hash legitimately does; for a stream cipher both modes yield the same keystream.
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(ZERO_NONCE, 0));
            return reduceOnce(fromBytes(c.doFinal(new byte[BYTE_SIZE]), 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK without ChaCha20", e);
        }
    }

    /** a * b mod p for reduced a, b. */
    static int[] mulMod(int[] a, int[] b) {
        int[] prod = new int[2 * LIMBS];
        // Column-wise (Comba) products; each column sum kept as low and high 32-bit halves so
        // that no intermediate exceeds a long.
        long accLo = 0;
        long accHi = 0;
        for (int k = 0; k < 2 * LIMBS - 1; k++) {
            int iMin = Math.max(0, k - (LIMBS - 1));
            int iMax = Math.min(k, LIMBS - 1);
            for (int i = iMin; i <= iMax; i++) {
                long p = (a[i] & M32) * (b[k - i] & M32);
                accLo += p & M32;
                accHi += p >>> 32;
            }
            prod[k] = (int) accLo;
            long carry = (accLo >>> 32) + accHi;
            accLo = carry & M32;
            accHi = carry >>> 32;
        }
        prod[2 * LIMBS - 1] = (int) accLo;

        // low + high * 1103717, since 2^3072 = 1103717 (mod p).
        int[] r = new int[LIMBS];
        long carry = 0;
        for (int i = 0; i < LIMBS; i++) {
            long v = (prod[i] & M32) + (prod[LIMBS + i] & M32) * MAX_PRIME_DIFF + carry;
            r[i] = (int) v;
            carry = v >>> 32;
        }
        // What spilled past 2^3072 folds in the same way, at most twice.
        while (carry != 0) {
            long v = carry * MAX_PRIME_DIFF;
            carry = 0;
            for (int i = 0; i < LIMBS && v != 0; i++) {
                v += r[i] & M32;
                r[i] = (int) v;
                v >>>= 32;
            }
            carry = v;
        }
        return reduceOnce(r);
    }

    /** x mod p for any x below 2^3072 (< 2p): subtract p once when x >= p. */
    private static int[] reduceOnce(int[] x) {
        for (int i = LIMBS - 1; i >= 1; i--) {
            if (x[i] != -1) {
                return x;
            }
        }
        if ((x[0] & M32) < (1L << 32) - MAX_PRIME_DIFF) {
            return x;
        }
        // x - p = x + 1103717 - 2^3072: only limb 0 changes, the rest wrap from all-ones to zero.
        int[] r = new int[LIMBS];
        r[0] = (int) ((x[0] & M32) + MAX_PRIME_DIFF);
        return r;
    }

    private static int[] one() {
        int[] x = new int[LIMBS];
        x[0] = 1;
        return x;
    }

    private static int[] fromBytes(byte[] b, int off) {
        int[] x = new int[LIMBS];
        for (int i = 0; i < LIMBS; i++) {
            int p = off + 4 * i;
            x[i] = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
        }
        return x;
    }

    private static byte[] toBytes(int[] x) {
        byte[] b = new byte[BYTE_SIZE];
        for (int i = 0; i < LIMBS; i++) {
            b[4 * i] = (byte) x[i];
            b[4 * i + 1] = (byte) (x[i] >>> 8);
            b[4 * i + 2] = (byte) (x[i] >>> 16);
            b[4 * i + 3] = (byte) (x[i] >>> 24);
        }
        return b;
    }

    static BigInteger toBigInteger(int[] x) {
        byte[] be = new byte[BYTE_SIZE];
        byte[] le = toBytes(x);
        for (int i = 0; i < BYTE_SIZE; i++) {
            be[BYTE_SIZE - 1 - i] = le[i];
        }
        return new BigInteger(1, be);
    }

    static int[] fromBigInteger(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] le = new byte[BYTE_SIZE];
        // Values are below 2^3072; a 385th big-endian byte can only be BigInteger's sign byte.
        for (int i = 0; i < Math.min(be.length, BYTE_SIZE); i++) {
            le[i] = be[be.length - 1 - i];
        }
        return fromBytes(le, 0);
    }
}
