package org.jbitcoind.chain.testing;

import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.crypto.ForwardingSecp256k1;
import org.jbitcoind.chain.crypto.Secp256k1Backend;

/**
 * A curve backend that counts the signature verifications reaching it, so that a test can tell
 * whether a cache (signature cache, script execution cache) spared the work.
 */
public final class CountingSecp256k1 extends ForwardingSecp256k1 {
    private final AtomicInteger verifications;

    public CountingSecp256k1(Secp256k1Backend real, AtomicInteger verifications) {
        super(real);
        this.verifications = verifications;
    }

    @Override
    public String name() {
        return "counting " + delegate().name();
    }

    @Override
    public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
        verifications.incrementAndGet();
        return delegate().verifyEcdsa(compactSig, msg32, pubKey);
    }

    @Override
    public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
        verifications.incrementAndGet();
        return delegate().verifySchnorr(sig64, msg, xOnlyPubKey);
    }
}
