package org.jbitcoind.chain.script;

import org.jbitcoind.chain.crypto.LaxDer;

/** Encoding rules for signatures and public keys pushed to CHECKSIG (Core's CheckSignatureEncoding etc.). */
public final class SignatureEncoding {
    public static final int SIGHASH_ALL = 1;
    public static final int SIGHASH_NONE = 2;
    public static final int SIGHASH_SINGLE = 3;
    public static final int SIGHASH_ANYONECANPAY = 0x80;
    /** BIP341: the implicit hash type of a 64-byte Schnorr signature. */
    public static final int SIGHASH_DEFAULT = 0;

    private SignatureEncoding() {
    }

    /**
     * BIP66 strict DER, with the hash type byte at the end:
     * 0x30 len 0x02 rlen R 0x02 slen S hashtype, R and S positive and minimally encoded.
     */
    public static boolean isValidSignatureEncoding(byte[] sig) {
        int size = sig.length;
        if (size < 9 || size > 73) {
            return false;
        }
        if ((sig[0] & 0xff) != 0x30 || (sig[1] & 0xff) != size - 3) {
            return false;
        }
        int lenR = sig[3] & 0xff;
        if (5 + lenR >= size) {
            return false;
        }
        int lenS = sig[5 + lenR] & 0xff;
        if (lenR + lenS + 7 != size) {
            return false;
        }
        if (sig[2] != 0x02 || lenR == 0 || (sig[4] & 0x80) != 0) {
            return false;
        }
        if (lenR > 1 && sig[4] == 0 && (sig[5] & 0x80) == 0) {
            return false;
        }
        if (sig[lenR + 4] != 0x02 || lenS == 0 || (sig[lenR + 6] & 0x80) != 0) {
            return false;
        }
        return !(lenS > 1 && sig[lenR + 6] == 0 && (sig[lenR + 7] & 0x80) == 0);
    }

    /** Strict DER with a defined hash type: what Core's asm rendering treats as a signature. */
    static boolean isValidStrictEncoding(byte[] sig) {
        return sig.length == 0 || (isValidSignatureEncoding(sig) && isDefinedHashtype(sig));
    }

    static boolean isDefinedHashtype(byte[] sig) {
        if (sig.length == 0) {
            return false;
        }
        int type = sig[sig.length - 1] & 0xff & ~SIGHASH_ANYONECANPAY;
        return type >= SIGHASH_ALL && type <= SIGHASH_SINGLE;
    }

    /** Core's CheckSignatureEncoding; OK or the error to fail with. */
    static ScriptError checkSignatureEncoding(byte[] sig, int flags) {
        if (sig.length == 0) {
            // Empty signature: a compact way to provide an invalid signature to CHECK(MULTI)SIG.
            return ScriptError.OK;
        }
        if ((flags & (ScriptFlags.DERSIG | ScriptFlags.LOW_S | ScriptFlags.STRICTENC)) != 0
                && !isValidSignatureEncoding(sig)) {
            return ScriptError.SIG_DER;
        }
        if ((flags & ScriptFlags.LOW_S) != 0 && !isLowS(sig)) {
            return ScriptError.SIG_HIGH_S;
        }
        if ((flags & ScriptFlags.STRICTENC) != 0 && !isDefinedHashtype(sig)) {
            return ScriptError.SIG_HASHTYPE;
        }
        return ScriptError.OK;
    }

    private static boolean isLowS(byte[] sigWithHashtype) {
        byte[] compact = LaxDer.parse(sigWithHashtype, 0, sigWithHashtype.length - 1);
        return compact != null && !LaxDer.isHighS(compact);
    }

    /** Core's CheckPubKeyEncoding. */
    static ScriptError checkPubKeyEncoding(byte[] key, int flags, SigVersion sigVersion) {
        if ((flags & ScriptFlags.STRICTENC) != 0 && !isCompressedOrUncompressed(key)) {
            return ScriptError.PUBKEYTYPE;
        }
        // BIP143 policy: only compressed keys in segwit v0.
        if ((flags & ScriptFlags.WITNESS_PUBKEYTYPE) != 0 && sigVersion == SigVersion.WITNESS_V0
                && !isCompressed(key)) {
            return ScriptError.WITNESS_PUBKEYTYPE;
        }
        return ScriptError.OK;
    }

    static boolean isCompressedOrUncompressed(byte[] key) {
        if (key.length < 33) {
            return false;
        }
        int h = key[0] & 0xff;
        if (h == 0x04) {
            return key.length == 65;
        }
        if (h == 0x02 || h == 0x03) {
            return key.length == 33;
        }
        return false;
    }

    static boolean isCompressed(byte[] key) {
        return key.length == 33 && (key[0] == 0x02 || key[0] == 0x03);
    }
}
