package org.jbitcoind.chain.crypto;

import java.math.BigInteger;

import org.jbitcoind.protocol.codec.ByteWriter;

/**
 * Signing for test tooling and RPCs such as signrawtransactionwithkey: ECDSA (RFC6979, low S,
 * DER) and BIP340 Schnorr, plus the BIP341 key tweak. Never used by validation.
 */
public final class Signer {
    private static final BigInteger N = new BigInteger(1, LaxDer.ORDER);

    private Signer() {
    }

    /** DER-encoded low-S ECDSA signature (without a sighash byte). */
    public static byte[] signEcdsaDer(byte[] secKey32, byte[] msg32) {
        return compactToDer(Secp256k1Provider.get().signEcdsa(secKey32, msg32));
    }

    /** BIP340 signature; {@code auxRand32} all zeros gives the deterministic vectors' signatures. */
    public static byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32) {
        return Secp256k1Provider.get().signSchnorr(secKey32, msg, auxRand32);
    }

    /** Compressed (33-byte) public key. */
    public static byte[] publicKey(byte[] secKey32) {
        byte[] pub = Secp256k1Provider.get().pubKeyCreate(secKey32);
        if (pub == null) {
            throw new IllegalArgumentException("secret key out of range");
        }
        return pub;
    }

    /** BIP340 x-only public key. */
    public static byte[] xOnlyPublicKey(byte[] secKey32) {
        byte[] x = new byte[32];
        System.arraycopy(publicKey(secKey32), 1, x, 0, 32);
        return x;
    }

    /** BIP341: the secret key of internal-key + tweak*G, negating first when the internal key's y is odd. */
    public static byte[] tweakSecretKey(byte[] secKey32, byte[] tweak32) {
        BigInteger d = new BigInteger(1, secKey32);
        if (publicKey(secKey32)[0] == 0x03) {
            d = N.subtract(d);
        }
        return BouncyCastleSecp256k1.to32(d.add(new BigInteger(1, tweak32)).mod(N));
    }

    /** Strict DER of a 64-byte r||s. */
    public static byte[] compactToDer(byte[] compact) {
        byte[] r = derInteger(compact, 0);
        byte[] s = derInteger(compact, 32);
        ByteWriter w = new ByteWriter(72);
        w.writeU8(0x30).writeU8(4 + r.length + s.length);
        w.writeU8(0x02).writeU8(r.length).writeBytes(r);
        w.writeU8(0x02).writeU8(s.length).writeBytes(s);
        return w.toByteArray();
    }

    private static byte[] derInteger(byte[] compact, int off) {
        int start = off;
        while (start < off + 31 && compact[start] == 0) {
            start++;
        }
        boolean pad = (compact[start] & 0x80) != 0;
        int len = off + 32 - start;
        byte[] out = new byte[len + (pad ? 1 : 0)];
        System.arraycopy(compact, start, out, pad ? 1 : 0, len);
        return out;
    }
}
