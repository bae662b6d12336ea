package org.jbitcoind.chain.crypto;

/**
 * Lenient DER signature parsing with the behaviour of Bitcoin Core's
 * ecdsa_signature_parse_der_lax: signatures in blocks before BIP66 may carry padded or
 * oversized length fields and padded integers, and must still verify as they did then.
 */
public final class LaxDer {
    /** secp256k1 group order n, big-endian. */
    static final byte[] ORDER = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    static final byte[] HALF_ORDER = hex("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    private LaxDer() {
    }

    /**
     * Parses {@code len} bytes at {@code off} into a 64-byte r||s. Returns null when the bytes are
     * not even loosely DER; returns all zeros (a signature that never verifies) when r or s
     * does not fit below the group order, as Core does.
     */
    public static byte[] parse(byte[] in, int off, int len) {
        int end = off + len;
        int pos = off;
        if (pos == end || (in[pos] & 0xff) != 0x30) {
            return null;
        }
        pos++;
        if (pos == end) {
            return null;
        }
        int lenbyte = in[pos++] & 0xff;
        if ((lenbyte & 0x80) != 0) {
            lenbyte -= 0x80;
            if (lenbyte > end - pos) {
                return null;
            }
            pos += lenbyte;
        }
        // R
        if (pos == end || in[pos] != 0x02) {
            return null;
        }
        pos++;
        long packed = readLength(in, pos, end);
        if (packed < 0) {
            return null;
        }
        pos = (int) packed;
        long rlen = packed >>> 32;
        if (rlen > end - pos) {
            return null;
        }
        int rpos = pos;
        pos += (int) rlen;
        // S
        if (pos == end || in[pos] != 0x02) {
            return null;
        }
        pos++;
        packed = readLength(in, pos, end);
        if (packed < 0) {
            return null;
        }
        pos = (int) packed;
        long slen = packed >>> 32;
        if (slen > end - pos) {
            return null;
        }
        int spos = pos;
        byte[] sig = new byte[64];
        boolean overflow = !copyInteger(in, rpos, (int) rlen, sig, 0) | !copyInteger(in, spos, (int) slen, sig, 32);
        if (overflow || compare(sig, 0, ORDER) >= 0 || compare(sig, 32, ORDER) >= 0) {
            return new byte[64];
        }
        return sig;
    }

    /**
     * Reads a DER length at pos (short or long form); returns the length in the high 32 bits and
     * the new position in the low 32 (the length has at most three bytes, so both fit), or -1.
     */
    private static long readLength(byte[] in, int pos, int end) {
        if (pos == end) {
            return -1;
        }
        int lenbyte = in[pos++] & 0xff;
        if ((lenbyte & 0x80) == 0) {
            return (long) lenbyte << 32 | pos;
        }
        lenbyte -= 0x80;
        if (lenbyte > end - pos) {
            return -1;
        }
        while (lenbyte > 0 && in[pos] == 0) {
            pos++;
            lenbyte--;
        }
        if (lenbyte >= 4) {
            return -1;
        }
        long v = 0;
        while (lenbyte > 0) {
            v = (v << 8) + (in[pos] & 0xff);
            pos++;
            lenbyte--;
        }
        return v << 32 | pos;
    }

    /** Copies a big-endian integer without leading zeros into 32 bytes; false if it is longer. */
    private static boolean copyInteger(byte[] in, int pos, int len, byte[] out, int outOff) {
        while (len > 0 && in[pos] == 0) {
            pos++;
            len--;
        }
        if (len > 32) {
            return false;
        }
        System.arraycopy(in, pos, out, outOff + 32 - len, len);
        return true;
    }

    /** True when s (second half of r||s) is above n/2, i.e. not BIP62 low-S. */
    public static boolean isHighS(byte[] compact) {
        return compare(compact, 32, HALF_ORDER) > 0;
    }

    /** A copy of r||s with s replaced by n - s when s is high (libsecp256k1 only verifies low S). */
    public static byte[] normalizeS(byte[] compact) {
        if (!isHighS(compact)) {
            return compact;
        }
        byte[] out = compact.clone();
        negateS(compact, out);
        return out;
    }

    /**
     * {@link #normalizeS} without the copy: replaces a high s by n - s in {@code compact} itself
     * (for a fresh array from {@link #parse}); returns it.
     */
    public static byte[] normalizeSInPlace(byte[] compact) {
        if (isHighS(compact)) {
            negateS(compact, compact);
        }
        return compact;
    }

    private static void negateS(byte[] compact, byte[] out) {
        int borrow = 0;
        for (int i = 31; i >= 0; i--) {
            int d = (ORDER[i] & 0xff) - (compact[32 + i] & 0xff) - borrow;
            borrow = d < 0 ? 1 : 0;
            out[32 + i] = (byte) d;
        }
    }

    static int compare(byte[] a, int off, byte[] b) {
        for (int i = 0; i < 32; i++) {
            int x = a[off + i] & 0xff;
            int y = b[i] & 0xff;
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        return 0;
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
