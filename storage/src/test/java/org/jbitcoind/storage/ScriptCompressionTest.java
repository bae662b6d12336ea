package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.stream.Stream;

import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every special form of Core's ScriptCompression, the near misses that must stay raw, and bad input. */
class ScriptCompressionTest {
    private static final ECPoint G = CustomNamedCurves.getByName("secp256k1").getG();
    /** Output script of the genesis coinbase: P2PK with an uncompressed key whose y is odd. */
    private static final String GENESIS_SCRIPT = "4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61"
            + "deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac";

    static Stream<Arguments> specialForms() {
        byte[] h20 = seq(20, 0x11);
        byte[] x32 = seq(32, 0x40);
        return Stream.of(
            Arguments.of("P2PKH", cat(bytes(0x76, 0xa9, 0x14), h20, bytes(0x88, 0xac)), 0x00, h20),
            Arguments.of("P2SH", cat(bytes(0xa9, 0x14), h20, bytes(0x87)), 0x01, h20),
            // Core does not check that a compressed key's x is on the curve.
            Arguments.of("P2PK compressed even", cat(bytes(33, 0x02), x32, bytes(0xac)), 0x02, x32),
            Arguments.of("P2PK compressed odd", cat(bytes(33, 0x03), x32, bytes(0xac)), 0x03, x32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specialForms")
    void specialFormsCompressToKindAndPayload(String name, byte[] script, int kind, byte[] payload) throws DecodeException {
        byte[] enc = encode(script);
        assertEquals(1 + payload.length, enc.length);
        assertEquals(kind, enc[0] & 0xff);
        assertArrayEquals(payload, Arrays.copyOfRange(enc, 1, enc.length));
        assertArrayEquals(script, decode(enc));
    }

    @Test
    void uncompressedKeysOfBothParitiesAreRecoveredByPointDecompression() throws DecodeException {
        boolean sawEven = false;
        boolean sawOdd = false;
        for (int k = 1; k <= 8; k++) {
            byte[] key = G.multiply(BigInteger.valueOf(k)).normalize().getEncoded(false);
            byte[] script = cat(bytes(65), key, bytes(0xac));
            byte[] enc = encode(script);
            // Core's compress_script_to_uncompressed_pubkey_id: 0x04 | lsb(y), then x.
            assertEquals(33, enc.length);
            assertEquals(0x04 | (script[65] & 1), enc[0]);
            assertArrayEquals(Arrays.copyOfRange(script, 2, 34), Arrays.copyOfRange(enc, 1, 33));
            assertArrayEquals(script, decode(enc));
            sawEven |= enc[0] == 0x04;
            sawOdd |= enc[0] == 0x05;
        }
        assertTrue(sawEven && sawOdd, "both parities exercised");
    }

    @Test
    void genesisOutputCompressesToKind5() throws DecodeException {
        byte[] script = Hex.decode(GENESIS_SCRIPT);
        byte[] enc = encode(script);
        assertEquals(33, enc.length);
        assertEquals(0x05, enc[0]);
        assertArrayEquals(script, decode(enc));
    }

    static Stream<Arguments> rawForms() {
        byte[] h20 = seq(20, 0x22);
        byte[] x32 = seq(32, 0x50);
        byte[] notOnCurve = notOnCurveX();
        byte[] g = G.getEncoded(false);
        byte[] hybrid = g.clone();
        hybrid[0] = 0x06;
        return Stream.of(
            Arguments.of("empty", new byte[0]),
            Arguments.of("OP_TRUE", bytes(0x51)),
            Arguments.of("P2WPKH", cat(bytes(0x00, 0x14), h20)),
            Arguments.of("P2TR", cat(bytes(0x51, 0x20), x32)),
            Arguments.of("P2PKH with OP_EQUAL", cat(bytes(0x76, 0xa9, 0x14), h20, bytes(0x87, 0xac))),
            Arguments.of("P2PKH one byte short", cat(bytes(0x76, 0xa9, 0x13), Arrays.copyOf(h20, 19), bytes(0x88, 0xac))),
            Arguments.of("P2SH with trailing byte", cat(bytes(0xa9, 0x14), h20, bytes(0x87, 0x00))),
            Arguments.of("P2PK compressed with prefix 04", cat(bytes(33, 0x04), x32, bytes(0xac))),
            Arguments.of("P2PK uncompressed not on curve", cat(bytes(65, 0x04), notOnCurve, new byte[32], bytes(0xac))),
            Arguments.of("P2PK hybrid key", cat(bytes(65), hybrid, bytes(0xac))),
            Arguments.of("P2PK uncompressed without CHECKSIG", cat(bytes(65), g, bytes(0xad))),
            Arguments.of("10000-byte script", seq(10_000, 0x01)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawForms")
    void otherScriptsAreStoredRawAfterSizePlusSix(String name, byte[] script) throws DecodeException {
        byte[] enc = encode(script);
        ByteReader r = new ByteReader(enc);
        assertEquals(script.length + 6L, r.readVarInt());
        assertEquals(script.length, r.remaining());
        assertArrayEquals(script, decode(enc));
    }

    @Test
    void overlongScriptReadsBackAsOpReturnLikeCore() throws DecodeException {
        byte[] script = seq(10_001, 0x02);
        byte[] enc = encode(script);
        assertArrayEquals(bytes(0x6a), decode(enc));
    }

    @Test
    void uncompressedKindWithXNotOnCurveIsRejected() {
        for (int kind : new int[] {4, 5}) {
            byte[] enc = cat(bytes(kind), notOnCurveX());
            DecodeException e = assertThrows(DecodeException.class, () -> decode(enc));
            assertTrue(e.getMessage().contains("not on secp256k1"), e.getMessage());
        }
    }

    @Test
    void truncatedInputIsRejected() {
        byte[][] cases = {
            new byte[0],
            bytes(0x00),
            cat(bytes(0x01), new byte[19]),
            cat(bytes(0x02), new byte[31]),
            cat(bytes(0x05), new byte[5]),
            bytes(0x07),                        // raw script of 1 byte with nothing after
            Hex.decode("8a95c0bb00"),           // Core's coins_tests: 3e9-byte script past the end
            bytes(0x80),                        // VARINT cut short
        };
        for (byte[] c : cases) {
            assertThrows(DecodeException.class, () -> decode(c), Hex.encode(c));
        }
    }

    @Test
    void compressReportsNoSpecialFormForRawScripts() {
        assertFalse(ScriptCompression.compress(bytes(0x51)).isPresent());
        assertTrue(ScriptCompression.compress(Hex.decode(GENESIS_SCRIPT)).isPresent());
    }

    static byte[] encode(byte[] script) {
        ByteWriter w = new ByteWriter();
        ScriptCompression.write(w, script);
        return w.toByteArray();
    }

    static byte[] decode(byte[] enc) throws DecodeException {
        ByteReader r = new ByteReader(enc);
        byte[] s = ScriptCompression.read(r);
        r.expectEnd("script");
        return s;
    }

    /** An x coordinate with no point on secp256k1 (x^3 + 7 not a square), found deterministically. */
    static byte[] notOnCurveX() {
        for (int i = 1; ; i++) {
            byte[] x = new byte[32];
            x[31] = (byte) i;
            byte[] compressed = cat(bytes(0x02), x);
            if (PubKeyPoints.decompress(compressed).isEmpty()) {
                return x;
            }
        }
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] seq(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
