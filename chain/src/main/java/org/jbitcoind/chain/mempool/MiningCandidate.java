package org.jbitcoind.chain.mempool;

import java.util.List;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;

/** A mempool transaction as block assembly sees it, with the txids of its in-mempool parents. */
public record MiningCandidate(Transaction tx, Hash256 txid, long fee, long modifiedFee, int vsize, int weight,
        long sigOpCost, List<Hash256> parents) {
    public MiningCandidate {
        parents = List.copyOf(parents);
    }
}
