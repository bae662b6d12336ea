package org.jbitcoind.chain.mempool;

import java.util.List;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * A transaction accepted into the mempool: its fee and virtual size, and the transactions it
 * replaced (conflicts and their descendants; empty without a replacement), which relay must
 * forget and wallets must learn about.
 */
public record AcceptResult(Transaction tx, Hash256 txid, Hash256 wtxid, long fee, int vsize,
        List<Transaction> replaced) {
    public AcceptResult {
        replaced = List.copyOf(replaced);
    }
}
