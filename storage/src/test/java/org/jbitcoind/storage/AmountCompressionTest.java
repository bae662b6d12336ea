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
