package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Core's compress_tests (compress_amounts) plus amounts at the edges. */
class AmountCompressionTest {
    private static final long COIN = 100_000_000L;
    private static final long CENT = 1_000_000L;

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
        "0, 0",
        "1, 1",
        "1000000, 7",            // CENT
        "100000000, 9",          // COIN
        "5000000000, 50",        // 50 * COIN = 0x32
        "2100000000000000, 21000000", // 21e6 * COIN = 0x1406f40
        // One per exponent (trailing zeros, capped at nine), worked out from Core's formula.
        "12345, 111101",         // e=0: 1 + 10*(9*1234 + 5 - 1)
        "10, 2",                 // e=1
        "2500000000, 229",       // 25 BTC, e=8: 1 + 10*(9*2 + 5 - 1) + 8
        "1000000000, 10",        // e=9, n=1
        "30000000000, 300",      // 300 BTC: nine zeros stripped, the tenth kept (n=30)
    })
    void corePairs(long amount, long compressed) {
        assertEquals(compressed, AmountCompression.compress(amount));
        assertEquals(amount, AmountCompression.decompress(compressed));
    }

    @ParameterizedTest
    @ValueSource(longs = {2, 9, 10, 11, 99, 100, 101, 999_999_999L, 1_000_000_000L, 1_000_000_001L,
        10_000_000_000L, 123_456_789_012_345L, 2_099_999_997_690_000L, 2_100_000_000_000_001L,
        50_000_000_000_000_000L, 100_000_000_000_000_000L, 999_999_999_999_999_999L})
    void trickyAmountsRoundTrip(long amount) {
        assertEquals(amount, AmountCompression.decompress(AmountCompression.compress(amount)));
    }

    /** The compressor is branch-free; Core's loop (as it reads in compressor.cpp) is the reference. */
    @ParameterizedTest
    @ValueSource(longs = {1, 7, 10, 90, 1_000_000_000L, 5_000_000_000L, 10_000_000_000L, 123_000_000_000L,
        -1L, -10L, Long.MIN_VALUE, Long.MAX_VALUE, -8_446_744_073_000_000_000L, 0x8000_0000_0000_000AL})
    void matchesCoresLoopIncludingUnsignedAmounts(long amount) {
        // Equal to Core's result, wrap-around included (amounts past 2^64 / 90 do not round-trip there either).
        assertEquals(coresLoop(amount), AmountCompression.compress(amount));
    }

    @Test
    void matchesCoresLoopOnPseudoRandomAmounts() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long digits = random.nextLong(1, 2_100_000_000_000_000L);
            long amount = digits;
            for (int zeros = random.nextInt(0, 12); zeros > 0 && amount < Long.MAX_VALUE / 10; zeros--) {
                amount *= 10;
            }
            assertEquals(coresLoop(amount), AmountCompression.compress(amount), "amount " + amount);
        }
    }

    private static long coresLoop(long n) {
        if (n == 0) {
            return 0;
        }
        int e = 0;
        while (Long.remainderUnsigned(n, 10) == 0 && e < 9) {
            n = Long.divideUnsigned(n, 10);
            e++;
        }
        if (e < 9) {
            long d = Long.remainderUnsigned(n, 10);
            n = Long.divideUnsigned(n, 10);
            return 1 + (n * 9 + d - 1) * 10 + e;
        }
        return 1 + (n - 1) * 10 + 9;
    }

    @Test
    void coreRanges() {
        for (long i = 1; i <= 100_000; i++) {
            assertEquals(i, AmountCompression.decompress(AmountCompression.compress(i)));
        }
        for (long i = 1; i <= 10_000; i++) {
            assertEquals(i * CENT, AmountCompression.decompress(AmountCompression.compress(i * CENT)));
            assertEquals(i * COIN, AmountCompression.decompress(AmountCompression.compress(i * COIN)));
        }
        for (long i = 1; i <= 420_000; i++) {
            long v = i * 50 * COIN;
            assertEquals(v, AmountCompression.decompress(AmountCompression.compress(v)));
        }
        for (long i = 0; i < 100_000; i++) {
            assertEquals(i, AmountCompression.compress(AmountCompression.decompress(i)));
        }
    }
}
