package org.jbitcoind.chain.validation;

import java.util.HashSet;
import java.util.Set;

import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/** Context-free transaction rules: Core's CheckTransaction. */
public final class TxCheck {
    private TxCheck() {
    }

    public static void checkTransaction(Transaction tx) throws ValidationException {
        if (tx.inputs().isEmpty()) {
            throw ValidationException.consensus("bad-txns-vin-empty");
        }
        if (tx.outputs().isEmpty()) {
            throw ValidationException.consensus("bad-txns-vout-empty");
        }
        // Size limit without witness, scaled: no transaction can be larger than a whole block.
        if ((long) tx.baseSize() * Consensus.WITNESS_SCALE_FACTOR > Consensus.MAX_BLOCK_WEIGHT) {
            throw ValidationException.consensus("bad-txns-oversize");
        }
        long total = 0;
        for (TxOut out : tx.outputs()) {
            if (out.value() < 0) {
                throw ValidationException.consensus("bad-txns-vout-negative");
            }
            if (out.value() > Consensus.MAX_MONEY) {
                throw ValidationException.consensus("bad-txns-vout-toolarge");
            }
            total += out.value();
            if (!Consensus.moneyRange(total)) {
                throw ValidationException.consensus("bad-txns-txouttotal-toolarge");
            }
        }
        // CVE-2018-17144: duplicate inputs within one transaction.
        if (hasDuplicateInputs(tx)) {
            throw ValidationException.consensus("bad-txns-inputs-duplicate");
        }
        if (tx.isCoinbase()) {
            int len = tx.inputs().get(0).scriptSig().length;
            if (len < 2 || len > 100) {
                throw ValidationException.consensus("bad-cb-length");
            }
        } else {
            for (TxIn in : tx.inputs()) {
                if (in.prevout().isNull()) {
                    throw ValidationException.consensus("bad-txns-prevout-null");
                }
            }
        }
    }

    /** Up to this many inputs, comparing every pair is cheaper than filling a hash set. */
    private static final int PAIRWISE_DUPLICATE_CHECK_MAX = 8;

    private static boolean hasDuplicateInputs(Transaction tx) {
        var inputs = tx.inputs();
        int n = inputs.size();
        if (n <= PAIRWISE_DUPLICATE_CHECK_MAX) {
            // Most transactions have one or two inputs: no set (and no garbage) for them.
            for (int i = 1; i < n; i++) {
                OutPoint p = inputs.get(i).prevout();
                for (int j = 0; j < i; j++) {
                    if (p.equals(inputs.get(j).prevout())) {
                        return true;
                    }
                }
            }
            return false;
        }
        Set<OutPoint> seen = new HashSet<>(n * 2);
        for (TxIn in : inputs) {
            if (!seen.add(in.prevout())) {
                return true;
            }
        }
        return false;
    }
}
