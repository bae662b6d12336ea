package org.jbitcoind.chain.script;

/** What the interpreter asks of the transaction it runs in (Core's BaseSignatureChecker). */
interface SignatureChecker {
    /** ECDSA: {@code sig} includes the trailing hash-type byte. */
    boolean checkEcdsa(byte[] sig, byte[] pubKey, byte[] scriptCode, SigVersion sigVersion);

    /** BIP340/341: returns OK or the Schnorr error to fail with. */
    ScriptError checkSchnorr(byte[] sig, byte[] pubKey32, SigVersion sigVersion, ExecData exec);

    boolean checkLockTime(long lockTime);

    boolean checkSequence(long sequence);

    /** The verifier for taproot commitments. */
    org.jbitcoind.chain.crypto.SignatureVerifier verifier();

    /** OP_HASH160; a checker may remember results across the script passes of one transaction. */
    default byte[] hash160(byte[] data) {
        return org.jbitcoind.protocol.crypto.Hashes.hash160(data);
    }
}
