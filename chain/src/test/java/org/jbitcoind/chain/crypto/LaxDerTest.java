package org.jbitcoind.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.jbitcoind.chain.script.SignatureEncoding;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** The lax DER parser accepts what pre-BIP66 blocks contain, and such signatures still verify. */
class LaxDerTest {
    private static final byte[] SECRET = Hex.decode("c0ffee00000000000000000000000000000000000000000000000000000000c1");
    private static final byte[] MSG = Hashes.sha256("lax der".getBytes());
    private static final SignatureVerifier VERIFIER = SignatureVerifier.uncached();

    private static byte[] compact() {
        return Secp256k1Provider.get().signEcdsa(SECRET, MSG);
    }

    private static byte[] sigOf(byte[] r, byte[] s, boolean longFormLengths) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(0x02);
        if (longFormLengths) {
            body.write(0x81);
        }
        body.write(r.length);
        body.writeBytes(r);
        body.write(0x02);
        if (longFormLengths) {
            body.write(0x82);
            body.write(0x00);
        }
        body.write(s.length);
        body.writeBytes(s);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        if (longFormLengths) {
            out.write(0x81);
        }
        out.write(body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] half(byte[] compact, int off) {
        byte[] out = new byte[32];
        System.arraycopy(compact, off, out, 0, 32);
        return out;
    }

    private static byte[] withZeros(byte[] v, int zeros) {
        byte[] out = new byte[v.length + zeros];
        System.arraycopy(v, 0, out, zeros, v.length);
        return out;
    }

    @Test
    void strictDerParsesToTheSameValues() {
        byte[] c = compact();
        byte[] der = Signer.compactToDer(c);
        assertTrue(SignatureEncoding.isValidSignatureEncoding(withHashType(der)));
        assertArrayEquals(c, LaxDer.parse(der, 0, der.length));
        assertTrue(VERIFIER.verifyEcdsa(der, Signer.publicKey(SECRET), MSG, false));
    }

    @Test
    void signerOutputIsStrictDerAndRoundTrips() {
        for (int i = 0; i < 64; i++) {
            byte[] msg = Hashes.sha256(new byte[] {(byte) i});
            byte[] c = Secp256k1Provider.get().signEcdsa(SECRET, msg);
            byte[] der = Signer.signEcdsaDer(SECRET, msg);
            assertTrue(SignatureEncoding.isValidSignatureEncoding(withHashType(der)), Hex.encode(der));
            assertArrayEquals(c, LaxDer.parse(der, 0, der.length));
            assertFalse(LaxDer.isHighS(c), "signer produces low S");
        }
    }

    @Test
    void zeroPaddedIntegersAndLongFormLengthsStillVerify() {
        byte[] c = compact();
        byte[] padded = sigOf(withZeros(half(c, 0), 3), withZeros(half(c, 32), 2), false);
        byte[] longForm = sigOf(withZeros(half(c, 0), 1), half(c, 32), true);
        for (byte[] der : new byte[][] {padded, longForm}) {
            assertFalse(SignatureEncoding.isValidSignatureEncoding(withHashType(der)), "not BIP66 strict");
            assertArrayEquals(c, LaxDer.parse(der, 0, der.length));
            assertTrue(VERIFIER.verifyEcdsa(der, Signer.publicKey(SECRET), MSG, false));
        }
    }

    @Test
    void highSIsNormalisedBeforeVerifying() {
        byte[] c = compact();
        BigInteger n = new BigInteger(1, LaxDer.ORDER);
        byte[] highS = BouncyCastleSecp256k1.to32(n.subtract(new BigInteger(1, half(c, 32))));
        byte[] der = sigOf(withZeros(half(c, 0), 0), withZeros(highS, 1), false);
        byte[] parsed = LaxDer.parse(der, 0, der.length);
        assertTrue(LaxDer.isHighS(parsed));
        assertArrayEquals(c, LaxDer.normalizeS(parsed));
        assertTrue(LaxDer.isHighS(parsed), "normalizeS leaves its argument alone");
        byte[] inPlace = LaxDer.parse(der, 0, der.length);
        assertSame(inPlace, LaxDer.normalizeSInPlace(inPlace));
        assertArrayEquals(c, inPlace);
        assertArrayEquals(c, LaxDer.normalizeSInPlace(c.clone()), "a low s is kept");
        assertTrue(VERIFIER.verifyEcdsa(der, Signer.publicKey(SECRET), MSG, false));
        // The backends themselves, like libsecp256k1, refuse high S.
        assertFalse(Secp256k1Provider.get().verifyEcdsa(parsed, MSG, Signer.publicKey(SECRET)));
        assertFalse(new BouncyCastleSecp256k1().verifyEcdsa(parsed, MSG, Signer.publicKey(SECRET)));
    }

    @Test
    void overflowingValuesGiveANeverValidSignature() {
        byte[] big = new byte[33];
        big[0] = 1;
        byte[] der = sigOf(big, new byte[] {1}, false);
        assertArrayEquals(new byte[64], LaxDer.parse(der, 0, der.length));
        byte[] atOrder = sigOf(withZeros(LaxDer.ORDER, 1), new byte[] {1}, false);
        assertArrayEquals(new byte[64], LaxDer.parse(atOrder, 0, atOrder.length));
        assertFalse(VERIFIER.verifyEcdsa(der, Signer.publicKey(SECRET), MSG, false));
    }

    @Test
    void malformedInputIsRejected() {
        for (String hex : new String[] {"", "30", "3000", "31060201010201 01", "300602010102", "3006020101030101",
            "30060284ffffffff01020101", "3006020501020101"}) {
            byte[] b = Hex.decode(hex.replace(" ", ""));
            assertNull(LaxDer.parse(b, 0, b.length), hex);
        }
    }

    private static byte[] withHashType(byte[] der) {
        byte[] out = java.util.Arrays.copyOf(der, der.length + 1);
        out[der.length] = 1;
        return out;
    }
}
