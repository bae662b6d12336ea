package org.jbitcoind.chain.crypto;

/**
 * Consensus signature checks over a {@link Secp256k1Backend}, with Bitcoin's quirks: lax DER,
 * high-S normalisation, hybrid public keys, BIP340 and the BIP341 tweak check, and an optional
 * {@link SignatureCache}. Thread-safe.
 */
public final class SignatureVerifier {
    private static final byte KIND_ECDSA = 1;
    private static final byte KIND_SCHNORR = 2;
    private static final SignatureVerifier UNCACHED = new SignatureVerifier(Secp256k1Provider.get(), null);

    private final Secp256k1Backend backend;
    private final SignatureCache cache;

    public SignatureVerifier(Secp256k1Backend backend, SignatureCache cache) {
        this.backend = backend;
        this.cache = cache;
    }

    /** The process-wide backend without a cache. */
    public static SignatureVerifier uncached() {
        return UNCACHED;
    }

    public Secp256k1Backend backend() {
        return backend;
    }

    /**
     * Core's CPubKey::Verify: {@code der} is a (possibly non-strict) DER signature without the
     * hash type byte; any S is accepted (normalised to low S before verifying).
     *
     * @param store add a valid result to the cache (mempool); when false a cache hit is used up (block)
     */
    public boolean verifyEcdsa(byte[] der, byte[] pubKey, byte[] msg32, boolean store) {
        return verifyEcdsa(der, 0, der.length, pubKey, msg32, store);
    }

    /**
     * {@link #verifyEcdsa(byte[], byte[], byte[], boolean)} of the DER signature in
     * {@code derLen} bytes of {@code sig} from {@code derOff}: a script's signature without its
     * hash type byte, with no copy.
     */
    public boolean verifyEcdsa(byte[] sig, int derOff, int derLen, byte[] pubKey, byte[] msg32, boolean store) {
        byte[] key = normalizeKey(pubKey);
        if (key == null) {
            return false;
        }
        // One salted hash serves the lookup and, on a miss, the insertion.
        byte[] cacheKey = cache == null ? null : cache.key(KIND_ECDSA, sig, derOff, derLen, pubKey, msg32);
        if (cacheKey != null && cache.contains(cacheKey, !store)) {
            return true;
        }
        byte[] compact = LaxDer.parse(sig, derOff, derLen);
        if (compact == null) {
            return false;
        }
        // parse returned a fresh array, so s may be negated in place.
        boolean ok = backend.verifyEcdsa(LaxDer.normalizeSInPlace(compact), msg32, key);
        if (ok && store && cache != null) {
            cache.add(cacheKey);
        }
        return ok;
    }

    /** BIP340 verification of a 64-byte signature against a 32-byte x-only key. */
    public boolean verifySchnorr(byte[] sig64, byte[] xOnlyKey, byte[] msg32, boolean store) {
        if (sig64.length != 64 || xOnlyKey.length != 32) {
            return false;
        }
        byte[] cacheKey = cache == null ? null : cache.key(KIND_SCHNORR, sig64, xOnlyKey, msg32);
        if (cacheKey != null && cache.contains(cacheKey, !store)) {
            return true;
        }
        boolean ok = backend.verifySchnorr(sig64, msg32, xOnlyKey);
        if (ok && store && cache != null) {
            cache.add(cacheKey);
        }
        return ok;
    }

    /** BIP341: whether {@code outputKey} with {@code parity} equals internal + tweak*G. */
    public boolean checkTapTweak(byte[] outputKey32, int parity, byte[] internalKey32, byte[] tweak32) {
        byte[] q = backend.tweakXOnly(internalKey32, tweak32);
        if (q == null || q[0] != parity) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            if (q[1 + i] != outputKey32[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A key in a form every backend parses: length must match the prefix (Core's CPubKey
     * IsValid), and hybrid keys (0x06/0x07, accepted by libsecp256k1 when the prefix matches
     * y's parity) become plain uncompressed keys.
     */
    static byte[] normalizeKey(byte[] pubKey) {
        if (pubKey.length == 0) {
            return null;
        }
        int h = pubKey[0] & 0xff;
        if (h == 2 || h == 3) {
            return pubKey.length == 33 ? pubKey : null;
        }
        if (pubKey.length != 65) {
            return null;
        }
        if (h == 4) {
            return pubKey;
        }
        if (h == 6 || h == 7) {
            boolean yOdd = (pubKey[64] & 1) != 0;
            if (yOdd != (h == 7)) {
                return null;
            }
            byte[] k = pubKey.clone();
            k[0] = 4;
            return k;
        }
        return null;
    }
}
