package org.jbitcoind.chain.spv;

/**
 * SipHash-2-4 with a 128-bit key given as two little-endian 64-bit halves (k0 = key bytes 0..7).
 * BIP158 hashes filter elements with it and BIP152 derives compact-block short IDs from it.
 */
public final class SipHash {
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    private SipHash(long k0, long k1) {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
    }

    public static long hash(long k0, long k1, byte[] data) {
        return hash(k0, k1, data, 0, data.length);
    }

    public static long hash(long k0, long k1, byte[] data, int offset, int length) {
        SipHash s = new SipHash(k0, k1);
        int end = offset + (length & ~7);
        for (int i = offset; i < end; i += 8) {
            s.compress(readLE64(data, i));
        }
        // The final word carries the length's low byte on top of the leftover bytes.
        long last = (long) (length & 0xff) << 56;
        for (int i = 0; i < (length & 7); i++) {
            last |= (long) (data[end + i] & 0xff) << (8 * i);
        }
        s.compress(last);
        return s.finish();
    }

    /** Little-endian 64-bit word at {@code offset}; also how BIP158 and BIP152 turn hash bytes into keys. */
    public static long readLE64(byte[] b, int offset) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[offset + i] & 0xff);
        }
        return v;
    }

    private void compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    private long finish() {
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
