package org.jbitcoind.protocol.codec;

import java.util.Arrays;

import org.jbitcoind.protocol.crypto.Hash256;

/** Growable little-endian writer; the counterpart of {@link ByteReader}. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(256);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public int size() {
        return size;
    }

    /** Empties the writer and keeps its buffer, for a writer reused (on one thread) for hashing. */
    public ByteWriter clear() {
        size = 0;
        return this;
    }

    public ByteWriter writeU8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter writeU16LE(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        return this;
    }

    public ByteWriter writeU16BE(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter writeI32LE(int v) {
        ensure(4);
        LittleEndian.putInt(buf, size, v);
        size += 4;
        return this;
    }

    public ByteWriter writeU32LE(long v) {
        return writeI32LE((int) v);
    }

    public ByteWriter writeI64LE(long v) {
        ensure(8);
        LittleEndian.putLong(buf, size, v);
        size += 8;
        return this;
    }

    public ByteWriter writeBytes(byte[] b) {
        return writeBytes(b, 0, b.length);
    }

    public ByteWriter writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    public ByteWriter writeHash(Hash256 h) {
        ensure(32);
        h.copyTo(buf, size);
        size += 32;
        return this;
    }

    public ByteWriter writeCompactSize(long v) {
        if (v >= 0 && v < 0xfd) {
            writeU8((int) v);
        } else if (v >= 0 && v <= 0xffff) {
            writeU8(0xfd);
            writeU16LE((int) v);
        } else if (v >= 0 && v <= 0xffffffffL) {
            writeU8(0xfe);
            writeI32LE((int) v);
        } else {
            writeU8(0xff);
            writeI64LE(v);
        }
        return this;
    }

    public ByteWriter writeVarBytes(byte[] b) {
        writeCompactSize(b.length);
        return writeBytes(b);
    }

    /**
     * Bitcoin Core's VARINT (serialize.h) of an unsigned 64-bit value: MSB-first base-128 with
     * the bias that makes the encoding unique. See {@link ByteReader#readVarInt()}.
     */
    public ByteWriter writeVarInt(long v) {
        // Written last byte first into its place: no scratch array per call (undo data writes
        // several per spent coin).
        int len = varIntLength(v);
        ensure(len);
        int pos = size + len - 1;
        long n = v;
        buf[pos] = (byte) (n & 0x7f);
        while (Long.compareUnsigned(n, 0x7f) > 0) {
            n = (n >>> 7) - 1;
            buf[--pos] = (byte) ((n & 0x7f) | 0x80);
        }
        size += len;
        return this;
    }

    /** Encoded length of {@link #writeVarInt(long)}. */
    public static int varIntLength(long v) {
        int len = 1;
        long n = v;
        while (Long.compareUnsigned(n, 0x7f) > 0) {
            n = (n >>> 7) - 1;
            len++;
        }
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The internal buffer (valid up to {@link #size()}), for hashing without a copy. */
    public byte[] array() {
        return buf;
    }

    public static int compactSizeLength(long v) {
        if (v >= 0 && v < 0xfd) {
            return 1;
        } else if (v >= 0 && v <= 0xffff) {
            return 3;
        } else if (v >= 0 && v <= 0xffffffffL) {
            return 5;
        }
        return 9;
    }
}
