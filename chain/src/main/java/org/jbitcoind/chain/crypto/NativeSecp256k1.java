package org.jbitcoind.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;

/** libsecp256k1 through the secp256k1-kmp JNI binding. */
public final class NativeSecp256k1 implements Secp256k1Backend {
    /** The JNI binding takes 32-byte BIP340 messages only; other lengths (never used by consensus) go here. */
    private static final BouncyCastleSecp256k1 VARIABLE_LENGTH = new BouncyCastleSecp256k1();

    private final Secp256k1 lib;

    /** @throws LinkageError or RuntimeException when the native library cannot be loaded */
    public NativeSecp256k1() {
        this.lib = Secp256k1.Companion.get();
        // Touch the library once so that a broken native load fails here, not mid-validation.
        lib.secKeyVerify(new byte[32]);
    }

    @Override
    public String name() {
        return "libsecp256k1";
    }

    @Override
    public boolean verifyEcdsa(byte[] compactSig, byte[] msg32, byte[] pubKey) {
        try {
            return lib.verify(compactSig, msg32, pubKey);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean verifySchnorr(byte[] sig64, byte[] msg, byte[] xOnlyPubKey) {
        if (msg.length != 32) {
            return VARIABLE_LENGTH.verifySchnorr(sig64, msg, xOnlyPubKey);
        }
        try {
            return lib.verifySchnorr(sig64, msg, xOnlyPubKey);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public byte[] tweakXOnly(byte[] internalKey32, byte[] tweak32) {
        try {
            byte[] even = new byte[33];
            even[0] = 0x02;
            System.arraycopy(internalKey32, 0, even, 1, 32);
            byte[] q = lib.pubKeyTweakAdd(even, tweak32);
            byte[] compressed = q.length == 33 ? q : lib.pubKeyCompress(q);
            byte[] out = new byte[33];
            out[0] = (byte) (compressed[0] == 0x03 ? 1 : 0);
            System.arraycopy(compressed, 1, out, 1, 32);
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean isValidPubKey(byte[] pubKey) {
        try {
            lib.pubkeyParse(pubKey);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public byte[] pubKeyCreate(byte[] secKey32) {
        try {
            return lib.pubKeyCompress(lib.pubkeyCreate(secKey32));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public byte[] signEcdsa(byte[] secKey32, byte[] msg32) {
        return lib.sign(msg32, secKey32, null);
    }

    @Override
    public byte[] signSchnorr(byte[] secKey32, byte[] msg, byte[] auxRand32) {
        if (msg.length != 32) {
            return VARIABLE_LENGTH.signSchnorr(secKey32, msg, auxRand32);
        }
        return lib.signSchnorr(msg, secKey32, auxRand32);
    }

    /** The parsed (uncompressed, 65-byte) form of a key, so repeated verifies skip decompression. */
    byte[] parse(byte[] pubKey) {
        try {
            return lib.pubkeyParse(pubKey);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
