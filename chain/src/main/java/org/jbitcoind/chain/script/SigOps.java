package org.jbitcoind.chain.script;

import java.util.List;

import org.jbitcoind.protocol.primitives.Transaction;
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
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Core's GetP2SHSigOpCount: accurate count of redeem scripts of P2SH inputs. */
    public static int p2shSigOpCount(Transaction tx, List<TxOut> spentOutputs) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Core's GetTransactionSigOpCost: legacy*4 + P2SH*4 (if P2SH flag) + witness sigops (if WITNESS flag). */
    public static long transactionSigOpCost(Transaction tx, List<TxOut> spentOutputs, int flags) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
