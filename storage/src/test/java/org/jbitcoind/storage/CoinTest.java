package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoinTest {
    private static final TxOut OUT = new TxOut(5000, Hex.decode("76a914000000000000000000000000000000000000000088ac"));

    /** Height and coinbase flag come back as given, and code() is Core's height * 2 + coinbase, unsigned. */
    @ParameterizedTest(name = "height {0} coinbase {1}: code {2}")
    @CsvSource({
        "0, false, 0",
        "0, true, 1",
        "1, false, 2",
        "840000, true, 1680001",
        "1073741823, false, 2147483646",
        "1073741824, true, 2147483649",      // above 2^30: the code no longer fits a signed int
        "2147483647, true, 4294967295",
        "2147483647, false, 4294967294",
    })
    void keepsHeightAndCoinbase(int height, boolean coinbase, long code) {
        Coin c = new Coin(OUT, height, coinbase);
        assertEquals(height, c.height());
        assertEquals(coinbase, c.coinbase());
        assertEquals(code, c.code());
        assertEquals(coinbase ? 1 : 0, c.coinbaseBit());
        assertEquals(c, new Coin(new TxOut(5000, OUT.scriptPubKey().clone()), height, coinbase));
        assertEquals(c.hashCode(), new Coin(OUT, height, coinbase).hashCode());
        assertNotEquals(c, new Coin(OUT, height, !coinbase));
        assertEquals("Coin[output=" + OUT + ", height=" + height + ", coinbase=" + coinbase + "]", c.toString());
    }

    @ParameterizedTest(name = "height {0}")
    @CsvSource({"-1", "-2147483648"})
    void rejectsNegativeHeights(int height) {
        assertThrows(IllegalArgumentException.class, () -> new Coin(OUT, height, false));
    }
}
