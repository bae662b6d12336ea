package org.jbitcoind.chain.script;

import java.util.List;

import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * Signature-operation counting as Core does it for block limits.
 * CONTRACT: signatures fixed; the script work implements them.
 */
public final class SigOps {
    private SigOps() {
    }

    /** Core's GetLegacySigOpCount: inaccurate count over scriptSigs and scriptPubKeys. */
    public static int legacySigOpCount(Transaction tx) {
        int n = 0;
        for (TxIn in : tx.inputs()) {
            n += Script.sigOpCount(in.scriptSig(), false);
        }
        for (TxOut out : tx.outputs()) {
            n += Script.sigOpCount(out.scriptPubKey(), false);
        }
        return n;
    }

    /** Core's GetP2SHSigOpCount: accurate count of redeem scripts of P2SH inputs. */
    public static int p2shSigOpCount(Transaction tx, List<TxOut> spentOutputs) {
        if (tx.isCoinbase()) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < tx.inputs().size(); i++) {
            byte[] spk = spentOutputs.get(i).scriptPubKey();
            if (Script.isPayToScriptHash(spk)) {
                byte[] redeem = Script.lastPushIfPushOnly(tx.inputs().get(i).scriptSig());
                if (redeem != null) {
                    n += Script.sigOpCount(redeem, true);
                }
            }
        }
        return n;
    }

    /** Core's GetTransactionSigOpCost: legacy*4 + P2SH*4 (if P2SH flag) + witness sigops (if WITNESS flag). */
    public static long transactionSigOpCost(Transaction tx, List<TxOut> spentOutputs, int flags) {
        long cost = (long) legacySigOpCount(tx) * Consensus.WITNESS_SCALE_FACTOR;
        if (tx.isCoinbase()) {
            return cost;
        }
        if ((flags & ScriptFlags.P2SH) != 0) {
            cost += (long) p2shSigOpCount(tx, spentOutputs) * Consensus.WITNESS_SCALE_FACTOR;
        }
        for (int i = 0; i < tx.inputs().size(); i++) {
            TxIn in = tx.inputs().get(i);
            cost += witnessSigOps(in.scriptSig(), spentOutputs.get(i).scriptPubKey(), in.witness(), flags);
        }
        return cost;
    }

    /** Core's CountWitnessSigOps for one input (BIP141: witness sigops count 1 each, unscaled). */
    public static int witnessSigOps(byte[] scriptSig, byte[] scriptPubKey, List<byte[]> witness, int flags) {
        if ((flags & ScriptFlags.WITNESS) == 0) {
            return 0;
        }
        if (Script.isWitnessProgram(scriptPubKey)) {
            return programSigOps(scriptPubKey, witness);
        }
        if (Script.isPayToScriptHash(scriptPubKey)) {
            byte[] redeem = Script.lastPushIfPushOnly(scriptSig);
            if (redeem != null && Script.isWitnessProgram(redeem)) {
                return programSigOps(redeem, witness);
            }
        }
        return 0;
    }

    private static int programSigOps(byte[] program, List<byte[]> witness) {
        if (Script.witnessVersion(program) == 0) {
            int len = program.length - 2;
            if (len == Script.WITNESS_V0_KEYHASH_SIZE) {
                return 1;
            }
            if (len == Script.WITNESS_V0_SCRIPTHASH_SIZE && !witness.isEmpty()) {
                return Script.sigOpCount(witness.get(witness.size() - 1), true);
            }
        }
        return 0;
    }
}
