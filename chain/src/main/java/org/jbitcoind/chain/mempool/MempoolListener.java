package org.jbitcoind.chain.mempool;

import org.jbitcoind.protocol.primitives.Transaction;

/**
 * Notifications of mempool changes (for relay, ZMQ, wallets). Called with the pool's lock held,
 * on the thread that changed the pool: implementations must be quick and must not call back
 * into the pool from another thread and wait for it.
 */
public interface MempoolListener {
    default void transactionAdded(EntryInfo entry) {
    }

    default void transactionRemoved(Transaction tx, RemovalReason reason) {
    }
}
