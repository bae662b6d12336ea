package org.jbitcoind.chain.testing;

import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.crypto.Secp256k1Backend;

/**
 * A curve backend that counts the signature verifications reaching it, so that a test can tell
 * whether a cache (signature cache, script execution cache) spared the work.
 */
public final class CountingSecp256k1 implements Secp256k1Backend {
    private final Secp256k1Backend real;
    private final AtomicInteger verifications;

    public CountingSecp256k1(Secp256k1Backend real, AtomicInteger verifications) {
        this.real = real;
        this.verifications = verifications;
    }

    @Override
    public String name() {
        return "counting " + real.name();
    }

    @Override
    public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
        verifications.incrementAndGet();
        return real.verifyEcdsa(compactSig, msg32, pubKey);
    }

    @Override
    public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
        verifications.incrementAndGet();
        return real.verifySchnorr(sig64, msg, xOnlyPubKey);
    }

    @Override
    public byte[] tweakXOnly(byte[] internalKey32, byte[] tweak32) {
        return real.tweakXOnly(internalKey32, tweak32);
    }

    @Override
    public boolean isValidPubKey(byte[] pubKey) {
        return real.isValidPubKey(pubKey);
    }

    @Override
    public byte[] pubKeyCreate(byte[] secKey32) {
        return real.pubKeyCreate(secKey32);
    }

    @Override
    public byte[] signEcdsa(byte[] secKey32, byte[] msg32) {
        return real.signEcdsa(secKey32, msg32);
    }

    @Override
    public byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32) {
        return real.signSchnorr(secKey32, msg, auxRand32);
    }
}
