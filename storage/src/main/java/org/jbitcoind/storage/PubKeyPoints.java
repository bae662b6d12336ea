package org.jbitcoind.storage;

import java.util.Optional;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The secp256k1 point checks the script compressor needs: is a 65-byte key on the curve, and
 * the full key behind a 33-byte compressed one. BouncyCastle's custom curve (the fast one).
 */
final class PubKeyPoints {
    private static final ECCurve CURVE;

    static {
        X9ECParameters params = CustomNamedCurves.getByName("secp256k1");
        CURVE = params.getCurve();
    }

    private PubKeyPoints() {
    }

    /** True when {@code key} (65 bytes, 0x04 prefix) is a point on the curve: Core's IsFullyValid. */
    static boolean isValidUncompressed(byte[] key, int offset) {
        if (key[offset] != 0x04) {
            return false;
        }
        byte[] enc = new byte[65];
        System.arraycopy(key, offset, enc, 0, 65);
        try {
            ECPoint p = CURVE.decodePoint(enc);
            return p.isValid() && !p.isInfinity();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The 65-byte form of a compressed key (prefix 0x02/0x03), empty when x is not on the curve. */
    static Optional<byte[]> decompress(byte[] compressed33) {
        try {
            ECPoint p = CURVE.decodePoint(compressed33);
            if (p.isInfinity() || !p.isValid()) {
                return Optional.empty();
            }
            return Optional.of(p.getEncoded(false));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
