package org.jbitcoind.protocol.codec;

import java.util.Arrays;

import org.jbitcoind.protocol.crypto.Hash256;

/**
 * Bounds-checked little-endian reader over a byte array. The only place, together with
 * {@link ByteWriter}, that knows the byte order of the wire format and CompactSize.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IllegalArgumentException("slice out of range");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    /** The underlying array; callers use it with {@link #position()} to hash ranges without copying. */
    public byte[] array() {
        return buf;
    }

    private void need(int n) throws DecodeException {
        if (n < 0 || end - pos < n) {
            throw new DecodeException("truncated: need " + n + " bytes, have " + (end - pos));
        }
    }

    public int readU8() throws DecodeException {
        need(1);
        return buf[pos++] & 0xff;
    }

    public int readU16LE() throws DecodeException {
        need(2);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    /** Big-endian 16 bits: only the port in network addresses uses this order. */
    public int readU16BE() throws DecodeException {
        need(2);
        int v = (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int readI32LE() throws DecodeException {
        need(4);
        int v = LittleEndian.getInt(buf, pos);
        pos += 4;
        return v;
    }

    public long readU32LE() throws DecodeException {
        return readI32LE() & 0xffffffffL;
    }

    public long readI64LE() throws DecodeException {
        need(8);
        long v = LittleEndian.getLong(buf, pos);
        pos += 8;
        return v;
    }

    public byte[] readBytes(int n) throws DecodeException {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public void skip(int n) throws DecodeException {
        need(n);
        pos += n;
    }

    public Hash256 readHash() throws DecodeException {
        need(32);
        Hash256 h = Hash256.of(buf, pos);
        pos += 32;
        return h;
    }

    /** CompactSize, rejecting non-canonical (longer than needed) encodings as Core does. */
    public long readCompactSize() throws DecodeException {
        int first = readU8();
        long v;
        if (first < 0xfd) {
            return first;
        } else if (first == 0xfd) {
            v = readU16LE();
            if (v < 0xfd) {
                throw new DecodeException("non-canonical CompactSize");
            }
        } else if (first == 0xfe) {
            v = readU32LE();
            if (v < 0x10000L) {
                throw new DecodeException("non-canonical CompactSize");
            }
        } else {
            v = readI64LE();
            if (Long.compareUnsigned(v, 0x100000000L) < 0) {
                throw new DecodeException("non-canonical CompactSize");
            }
        }
        return v;
    }

    /**
     * A CompactSize used as a count or length, checked against {@code max} before the caller
     * allocates anything for it.
     */
    public int readCount(long max, String what) throws DecodeException {
        long v = readCompactSize();
        if (Long.compareUnsigned(v, max) > 0) {
            throw new DecodeException(what + " too large: " + Long.toUnsignedString(v) + " > " + max);
        }
        return (int) v;
    }

    /** A length-prefixed byte string no longer than {@code max} and no longer than what is left. */
    public byte[] readVarBytes(long max, String what) throws DecodeException {
        int n = readCount(max, what);
        return readBytes(n);
    }

    /**
     * Bitcoin Core's VARINT (serialize.h): MSB-first base-128 where each continuation step
     * subtracts one, so every value has exactly one encoding. Used by Core's on-disk formats
     * (coins, undo, block index), never on the wire. Reads an unsigned 64-bit value (returned
     * in a long, compare with {@link Long#compareUnsigned}).
     */
    public long readVarInt() throws DecodeException {
        return readVarInt(-1L);
    }

    /** A VARINT that must fit in an unsigned 32-bit integer (Core's {@code VARINT} of a uint32_t). */
    public long readVarInt32() throws DecodeException {
        return readVarInt(0xffffffffL);
    }

    /** A VARINT no larger than {@code max} (unsigned), rejected as Core does while it is being read. */
    private long readVarInt(long max) throws DecodeException {
        long n = 0;
        while (true) {
            int b = readU8();
            if (Long.compareUnsigned(n, max >>> 7) > 0) {
                throw new DecodeException("VARINT too large");
            }
            n = (n << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                return n;
            }
            if (n == max) {
                throw new DecodeException("VARINT too large");
            }
            n++;
        }
    }

    public void expectEnd(String what) throws DecodeException {
        if (pos != end) {
            throw new DecodeException(what + ": " + (end - pos) + " trailing bytes");
        }
    }
}
