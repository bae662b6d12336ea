package org.jbitcoind.chain.script;

import java.util.List;

import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * A transaction together with the outputs its inputs spend (in input order), and the
 * signature-hash midstates (BIP143, BIP341) computed once for all of its inputs.
 * CONTRACT: constructor and the two accessors are used by consensus code; the script work
 * adds the cached midstates.
 */
public final class PrecomputedTransactionData {
    private final Transaction tx;
    private final List<TxOut> spentOutputs;

    public PrecomputedTransactionData(Transaction tx, List<TxOut> spentOutputs) {
        if (spentOutputs.size() != tx.inputs().size()) {
            throw new IllegalArgumentException("one spent output per input required");
        }
        this.tx = tx;
        this.spentOutputs = List.copyOf(spentOutputs);
    }

    public Transaction tx() {
        return tx;
    }

    public List<TxOut> spentOutputs() {
        return spentOutputs;
    }
}
