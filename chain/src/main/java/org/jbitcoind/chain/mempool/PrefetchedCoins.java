package org.jbitcoind.chain.mempool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.storage.Coin;

/**
 * The chain coins one transaction's inputs refer to, read before the pool's lock is taken, so
 * that no thread holding the pool's lock ever waits for the chain. Anything else reads as absent.
 * They are read in one step ({@link CoinsView#readCoins}) together with the block they are the
 * state of, so the set is exact for that block: the script precheck hands it to the acceptance,
 * which uses it when the tip has not moved meanwhile.
 */
final class PrefetchedCoins implements CoinsView {
    private final Map<OutPoint, Coin> coins;
    private final Hash256 bestBlock;

    private PrefetchedCoins(Map<OutPoint, Coin> coins, Hash256 bestBlock) {
        this.coins = coins;
        this.bestBlock = bestBlock;
    }

    static PrefetchedCoins of(Transaction tx, CoinsView chain) {
        List<OutPoint> outpoints = new ArrayList<>(tx.inputs().size());
        for (TxIn in : tx.inputs()) {
            outpoints.add(in.prevout());
        }
        Read read = chain.readCoins(outpoints);
        return new PrefetchedCoins(read.coins(), read.bestBlock());
    }

    @Override
    public Optional<Coin> getCoin(OutPoint outpoint) {
        return Optional.ofNullable(coins.get(outpoint));
    }

    @Override
    public Hash256 bestBlock() {
        return bestBlock;
    }
}
