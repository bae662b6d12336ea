package org.jbitcoind.protocol.crypto;

import java.math.BigInteger;
import java.util.Objects;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.codec.LittleEndian;

/**
 * A 32-byte hash (txid, block hash, merkle root). Held in internal byte order, the order in
 * which it is serialized and hashed; {@link #toString()} gives the reversed-hex display form that
 * RPC and block explorers use.
 *
 * <p>The bytes are kept as four little-endian longs rather than in an array: one object instead of
 * two for every hash (every input's prevout, every cached coin's key), and equality in four
 * comparisons.
 */
public final class Hash256 implements Comparable<Hash256> {
    public static final int LENGTH = 32;
    public static final Hash256 ZERO = new Hash256(0, 0, 0, 0);

    /** Bytes 0-7, 8-15, 16-23 and 24-31, each read little-endian. */
    private final long l0;
    private final long l1;
    private final long l2;
    private final long l3;

    private Hash256(long l0, long l1, long l2, long l3) {
        this.l0 = l0;
        this.l1 = l1;
        this.l2 = l2;
        this.l3 = l3;
    }

    /** The hash with these bytes; {@code internalOrder} is not kept (the name is from when it was). */
    public static Hash256 wrap(byte[] internalOrder) {
        if (internalOrder.length != LENGTH) {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + internalOrder.length);
        }
        return of(internalOrder, 0);
    }

    public static Hash256 of(byte[] internalOrder) {
        return wrap(internalOrder);
    }

    /** The 32 bytes of {@code buf} from {@code offset}. */
    public static Hash256 of(byte[] buf, int offset) {
        Objects.checkFromIndexSize(offset, LENGTH, buf.length);
        return new Hash256(LittleEndian.getLong(buf, offset), LittleEndian.getLong(buf, offset + 8),
                LittleEndian.getLong(buf, offset + 16), LittleEndian.getLong(buf, offset + 24));
    }

    /** Parses the display (reversed) hex form, as RPC and explorers print hashes. */
    public static Hash256 fromHex(String displayHex) {
        if (displayHex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("hash must be 64 hex characters");
        }
        byte[] b = Hex.decode(displayHex);
        reverse(b);
        return of(b, 0);
    }

    /** Internal byte order, in a new array. */
    public byte[] bytes() {
        byte[] b = new byte[LENGTH];
        copyTo(b, 0);
        return b;
    }

    /** Display (reversed) byte order. */
    public byte[] reversedBytes() {
        byte[] b = bytes();
        reverse(b);
        return b;
    }

    public void copyTo(byte[] dest, int offset) {
        Objects.checkFromIndexSize(offset, LENGTH, dest.length);
        LittleEndian.putLong(dest, offset, l0);
        LittleEndian.putLong(dest, offset + 8, l1);
        LittleEndian.putLong(dest, offset + 16, l2);
        LittleEndian.putLong(dest, offset + 24, l3);
    }

    public byte byteAt(int i) {
        Objects.checkIndex(i, LENGTH);
        return (byte) (word(i >>> 3) >>> ((i & 7) * 8));
    }

    private long word(int w) {
        return switch (w) {
            case 0 -> l0;
            case 1 -> l1;
            case 2 -> l2;
            default -> l3;
        };
    }

    public boolean isZero() {
        return (l0 | l1 | l2 | l3) == 0;
    }

    /** The hash read as a little-endian 256-bit unsigned number, as proof-of-work compares it. */
    public BigInteger toBigInteger() {
        return new BigInteger(1, reversedBytes());
    }

    /** The first 8 bytes as a long: a cheap, well-mixed key for hash tables. */
    public long prefix64() {
        return l0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash256 other && l0 == other.l0 && l1 == other.l1 && l2 == other.l2 && l3 == other.l3;
    }

    /** The first four bytes, little-endian (as before: hashes are uniformly distributed already). */
    @Override
    public int hashCode() {
        return (int) l0;
    }

    /** Orders as numbers (most significant byte is the last internal byte). */
    @Override
    public int compareTo(Hash256 o) {
        int c = Long.compareUnsigned(l3, o.l3);
        if (c == 0) {
            c = Long.compareUnsigned(l2, o.l2);
            if (c == 0) {
                c = Long.compareUnsigned(l1, o.l1);
                if (c == 0) {
                    c = Long.compareUnsigned(l0, o.l0);
                }
            }
        }
        return c;
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
