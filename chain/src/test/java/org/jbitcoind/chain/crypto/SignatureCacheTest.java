package org.jbitcoind.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.Test;

class SignatureCacheTest {
    private static final byte[] SECRET = Hashes.sha256("cache key".getBytes());
    private static final byte[] MSG = Hashes.sha256("cache msg".getBytes());

    @Test
    void storesValidSignaturesOnlyWhenAsked() {
        SignatureCache cache = new SignatureCache(100);
        SignatureVerifier v = new SignatureVerifier(Secp256k1Provider.get(), cache);
        byte[] der = Signer.signEcdsaDer(SECRET, MSG);
        byte[] pub = Signer.publicKey(SECRET);
        assertTrue(v.verifyEcdsa(der, pub, MSG, false));
        assertEquals(0, cache.size(), "block validation does not store");
        assertTrue(v.verifyEcdsa(der, pub, MSG, true));
        assertEquals(1, cache.size());
        byte[] otherMsg = Hashes.sha256(MSG);
        assertFalse(v.verifyEcdsa(der, pub, otherMsg, true));
        assertEquals(1, cache.size(), "invalid signatures are never cached");
        // A block-validation hit uses the entry up.
        assertTrue(v.verifyEcdsa(der, pub, MSG, false));
        assertEquals(0, cache.size());
    }

    @Test
    void aDerSignatureInsideAScriptSignatureIsTheSameEntryAsItsCopy() {
        SignatureCache cache = new SignatureCache(100);
        SignatureVerifier v = new SignatureVerifier(Secp256k1Provider.get(), cache);
        byte[] der = Signer.signEcdsaDer(SECRET, MSG);
        byte[] pub = Signer.publicKey(SECRET);
        // As in a script: the DER signature followed by a hash type byte, read in place.
        byte[] withHashType = Arrays.copyOf(der, der.length + 1);
        withHashType[der.length] = 0x01;
        assertArrayEquals(cache.key((byte) 1, der, pub, MSG), cache.key((byte) 1, withHashType, 0, der.length, pub, MSG));
        assertTrue(v.verifyEcdsa(withHashType, 0, der.length, pub, MSG, true));
        assertEquals(1, cache.size());
        assertTrue(v.verifyEcdsa(der, pub, MSG, false), "the in-place check stored the entry of the copy");
        assertEquals(0, cache.size());
        assertFalse(v.verifyEcdsa(withHashType, 0, der.length, pub, Hashes.sha256(MSG), true));
        assertEquals(0, cache.size());
    }

    @Test
    void aCachedEntrySkipsVerification() {
        SignatureCache cache = new SignatureCache(100);
        SignatureVerifier v = new SignatureVerifier(Secp256k1Provider.get(), cache);
        byte[] bogusSig = new byte[64];
        byte[] key = Signer.xOnlyPublicKey(SECRET);
        assertFalse(v.verifySchnorr(bogusSig, key, MSG, true));
        // Pretend it was verified before: the cache answers without the curve.
        cache.add((byte) 2, bogusSig, key, MSG);
        assertTrue(v.verifySchnorr(bogusSig, key, MSG, true));
        // ECDSA and Schnorr entries with the same bytes do not collide.
        assertFalse(cache.contains((byte) 1, bogusSig, key, MSG, false));
        // Another cache (another salt) knows nothing of it.
        assertFalse(new SignatureVerifier(Secp256k1Provider.get(), new SignatureCache(10))
                .verifySchnorr(bogusSig, key, MSG, true));
    }

    @Test
    void staysBoundedUnderConcurrentInserts() throws Exception {
        SignatureCache cache = new SignatureCache(500);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    cache.add((byte) 1, new byte[] {(byte) base, (byte) i, (byte) (i >> 8)}, new byte[33], MSG);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(10_000);
        }
        assertTrue(cache.size() <= 500, "size " + cache.size());
        assertTrue(cache.size() > 0);
        byte[] last = {(byte) 3, (byte) 1999, (byte) (1999 >> 8)};
        cache.add((byte) 1, last, new byte[33], MSG);
        assertTrue(cache.contains((byte) 1, last, new byte[33], MSG, false));
    }
}
