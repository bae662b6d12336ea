package org.jbitcoind.chain.state;

/**
 * Running figures of the chain state for monitoring: how many blocks were connected since the chain
 * state opened and how long connecting them took, and the UTXO cache's size. The chain thread is the
 * only writer; any thread reads without waiting for it (the values are published through volatile
 * fields, so a reader may see one block's update only partly applied, never a torn value).
 */
public final class ChainstateStats {
    private volatile long blocksConnected;
    private volatile long connectNanos;
    private volatile long coinsCacheBytes;
    private volatile long coinsCacheCoins;
    private volatile long speculativeConnects;

    ChainstateStats() {
    }

    /** Chain thread only: one block connected to the tip, taking {@code nanos}. */
    void recordConnect(long nanos) {
        // Single writer, so read-modify-write on the volatiles is safe; the sum goes first so a
        // reader never sees a count whose time is missing.
        connectNanos += nanos;
        blocksConnected++;
    }

    /** Chain thread only: a block connected on work started before its parent's verdict. */
    void recordSpeculativeConnect() {
        speculativeConnects++;
    }

    /** Chain thread only: the UTXO cache after a change. */
    void recordCoinsCache(long bytes, long coins) {
        coinsCacheBytes = bytes;
        coinsCacheCoins = coins;
    }

    /**
     * Blocks connected to the active chain since the chain state opened: start-up catch-up, new blocks
     * and reconnections in reorganisations (so genesis counts on a fresh data directory).
     */
    public long blocksConnected() {
        return blocksConnected;
    }

    /**
     * Total time spent connecting those blocks: reading the block, checking it against the UTXO set
     * (scripts included) and writing its undo data; not the listeners or flushes that follow.
     */
    public long connectNanos() {
        return connectNanos;
    }

    /** Estimated heap bytes of the UTXO cache, the figure compared with the -dbcache budget. */
    public long coinsCacheBytes() {
        return coinsCacheBytes;
    }

    /** Entries in the UTXO cache (spent ones not yet flushed included, as in Core's cache size). */
    public long coinsCacheCoins() {
        return coinsCacheCoins;
    }

    /**
     * Blocks whose connection was started on their parent's view while the parent's scripts were
     * still being checked (the import pipeline) and then used: a measure of how much of a stream of
     * blocks overlapped.
     */
    public long speculativeConnects() {
        return speculativeConnects;
    }
}
