package org.jbitcoind.chain.mempool;

import java.util.HashMap;
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
 */
final class PrefetchedCoins implements CoinsView {
    private final Map<OutPoint, Coin> coins;
    private final Hash256 bestBlock;

    private PrefetchedCoins(Map<OutPoint, Coin> coins, Hash256 bestBlock) {
        this.coins = coins;
        this.bestBlock = bestBlock;
    }

    static PrefetchedCoins of(Transaction tx, CoinsView chain, Hash256 bestBlock) {
        Map<OutPoint, Coin> coins = new HashMap<>(tx.inputs().size() * 2);
        for (TxIn in : tx.inputs()) {
            chain.getCoin(in.prevout()).ifPresent(c -> coins.put(in.prevout(), c));
        }
        return new PrefetchedCoins(coins, bestBlock);
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
