package org.jbitcoind.chain.script;

import java.util.Arrays;
import java.util.List;

import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Produces scriptSigs and witnesses for the common output types, for tooling such as
 * signrawtransactionwithkey and test chain generators (never used by validation). The
 * transaction's other fields must be final: every signature commits to them.
 */
public final class InputSigner {
    private InputSigner() {
    }

    /** An ECDSA signature with its hash-type byte, over the legacy or BIP143 sighash. */
    public static byte[] ecdsaSignature(PrecomputedTransactionData txData, int nIn, byte[] scriptCode,
            boolean witnessV0, byte[] secKey, int hashType) {
        byte[] sighash = witnessV0
                ? SignatureHash.witnessV0(txData, nIn, scriptCode, txData.spentOutputs().get(nIn).value(), hashType)
                : SignatureHash.legacy(txData.tx(), nIn, scriptCode, hashType);
        byte[] der = Signer.signEcdsaDer(secKey, sighash);
        byte[] sig = Arrays.copyOf(der, der.length + 1);
        sig[der.length] = (byte) hashType;
        return sig;
    }

    /** P2PK: scriptSig = push(sig). */
    public static byte[] p2pkScriptSig(PrecomputedTransactionData txData, int nIn, byte[] secKey, int hashType) {
        byte[] spk = txData.spentOutputs().get(nIn).scriptPubKey();
        return Script.pushOf(ecdsaSignature(txData, nIn, spk, false, secKey, hashType));
    }

    /** P2PKH with the compressed key: scriptSig = push(sig) push(pubkey). */
    public static byte[] p2pkhScriptSig(PrecomputedTransactionData txData, int nIn, byte[] secKey, int hashType) {
        byte[] spk = txData.spentOutputs().get(nIn).scriptPubKey();
        byte[] sig = ecdsaSignature(txData, nIn, spk, false, secKey, hashType);
        byte[] a = Script.pushOf(sig);
        byte[] b = Script.pushOf(Signer.publicKey(secKey));
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** P2WPKH, native or inside P2SH (BIP141): witness = [sig, pubkey]. */
    public static List<byte[]> p2wpkhWitness(PrecomputedTransactionData txData, int nIn, byte[] secKey,
            int hashType) {
        byte[] pub = Signer.publicKey(secKey);
        byte[] scriptCode = StandardScripts.payToPubkeyHash(Hashes.hash160(pub));
        return List.of(ecdsaSignature(txData, nIn, scriptCode, true, secKey, hashType), pub);
    }

    /** The scriptSig of a P2SH-wrapped P2WPKH input: one push of the witness program. */
    public static byte[] p2shP2wpkhScriptSig(byte[] secKey) {
        return Script.pushOf(StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(secKey))));
    }

    /** The P2TR output key for an internal secret key and optional script-tree root (BIP341/BIP86). */
    public static byte[] taprootOutputKey(byte[] internalSecKey, byte[] merkleRoot) {
        byte[] internal = Signer.xOnlyPublicKey(internalSecKey);
        return Signer.xOnlyPublicKey(Signer.tweakSecretKey(internalSecKey, Taproot.tweakHash(internal, merkleRoot)));
    }

    /**
     * P2TR key path: witness = [sig] (64 bytes for SIGHASH_DEFAULT, else 65).
     *
     * @param merkleRoot the script tree root, or null for a key-only output
     */
    public static List<byte[]> p2trKeyPathWitness(PrecomputedTransactionData txData, int nIn, byte[] internalSecKey,
            byte[] merkleRoot, int hashType, byte[] auxRand32) {
        byte[] internal = Signer.xOnlyPublicKey(internalSecKey);
        byte[] tweaked = Signer.tweakSecretKey(internalSecKey, Taproot.tweakHash(internal, merkleRoot));
        byte[] sighash = SignatureHash.taprootKeyPath(txData, nIn, hashType);
        if (sighash == null) {
            throw new IllegalArgumentException("invalid hash type " + hashType + " for input " + nIn);
        }
        byte[] sig = Signer.signSchnorr(tweaked, sighash, auxRand32);
        if (hashType == SignatureEncoding.SIGHASH_DEFAULT) {
            return List.of(sig);
        }
        byte[] withType = Arrays.copyOf(sig, 65);
        withType[64] = (byte) hashType;
        return List.of(withType);
    }
}
