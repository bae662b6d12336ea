package org.jbitcoind.chain.crypto;

/**
 * The elliptic-curve operations consensus and test tooling need. Implementations are
 * thread-safe and never throw on malformed input: they return false or null.
 */
public interface Secp256k1Backend {
    String name();

    /**
     * ECDSA verification of a 64-byte r||s (low S required, as libsecp256k1 does) over a
     * 32-byte digest with a 33- or 65-byte (0x02/0x03/0x04 only) public key.
     */
    boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey);

    /** BIP340 verification: 64-byte signature, message of any length, 32-byte x-only key. */
    boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey);

    /**
     * BIP341 tweak: Q = lift_x(internal) + tweak*G. Returns 33 bytes (parity 0/1, then x(Q)),
     * or null when the key is not on the curve, the tweak is not below n, or Q is infinity.
     */
    byte[] tweakXOnly(byte[] internalKey32, byte[] tweak32);

    /** Whether the bytes are a valid compressed or uncompressed public key. */
    boolean isValidPubKey(byte[] pubKey);

    /** Compressed public key of a secret key, or null if the key is not in [1, n-1]. */
    byte[] pubKeyCreate(byte[] secKey32);

    /** RFC6979 ECDSA signature, low S, as 64-byte r||s. */
    byte[] signEcdsa(byte[] secKey32, byte[] msg32);

    /** BIP340 signature with the given 32-byte auxiliary randomness. */
    byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32);
}
