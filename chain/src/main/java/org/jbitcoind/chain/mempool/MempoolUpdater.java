package org.jbitcoind.chain.mempool;

import java.util.List;
import java.util.Objects;

import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * Keeps the mempool (and the orphan pool) in step with the active chain, in the order Core does
 * it: blocks taken off the tip are remembered, blocks connected remove their transactions and
 * conflicts, and once the new tip is reached the remembered transactions are offered back
 * (Core's DisconnectedBlockTransactions + MaybeUpdateMempoolForReorg). The node forwards the
 * chain-state listener calls (blockDisconnected, blockConnected, newTip) here, on the chain
 * thread, while the coins view of the context is stable.
 */
public final class MempoolUpdater {
    private final TxMempool pool;
    private final OrphanPool orphans;
    private final DisconnectedBlockTransactions disconnected = new DisconnectedBlockTransactions();

    /** @param orphans the orphan pool to prune with connected blocks, or null */
    public MempoolUpdater(TxMempool pool, OrphanPool orphans) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.orphans = orphans;
    }

    public void blockDisconnected(Block block) {
        disconnected.addForBlock(block);
    }

    public void blockConnected(Block block) {
        List<Transaction> txs = block.transactions();
        pool.removeForBlock(txs);
        disconnected.removeForBlock(txs);
        if (orphans != null) {
            orphans.eraseForBlock(txs);
        }
    }

    /**
     * The chain reached a new tip ({@code ctx}); if blocks were disconnected on the way, their
     * transactions go back into the pool. Returns how many did.
     */
    public int newTip(ChainContext ctx) {
        if (disconnected.isEmpty()) {
            return 0;
        }
        return pool.updateForReorg(disconnected, ctx);
    }
}
