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
        long n = amount;
        int e = 0;
        while (Long.remainderUnsigned(n, 10) == 0 && e < 9) {
            n = Long.divideUnsigned(n, 10);
            e++;
        }
        if (e < 9) {
            int d = (int) Long.remainderUnsigned(n, 10);
            n = Long.divideUnsigned(n, 10);
            return 1 + (n * 9 + d - 1) * 10 + e;
        }
        return 1 + (n - 1) * 10 + 9;
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
