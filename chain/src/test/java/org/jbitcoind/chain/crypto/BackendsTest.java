package org.jbitcoind.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** The BouncyCastle fallback agrees with libsecp256k1 on every operation. */
class BackendsTest {
    private final Secp256k1Backend nat = new NativeSecp256k1();
    private final Secp256k1Backend bc = new BouncyCastleSecp256k1();

    @Test
    void nativeLibraryIsTheDefault() {
        assertEquals("libsecp256k1", Secp256k1Provider.get().name());
    }

    @Test
    void fallsBackToBouncyCastleWhenTheNativeLibraryCannotLoad() {
        Secp256k1Backend chosen = Secp256k1Provider.choose(() -> {
            throw new UnsatisfiedLinkError("no secp256k1-jni in java.library.path");
        });
        assertEquals("BouncyCastle", chosen.name());
        assertEquals("BouncyCastle", Secp256k1Provider.choose(() -> {
            throw new IllegalStateException("unsupported platform");
        }).name());
        assertEquals("libsecp256k1", Secp256k1Provider.choose(NativeSecp256k1::new).name());
    }

    @Test
    void ecdsaSignaturesAreIdenticalAndCrossVerify() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20; i++) {
            byte[] sec = Hashes.sha256(new byte[] {(byte) i, (byte) random.nextInt()});
            byte[] msg = Hashes.sha256(sec);
            byte[] pub = nat.pubKeyCreate(sec);
            assertArrayEquals(pub, bc.pubKeyCreate(sec));
            byte[] s1 = nat.signEcdsa(sec, msg);
            assertArrayEquals(s1, bc.signEcdsa(sec, msg), "RFC6979 is deterministic");
            assertTrue(bc.verifyEcdsa(s1, msg, pub));
            assertTrue(nat.verifyEcdsa(s1, msg, pub));
            msg[0] ^= 1;
            assertFalse(bc.verifyEcdsa(s1, msg, pub));
            assertFalse(nat.verifyEcdsa(s1, msg, pub));
        }
    }

    @Test
    void schnorrAndTweaksAgree() {
        for (int i = 0; i < 20; i++) {
            byte[] sec = Hashes.sha256(new byte[] {(byte) i, 42});
            byte[] msg = Hashes.sha256(sec);
            byte[] aux = Hashes.sha256(msg);
            byte[] sig = nat.signSchnorr(sec, msg, aux);
            assertArrayEquals(sig, bc.signSchnorr(sec, msg, aux));
            byte[] x = java.util.Arrays.copyOfRange(nat.pubKeyCreate(sec), 1, 33);
            assertTrue(bc.verifySchnorr(sig, msg, x));
            byte[] tweak = Hashes.sha256(x);
            assertArrayEquals(nat.tweakXOnly(x, tweak), bc.tweakXOnly(x, tweak));
        }
    }

    @Test
    void invalidInputsAreRefusedByBoth() {
        byte[] notOnCurve = Hex.decode("02" + "00".repeat(31) + "05");
        byte[] xAboveP = Hex.decode("ff".repeat(32));
        byte[] tweakAboveN = Hex.decode("ff".repeat(32));
        byte[] g = Hex.decode("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        for (Secp256k1Backend b : new Secp256k1Backend[] {nat, bc}) {
            assertFalse(b.isValidPubKey(notOnCurve), b.name());
            assertFalse(b.isValidPubKey(new byte[33]), b.name());
            assertNull(b.tweakXOnly(xAboveP, new byte[32]), b.name());
            assertNull(b.tweakXOnly(g, tweakAboveN), b.name());
            assertNull(b.pubKeyCreate(new byte[32]), b.name());
            assertFalse(b.verifySchnorr(new byte[64], new byte[32], g), b.name());
            assertFalse(b.verifyEcdsa(new byte[64], new byte[32], Hex.decode("02" + Hex.encode(g))), b.name());
        }
    }

    @Test
    void hybridKeysVerifyOnlyWithTheRightParity() {
        byte[] sec = Hashes.sha256("hybrid".getBytes());
        byte[] msg = Hashes.sha256(sec);
        byte[] compressed = nat.pubKeyCreate(sec);
        byte[] uncompressed = ((NativeSecp256k1) nat).parse(compressed);
        byte[] hybrid = uncompressed.clone();
        hybrid[0] = (byte) ((uncompressed[64] & 1) == 0 ? 6 : 7);
        byte[] wrongParity = hybrid.clone();
        wrongParity[0] = (byte) (hybrid[0] ^ 1);
        byte[] der = Signer.compactToDer(nat.signEcdsa(sec, msg));
        for (Secp256k1Backend b : new Secp256k1Backend[] {nat, bc}) {
            SignatureVerifier v = new SignatureVerifier(b, null);
            assertTrue(v.verifyEcdsa(der, hybrid, msg, false), b.name());
            assertFalse(v.verifyEcdsa(der, wrongParity, msg, false), b.name());
            assertTrue(v.verifyEcdsa(der, uncompressed, msg, false), b.name());
        }
    }
}
