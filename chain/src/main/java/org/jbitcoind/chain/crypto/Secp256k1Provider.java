package org.jbitcoind.chain.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the signature backend once: libsecp256k1 when it loads, else BouncyCastle (logged at WARN). */
public final class Secp256k1Provider {
    private static final Logger LOG = LoggerFactory.getLogger(Secp256k1Provider.class);
    private static final Secp256k1Backend BACKEND = choose(NativeSecp256k1::new);

    private Secp256k1Provider() {
    }

    public static Secp256k1Backend get() {
        return BACKEND;
    }

    /** The native backend from {@code nativeLoader}, or BouncyCastle when loading it fails. */
    static Secp256k1Backend choose(java.util.function.Supplier<Secp256k1Backend> nativeLoader) {
        try {
            Secp256k1Backend n = nativeLoader.get();
            LOG.debug("signature backend: libsecp256k1 (JNI)");
            return n;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("libsecp256k1 native library failed to load ({}); using the slower pure-Java BouncyCastle backend",
                    e.toString());
            return new BouncyCastleSecp256k1();
        }
    }
}
