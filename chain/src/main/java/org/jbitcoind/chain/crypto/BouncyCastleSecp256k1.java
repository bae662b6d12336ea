package org.jbitcoind.chain.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.jbitcoind.protocol.crypto.Hashes;

/** Pure-Java secp256k1 (BouncyCastle's optimised custom curve): the fallback when the native library is missing. */
public final class BouncyCastleSecp256k1 implements Secp256k1Backend {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(PARAMS);
    private static final BigInteger N = PARAMS.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final BigInteger P = PARAMS.getCurve().getField().getCharacteristic();
    private static final ECPoint G = PARAMS.getG();

    @Override
    public String name() {
        return "BouncyCastle";
    }

    @Override
    public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
        try {
            BigInteger r = new BigInteger(1, slice(compactSig, 0));
            BigInteger s = new BigInteger(1, slice(compactSig, 32));
            if (s.compareTo(HALF_N) > 0) {
                return false;
            }
            ECPoint q = decode(pubKey);
            if (q == null) {
                return false;
            }
            ECDSASigner signer = new ECDSASigner();
            signer.init(false, new ECPublicKeyParameters(q, DOMAIN));
            return signer.verifySignature(msg32, r, s);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
        if (sig64.length != 64 || xOnlyPubKey.length != 32) {
            return false;
        }
        ECPoint p = liftX(xOnlyPubKey);
        if (p == null) {
            return false;
        }
        BigInteger r = new BigInteger(1, slice(sig64, 0));
        BigInteger s = new BigInteger(1, slice(sig64, 32));
        if (r.compareTo(P) >= 0 || s.compareTo(N) >= 0) {
            return false;
        }
        BigInteger e = challenge(slice(sig64, 0), xOnlyPubKey, msg);
        ECPoint rPoint = ECAlgorithms.sumOfTwoMultiplies(G, s, p, N.subtract(e)).normalize();
        if (rPoint.isInfinity() || rPoint.getAffineYCoord().testBitZero()) {
            return false;
        }
        return rPoint.getAffineXCoord().toBigInteger().equals(r);
    }

    @Override
    public byte[] tweakXOnly(byte[] internalKey32, byte[] tweak32) {
        ECPoint p = liftX(internalKey32);
        BigInteger t = new BigInteger(1, tweak32);
        if (p == null || t.compareTo(N) >= 0) {
            return null;
        }
        ECPoint q = p.add(G.multiply(t)).normalize();
        if (q.isInfinity()) {
            return null;
        }
        byte[] out = new byte[33];
        out[0] = (byte) (q.getAffineYCoord().testBitZero() ? 1 : 0);
        System.arraycopy(to32(q.getAffineXCoord().toBigInteger()), 0, out, 1, 32);
        return out;
    }

    @Override
    public boolean isValidPubKey(byte[] pubKey) {
        return decode(pubKey) != null;
    }

    @Override
    public byte[] pubKeyCreate(byte[] secKey32) {
        BigInteger d = new BigInteger(1, secKey32);
        if (d.signum() == 0 || d.compareTo(N) >= 0) {
            return null;
        }
        return G.multiply(d).getEncoded(true);
    }

    @Override
    public byte[] signEcdsa(byte[] secKey32, byte[] msg32) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, secKey32), DOMAIN));
        BigInteger[] rs = signer.generateSignature(msg32);
        BigInteger s = rs[1].compareTo(HALF_N) > 0 ? N.subtract(rs[1]) : rs[1];
        byte[] out = new byte[64];
        System.arraycopy(to32(rs[0]), 0, out, 0, 32);
        System.arraycopy(to32(s), 0, out, 32, 32);
        return out;
    }

    @Override
    public byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32) {
        // BIP340 default signing algorithm.
        BigInteger d0 = new BigInteger(1, secKey32);
        if (d0.signum() == 0 || d0.compareTo(N) >= 0) {
            throw new IllegalArgumentException("secret key out of range");
        }
        ECPoint pub = G.multiply(d0).normalize();
        BigInteger d = pub.getAffineYCoord().testBitZero() ? N.subtract(d0) : d0;
        byte[] px = to32(pub.getAffineXCoord().toBigInteger());
        byte[] auxHash = Hashes.taggedHash("BIP0340/aux", auxRand32);
        byte[] t = to32(d);
        for (int i = 0; i < 32; i++) {
            t[i] ^= auxHash[i];
        }
        MessageDigest nonce = Hashes.taggedDigest("BIP0340/nonce");
        nonce.update(t);
        nonce.update(px);
        nonce.update(msg);
        BigInteger k0 = new BigInteger(1, nonce.digest()).mod(N);
        if (k0.signum() == 0) {
            throw new IllegalStateException("BIP340 nonce is zero");
        }
        ECPoint r = G.multiply(k0).normalize();
        BigInteger k = r.getAffineYCoord().testBitZero() ? N.subtract(k0) : k0;
        byte[] rx = to32(r.getAffineXCoord().toBigInteger());
        BigInteger e = challenge(rx, px, msg);
        byte[] out = new byte[64];
        System.arraycopy(rx, 0, out, 0, 32);
        System.arraycopy(to32(k.add(e.multiply(d)).mod(N)), 0, out, 32, 32);
        return out;
    }

    private static BigInteger challenge(byte[] rx, byte[] px, byte[] msg) {
        MessageDigest md = Hashes.taggedDigest("BIP0340/challenge");
        md.update(rx);
        md.update(px);
        md.update(msg);
        return new BigInteger(1, md.digest()).mod(N);
    }

    /** BIP340 lift_x: the point with this x and an even y, or null. */
    private static ECPoint liftX(byte[] x32) {
        if (new BigInteger(1, x32).compareTo(P) >= 0) {
            return null;
        }
        byte[] enc = new byte[33];
        enc[0] = 0x02;
        System.arraycopy(x32, 0, enc, 1, 32);
        return decode(enc);
    }

    private static ECPoint decode(byte[] pubKey) {
        if (pubKey.length != 33 && pubKey.length != 65) {
            return null;
        }
        try {
            ECPoint q = PARAMS.getCurve().decodePoint(pubKey);
            return q.isInfinity() || !q.isValid() ? null : q.normalize();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] slice(byte[] b, int off) {
        byte[] out = new byte[32];
        System.arraycopy(b, off, out, 0, 32);
        return out;
    }

    static byte[] to32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        if (raw.length > 32) {
            System.arraycopy(raw, raw.length - 32, out, 0, 32);
        } else {
            System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
        }
        return out;
    }
}
