package org.jbitcoind.protocol.crypto;

import java.math.BigInteger;
import java.util.Arrays;

import org.jbitcoind.protocol.codec.Hex;

/**
 * A 32-byte hash (txid, block hash, merkle root). Held in internal byte order, the order in
 * which it is serialized and hashed; {@link #toString()} gives the reversed-hex display form that
 * RPC and block explorers use.
 */
public final class Hash256 implements Comparable<Hash256> {
    public static final int LENGTH = 32;
    public static final Hash256 ZERO = new Hash256(new byte[LENGTH]);

    private final byte[] bytes;
    private int hash;

    private Hash256(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code internalOrder}; the caller must not modify it afterwards. */
    public static Hash256 wrap(byte[] internalOrder) {
        if (internalOrder.length != LENGTH) {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + internalOrder.length);
        }
        return new Hash256(internalOrder);
    }

    public static Hash256 of(byte[] internalOrder) {
        return wrap(internalOrder.clone());
    }

    public static Hash256 of(byte[] buf, int offset) {
        return new Hash256(Arrays.copyOfRange(buf, offset, offset + LENGTH));
    }

    /** Parses the display (reversed) hex form, as RPC and explorers print hashes. */
    public static Hash256 fromHex(String displayHex) {
        if (displayHex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("hash must be 64 hex characters");
        }
        byte[] b = Hex.decode(displayHex);
        reverse(b);
        return new Hash256(b);
    }

    /** Internal byte order, copied. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Display (reversed) byte order. */
    public byte[] reversedBytes() {
        byte[] b = bytes.clone();
        reverse(b);
        return b;
    }

    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(bytes, 0, dest, offset, LENGTH);
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    public boolean isZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The hash read as a little-endian 256-bit unsigned number, as proof-of-work compares it. */
    public BigInteger toBigInteger() {
        return new BigInteger(1, reversedBytes());
    }

    /** The first 8 bytes as a long: a cheap, well-mixed key for hash tables. */
    public long prefix64() {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (bytes[i] & 0xff);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash256 other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 24;
            hash = h;
        }
        return h;
    }

    /** Orders as numbers (most significant byte is the last internal byte). */
    @Override
    public int compareTo(Hash256 o) {
        for (int i = LENGTH - 1; i >= 0; i--) {
            int c = Integer.compare(bytes[i] & 0xff, o.bytes[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return Hex.encode(reversedBytes());
    }

    private static void reverse(byte[] b) {
        for (int i = 0, j = b.length - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
    }
}
