package org.jbitcoind.chain.script;

import java.util.Arrays;

import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;

/** Signature, lock-time and sequence checks against one input of a real transaction. */
final class TransactionSignatureChecker implements SignatureChecker {
    /** BIP68 bits of nSequence. */
    static final long SEQUENCE_LOCKTIME_DISABLE_FLAG = 1L << 31;
    static final long SEQUENCE_LOCKTIME_TYPE_FLAG = 1L << 22;
    static final long SEQUENCE_LOCKTIME_MASK = 0x0000ffffL;

    private final PrecomputedTransactionData txData;
    private final Transaction tx;
    private final int nIn;
    private final SignatureVerifier verifier;
    private final boolean storeInCache;

    TransactionSignatureChecker(PrecomputedTransactionData txData, int nIn, SignatureVerifier verifier,
            boolean storeInCache) {
        this.txData = txData;
        this.tx = txData.tx();
        this.nIn = nIn;
        this.verifier = verifier;
        this.storeInCache = storeInCache;
    }

    @Override
    public SignatureVerifier verifier() {
        return verifier;
    }

    @Override
    public boolean checkEcdsa(byte[] sig, byte[] pubKey, byte[] scriptCode, SigVersion sigVersion) {
        if (!StandardScripts.validKeySize(pubKey, 0, pubKey.length) || sig.length == 0) {
            return false;
        }
        int hashType = sig[sig.length - 1] & 0xff;
        byte[] sighash = txData.ecdsaSighash(nIn, scriptCode, hashType, sigVersion);
        // The DER part is the signature without its last (hash type) byte, read in place.
        return verifier.verifyEcdsa(sig, 0, sig.length - 1, pubKey, sighash, storeInCache);
    }

    @Override
    public byte[] hash160(byte[] data) {
        return txData.hash160(nIn, data);
    }

    @Override
    public ScriptError checkSchnorr(byte[] sig, byte[] pubKey32, SigVersion sigVersion, ExecData exec) {
        if (sig.length != 64 && sig.length != 65) {
            return ScriptError.SCHNORR_SIG_SIZE;
        }
        int hashType = SignatureEncoding.SIGHASH_DEFAULT;
        byte[] sig64 = sig;
        if (sig.length == 65) {
            hashType = sig[64] & 0xff;
            if (hashType == SignatureEncoding.SIGHASH_DEFAULT) {
                return ScriptError.SCHNORR_SIG_HASHTYPE;
            }
            sig64 = Arrays.copyOf(sig, 64);
        }
        byte[] sighash = SignatureHash.taproot(txData, nIn, hashType, sigVersion, exec);
        if (sighash == null) {
            return ScriptError.SCHNORR_SIG_HASHTYPE;
        }
        return verifier.verifySchnorr(sig64, pubKey32, sighash, storeInCache) ? ScriptError.OK
                : ScriptError.SCHNORR_SIG;
    }

    @Override
    public boolean checkLockTime(long lockTime) {
        long txLockTime = tx.lockTime();
        // Height-based and time-based lock times cannot be compared.
        boolean sameKind = (txLockTime < Consensus.LOCKTIME_THRESHOLD && lockTime < Consensus.LOCKTIME_THRESHOLD)
                || (txLockTime >= Consensus.LOCKTIME_THRESHOLD && lockTime >= Consensus.LOCKTIME_THRESHOLD);
        if (!sameKind || lockTime > txLockTime) {
            return false;
        }
        // A final input would let IsFinalTx bypass nLockTime, and with it this check.
        return tx.inputs().get(nIn).sequence() != TxIn.SEQUENCE_FINAL;
    }

    @Override
    public boolean checkSequence(long sequence) {
        long txSequence = tx.inputs().get(nIn).sequence();
        // BIP68 applies only from version 2 (compared unsigned, as Core does).
        if (Integer.compareUnsigned(tx.version(), 2) < 0) {
            return false;
        }
        if ((txSequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) != 0) {
            return false;
        }
        long mask = SEQUENCE_LOCKTIME_TYPE_FLAG | SEQUENCE_LOCKTIME_MASK;
        long txMasked = txSequence & mask;
        long masked = sequence & mask;
        boolean sameKind = (txMasked < SEQUENCE_LOCKTIME_TYPE_FLAG && masked < SEQUENCE_LOCKTIME_TYPE_FLAG)
                || (txMasked >= SEQUENCE_LOCKTIME_TYPE_FLAG && masked >= SEQUENCE_LOCKTIME_TYPE_FLAG);
        return sameKind && masked <= txMasked;
    }
}
