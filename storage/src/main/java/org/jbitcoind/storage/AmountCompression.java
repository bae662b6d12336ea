package org.jbitcoind.storage;

/**
 * Bitcoin Core's CompressAmount/DecompressAmount (compressor.cpp): amounts with many trailing
 * decimal zeros, which most outputs have, shrink to small numbers before they are VARINT-encoded.
 * Values are treated as unsigned 64-bit, as Core does.
 */
public final class AmountCompression {
    private AmountCompression() {
    }

    /**
     * 0 stays 0; otherwise strip up to nine trailing decimal zeros (exponent e); when e < 9 the
     * last remaining digit d (1..9) is stored apart from the rest n: 1 + 10*(9*n + d - 1) + e,
     * else 1 + 10*(n - 1) + 9.
     */
    public static long compress(long amount) {
        if (amount == 0) {
            return 0;
        }
        // Nine fixed steps and a select without data-dependent branches: the first amount with
        // nine trailing zeros (a 50 BTC coinbase) used to take a branch compiled code had never
        // seen, which deoptimized and recompiled every caller it was inlined into.
        long n = amount;
        long e = 0;
        long zeros = 1; // 1 while every digit stripped so far was a zero
        for (int i = 0; i < 9; i++) {
            long q = Long.divideUnsigned(n, 10);
            long r = n - q * 10;
            zeros &= ((r | -r) >>> 63) ^ 1;
            n += (q - n) * zeros;
            e += zeros;
        }
        long d = n - Long.divideUnsigned(n, 10) * 10;
        long partial = 1 + (Long.divideUnsigned(n, 10) * 9 + d - 1) * 10 + e;
        long whole = 1 + (n - 1) * 10 + 9;
        long isWhole = (8 - e) >>> 63; // e == 9
        return partial + (whole - partial) * isWhole;
    }

    public static long decompress(long compressed) {
        if (compressed == 0) {
            return 0;
        }
        long x = compressed - 1;
        int e = (int) Long.remainderUnsigned(x, 10);
        x = Long.divideUnsigned(x, 10);
        long n;
        if (e < 9) {
            int d = (int) Long.remainderUnsigned(x, 9) + 1;
            x = Long.divideUnsigned(x, 9);
            n = x * 10 + d;
        } else {
            n = x + 1;
        }
        while (e > 0) {
            n *= 10;
            e--;
        }
        return n;
    }
}
