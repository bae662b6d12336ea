package org.jbitcoind.chain.crypto;

import java.util.Objects;

/**
 * A curve backend that passes every operation to another: the base of decorators that watch the
 * signature checks (tests counting what a cache spared, a benchmark recording the checks to time
 * them bare) and override only those.
 */
public abstract class ForwardingSecp256k1 implements Secp256k1Backend {
    private final Secp256k1Backend delegate;

    protected ForwardingSecp256k1(Secp256k1Backend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final Secp256k1Backend delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
        return delegate.verifyEcdsa(compactSig, msg32, pubKey);
    }

    @Override
    public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
        return delegate.verifySchnorr(sig64, msg, xOnlyPubKey);
    }

    @Override
    public byte[] tweakXOnly(byte[] internalKey32, byte[] tweak32) {
        return delegate.tweakXOnly(internalKey32, tweak32);
    }

    @Override
    public boolean isValidPubKey(byte[] pubKey) {
        return delegate.isValidPubKey(pubKey);
    }

    @Override
    public byte[] pubKeyCreate(byte[] secKey32) {
        return delegate.pubKeyCreate(secKey32);
    }

    @Override
    public byte[] signEcdsa(byte[] secKey32, byte[] msg32) {
        return delegate.signEcdsa(secKey32, msg32);
    }

    @Override
    public byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32) {
        return delegate.signSchnorr(secKey32, msg, auxRand32);
    }
}
