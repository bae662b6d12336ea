package org.jbitcoind.chain.mempool;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.chain.validation.ValidationException.Result;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;

/** The fee and topology rules a replacement must meet (Core's policy/rbf.cpp), checked under the pool's lock. */
final class ReplacementRules {
    private ReplacementRules() {
    }

    /**
     * Core's replacement rules with full RBF (policy/rbf.cpp): at most 100 evictions, no new
     * unconfirmed inputs, a higher feerate than each direct conflict, at least the conflicts'
     * total fee, and extra fee for its own relay at the incremental relay feerate.
     */
    static void check(Transaction tx, long modFee, int vsize, Set<MempoolEntry> directConflicts,
            Set<MempoolEntry> allConflicting, Predicate<Hash256> inPool, FeeRate incrementalRelayFee)
            throws ValidationException {
        Hash256 txid = tx.txid();
        long potential = 0;
        for (MempoolEntry c : directConflicts) {
            potential += c.countWithDescendants;
        }
        if (potential > TxMempool.MAX_REPLACEMENT_CANDIDATES) {
            throw new ValidationException(Result.MEMPOOL_POLICY, "too many potential replacements",
                    "rejecting replacement " + txid + "; too many potential replacements (" + potential + " > "
                            + TxMempool.MAX_REPLACEMENT_CANDIDATES + ")");
        }
        Set<Hash256> conflictParents = new HashSet<>();
        for (MempoolEntry c : directConflicts) {
            for (TxIn in : c.tx().inputs()) {
                conflictParents.add(in.prevout().txid());
            }
        }
        for (TxIn in : tx.inputs()) {
            Hash256 parent = in.prevout().txid();
            if (!conflictParents.contains(parent) && inPool.test(parent)) {
                throw new ValidationException(Result.MEMPOOL_POLICY, "replacement-adds-unconfirmed",
                        "replacement " + txid + " adds unconfirmed input " + in.prevout());
            }
        }
        for (MempoolEntry c : directConflicts) {
            if (TxMempool.compareRates(modFee, vsize, c.modifiedFee(), c.vsize()) <= 0) {
                throw new ValidationException(Result.MEMPOOL_POLICY, "insufficient fee",
                        "rejecting replacement " + txid + "; new feerate " + FeeRate.of(modFee, vsize)
                                + " <= old feerate " + FeeRate.of(c.modifiedFee(), c.vsize()));
            }
        }
        long conflictingFees = TxMempool.sumModifiedFees(allConflicting);
        if (modFee < conflictingFees) {
            throw new ValidationException(Result.MEMPOOL_POLICY, "insufficient fee",
                    "rejecting replacement " + txid + ", less fees than conflicting txs; " + modFee + " < "
                            + conflictingFees);
        }
        long additional = modFee - conflictingFees;
        long relayFee = incrementalRelayFee.fee(vsize);
        if (additional < relayFee) {
            throw new ValidationException(Result.MEMPOOL_POLICY, "insufficient fee",
                    "rejecting replacement " + txid + ", not enough additional fees to relay; " + additional + " < "
                            + relayFee);
        }
    }
}
