package org.jbitcoind.chain.mempool;

/** Why a transaction left the mempool (Core's MemPoolRemovalReason), for listeners and logs. */
public enum RemovalReason {
    /** Older than -mempoolexpiry. */
    EXPIRY,
    /** Evicted to keep the pool under -maxmempool. */
    SIZELIMIT,
    /** No longer valid after a reorganisation (non-final, immature coinbase spend, missing inputs). */
    REORG,
    /** Included in a connected block. */
    BLOCK,
    /** Spent an output a connected block spent too. */
    CONFLICT,
    /** Replaced by a transaction paying more (RBF). */
    REPLACED
}
