package org.jbitcoind.chain.mempool;

import java.util.Map;
import java.util.Optional;

import org.jbitcoind.chain.coins.CoinsBatch;
import org.jbitcoind.chain.coins.CoinsStore;
import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.Coin;

/**
 * The chain's coins with the outputs of mempool transactions laid over them (Core's
 * CCoinsViewMemPool). A mempool output appears at the height of the next block, so BIP68 counts
 * it as not yet confirmed. Coins that a mempool transaction spends are still shown: conflicts are
 * found through the pool's spend index, not here. Read-only; used only under the pool's lock.
 */
final class CoinsViewMemPool implements CoinsStore {
    private final CoinsView base;
    private final Map<Hash256, MempoolEntry> pool;
    private final int mempoolHeight;

    CoinsViewMemPool(CoinsView base, Map<Hash256, MempoolEntry> pool, int mempoolHeight) {
        this.base = base;
        this.pool = pool;
        this.mempoolHeight = mempoolHeight;
    }

    @Override
    public Optional<Coin> getCoin(OutPoint outpoint) {
        MempoolEntry e = pool.get(outpoint.txid());
        if (e != null) {
            Transaction tx = e.tx();
            long index = outpoint.indexUnsigned();
            if (index >= tx.outputs().size()) {
                return Optional.empty();
            }
            return Optional.of(new Coin(tx.outputs().get((int) index), mempoolHeight, false));
        }
        return base.getCoin(outpoint);
    }

    /** Whether the coin comes from the chain rather than from a mempool transaction. */
    boolean isConfirmed(OutPoint outpoint) {
        return !pool.containsKey(outpoint.txid());
    }

    @Override
    public Hash256 bestBlock() {
        return base.bestBlock();
    }

    @Override
    public void batchWrite(CoinsBatch batch) {
        throw new UnsupportedOperationException("the mempool coins view is read-only");
    }
}
