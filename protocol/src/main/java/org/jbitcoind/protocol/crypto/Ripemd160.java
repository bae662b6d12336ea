package org.jbitcoind.protocol.crypto;

import java.util.Arrays;

/**
 * RIPEMD-160 (Dobbertin, Bosselaers, Preneel, 1996) as five round loops over the message-word
 * and rotation tables, instead of BouncyCastle's fully unrolled 160 steps.
 *
 * <p>Why our own: Bitcoin hashes mostly one short block at a time (HASH160 of a 33-byte key), so
 * the run time is small either way, while the unrolled compression function was one of the
 * largest methods the JIT compiled during a block import. Stateless and allocation-light: the
 * chaining values and message words live in two small arrays per call.
 */
public final class Ripemd160 {
    public static final int DIGEST_LENGTH = 20;

    /** Message word used by each of the 80 steps, left line. */
    private static final byte[] R_LEFT = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
        3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
        1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
        4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13};
    /** Message word used by each of the 80 steps, right line. */
    private static final byte[] R_RIGHT = {
        5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
        6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
        15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
        8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
        12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11};
    /** Left rotation of each step, left line. */
    private static final byte[] S_LEFT = {
        11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
        7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
        11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
        11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
        9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6};
    /** Left rotation of each step, right line. */
    private static final byte[] S_RIGHT = {
        8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
        9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
        9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
        15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
        8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11};

    private static final int K1 = 0x5a827999;
    private static final int K2 = 0x6ed9eba1;
    private static final int K3 = 0x8f1bbcdc;
    private static final int K4 = 0xa953fd4e;
    private static final int KR0 = 0x50a28be6;
    private static final int KR1 = 0x5c4dd124;
    private static final int KR2 = 0x6d703ef3;
    private static final int KR3 = 0x7a6d76e9;

    private Ripemd160() {
    }

    public static byte[] digest(byte[] data) {
        return digest(data, 0, data.length);
    }

    public static byte[] digest(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + off + " + " + len + ") of " + data.length);
        }
        int[] h = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
        int[] x = new int[16];
        int end = off + len;
        int p = off;
        for (; end - p >= 64; p += 64) {
            for (int i = 0; i < 16; i++) {
                x[i] = littleEndianInt(data, p + 4 * i);
            }
            compress(h, x);
        }
        // Padding: the rest of the message, a 1 bit, zeros, and the length in bits (little-endian),
        // built directly in the message words.
        Arrays.fill(x, 0);
        int rest = end - p;
        for (int i = 0; i < rest; i++) {
            x[i >>> 2] |= (data[p + i] & 0xff) << ((i & 3) << 3);
        }
        x[rest >>> 2] |= 0x80 << ((rest & 3) << 3);
        if (rest > 55) {
            // No room left for the length: it goes in a block of its own.
            compress(h, x);
            Arrays.fill(x, 0);
        }
        long bits = (long) len << 3;
        x[14] = (int) bits;
        x[15] = (int) (bits >>> 32);
        compress(h, x);
        byte[] out = new byte[DIGEST_LENGTH];
        for (int i = 0; i < 5; i++) {
            int v = h[i];
            out[4 * i] = (byte) v;
            out[4 * i + 1] = (byte) (v >>> 8);
            out[4 * i + 2] = (byte) (v >>> 16);
            out[4 * i + 3] = (byte) (v >>> 24);
        }
        return out;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    /**
     * One compression of the 16 message words {@code x} into the chaining values {@code h}: two
     * parallel lines of five 16-step rounds; the right line uses the boolean functions in
     * reverse order.
     */
    private static void compress(int[] h, int[] x) {
        int al = h[0];
        int bl = h[1];
        int cl = h[2];
        int dl = h[3];
        int el = h[4];
        int ar = al;
        int br = bl;
        int cr = cl;
        int dr = dl;
        int er = el;
        int t;
        for (int j = 0; j < 16; j++) {
            t = Integer.rotateLeft(al + (bl ^ cl ^ dl) + x[R_LEFT[j]], S_LEFT[j]) + el;
            al = el;
            el = dl;
            dl = Integer.rotateLeft(cl, 10);
            cl = bl;
            bl = t;
            t = Integer.rotateLeft(ar + (br ^ (cr | ~dr)) + x[R_RIGHT[j]] + KR0, S_RIGHT[j]) + er;
            ar = er;
            er = dr;
            dr = Integer.rotateLeft(cr, 10);
            cr = br;
            br = t;
        }
        for (int j = 16; j < 32; j++) {
            t = Integer.rotateLeft(al + ((bl & cl) | (~bl & dl)) + x[R_LEFT[j]] + K1, S_LEFT[j]) + el;
            al = el;
            el = dl;
            dl = Integer.rotateLeft(cl, 10);
            cl = bl;
            bl = t;
            t = Integer.rotateLeft(ar + ((br & dr) | (cr & ~dr)) + x[R_RIGHT[j]] + KR1, S_RIGHT[j]) + er;
            ar = er;
            er = dr;
            dr = Integer.rotateLeft(cr, 10);
            cr = br;
            br = t;
        }
        for (int j = 32; j < 48; j++) {
            t = Integer.rotateLeft(al + ((bl | ~cl) ^ dl) + x[R_LEFT[j]] + K2, S_LEFT[j]) + el;
            al = el;
            el = dl;
            dl = Integer.rotateLeft(cl, 10);
            cl = bl;
            bl = t;
            t = Integer.rotateLeft(ar + ((br | ~cr) ^ dr) + x[R_RIGHT[j]] + KR2, S_RIGHT[j]) + er;
            ar = er;
            er = dr;
            dr = Integer.rotateLeft(cr, 10);
            cr = br;
            br = t;
        }
        for (int j = 48; j < 64; j++) {
            t = Integer.rotateLeft(al + ((bl & dl) | (cl & ~dl)) + x[R_LEFT[j]] + K3, S_LEFT[j]) + el;
            al = el;
            el = dl;
            dl = Integer.rotateLeft(cl, 10);
            cl = bl;
            bl = t;
            t = Integer.rotateLeft(ar + ((br & cr) | (~br & dr)) + x[R_RIGHT[j]] + KR3, S_RIGHT[j]) + er;
            ar = er;
            er = dr;
            dr = Integer.rotateLeft(cr, 10);
            cr = br;
            br = t;
        }
        for (int j = 64; j < 80; j++) {
            t = Integer.rotateLeft(al + (bl ^ (cl | ~dl)) + x[R_LEFT[j]] + K4, S_LEFT[j]) + el;
            al = el;
            el = dl;
            dl = Integer.rotateLeft(cl, 10);
            cl = bl;
            bl = t;
            t = Integer.rotateLeft(ar + (br ^ cr ^ dr) + x[R_RIGHT[j]], S_RIGHT[j]) + er;
            ar = er;
            er = dr;
            dr = Integer.rotateLeft(cr, 10);
            cr = br;
            br = t;
        }
        t = h[1] + cl + dr;
        h[1] = h[2] + dl + er;
        h[2] = h[3] + el + ar;
        h[3] = h[4] + al + br;
        h[4] = h[0] + bl + cr;
        h[0] = t;
    }
}
