package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact coin, against Core's coins_tests (ccoins_serialization) and by round trip. */
class CoinCodecTest {

    static Stream<Arguments> coreCoins() {
        return Stream.of(
            Arguments.of("97f23c835800816115944e077fe7c803cfa57f29b36bf87c1d35", false, 203998, 60_000_000_000L,
                    "76a914816115944e077fe7c803cfa57f29b36bf87c1d3588ac"),
            Arguments.of("8ddf77bbd123008c988f1a4a4de2161e0f50aac7f17e7f9555caa4", true, 120891, 110397L,
                    "76a9148c988f1a4a4de2161e0f50aac7f17e7f9555caa488ac"),
            Arguments.of("000006", false, 0, 0L, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coreCoins")
    void decodesCoreCoinsAndReencodesThemByteForByte(String hex, boolean coinbase, int height, long value,
                                                      String script) throws DecodeException {
        Coin c = CoinCodec.decode(Hex.decode(hex));
        assertEquals(coinbase, c.coinbase());
        assertEquals(height, c.height());
        assertEquals(value, c.output().value());
        assertEquals(script, Hex.encode(c.output().scriptPubKey()));
        assertEquals(hex, Hex.encode(CoinCodec.encode(c)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "000007",           // Core: scriptPubKey that ends beyond the end of the stream
        "00008a95c0bb00",   // Core: 3e9-byte scriptPubKey past the end of the stream
        "",
        "80",
        "97f23c835800816115944e077fe7c803cfa57f29b36bf87c1d",  // P2PKH hash one byte short
        "0000060000",       // trailing bytes
        "9080808080808000", // height code beyond 32 bits
    })
    void rejectsMalformedCoins(String hex) {
        assertThrows(DecodeException.class, () -> CoinCodec.decode(Hex.decode(hex)));
    }

    @Test
    void roundTripsHeightsFlagsAndScripts() throws DecodeException {
        byte[][] scripts = {
            new byte[0],
            Hex.decode("0014" + "ab".repeat(20)),
            Hex.decode("5120" + "cd".repeat(32)),
            Hex.decode("a914" + "01".repeat(20) + "87"),
            Hex.decode("6a0b68656c6c6f20776f726c64"),
        };
        int[] heights = {0, 1, 127, 128, 16_511, 16_512, 840_000, Integer.MAX_VALUE};
        long[] values = {0, 1, 546, 50 * 100_000_000L, 2_099_999_997_690_000L};
        for (byte[] s : scripts) {
            for (int h : heights) {
                for (long v : values) {
                    for (boolean cb : new boolean[] {false, true}) {
                        Coin c = new Coin(new TxOut(v, s), h, cb);
                        Coin back = CoinCodec.decode(CoinCodec.encode(c));
                        assertEquals(c, back);
                        assertArrayEquals(s, back.output().scriptPubKey());
                    }
                }
            }
        }
    }

    @Test
    void compressionPaysOffForTypicalOutputs() {
        Coin p2pkh = new Coin(new TxOut(100_000_000L,
                Hex.decode("76a914" + "11".repeat(20) + "88ac")), 700_000, false);
        byte[] enc = CoinCodec.encode(p2pkh);
        // VARINT(code) 3 bytes + amount 1 byte + 21-byte compressed script, versus 34 bytes as a TxOut.
        assertEquals(25, enc.length);
        assertTrue(enc.length < p2pkh.output().serializedSize());
        assertFalse(Arrays.equals(enc, CoinCodec.encode(new Coin(p2pkh.output(), 700_000, true))));
    }
}
