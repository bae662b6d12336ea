package org.jbitcoind.protocol.fuzz;

import java.util.Arrays;

/**
 * Reads the structured part of a fuzz input (little-endian fields, 16-bit length-prefixed byte
 * strings). Past the end every field reads as zero or empty, and a length larger than what is
 * left takes what is left, so every byte string is a valid input and the fuzzer never wastes
 * runs on framing. Seeds write the same layout with {@code ByteWriter}.
 */
public final class FuzzBytes {
    private final byte[] input;
    private int pos;

    public FuzzBytes(byte[] input) {
        this.input = input;
    }

    public int u8() {
        return pos < input.length ? input[pos++] & 0xff : 0;
    }

    public int u16() {
        return u8() | u8() << 8;
    }

    public int i32() {
        return u16() | u16() << 16;
    }

    public long i64() {
        return (i32() & 0xffffffffL) | (long) i32() << 32;
    }

    /** A u16 length, then that many bytes (fewer at the end of the input). */
    public byte[] bytes16() {
        return bytes(u16());
    }

    public byte[] bytes(int n) {
        int take = Math.min(n, input.length - pos);
        byte[] out = Arrays.copyOfRange(input, pos, pos + take);
        pos += take;
        return out;
    }

    /** Everything not read yet. */
    public byte[] rest() {
        return bytes(input.length - pos);
    }

    public boolean exhausted() {
        return pos >= input.length;
    }
}
