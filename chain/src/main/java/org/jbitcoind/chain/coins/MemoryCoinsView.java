package org.jbitcoind.chain.coins;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.storage.Coin;

/**
 * A coins store held entirely in a map: the base for regtest-sized chains and tests. Not thread-safe
 * for concurrent writes; reads during a write must be prevented by the owner.
 */
public final class MemoryCoinsView implements CoinsStore {
    private final Map<OutPoint, Coin> coins = new HashMap<>();
    private Hash256 bestBlock = Hash256.ZERO;
    private long batches;

    @Override
    public Optional<Coin> getCoin(OutPoint outpoint) {
        return Optional.ofNullable(coins.get(outpoint));
    }

    @Override
    public Hash256 bestBlock() {
        return bestBlock;
    }

    @Override
    public void batchWrite(CoinsBatch batch) {
        for (CoinsBatch.Change c : batch.changes()) {
            if (c.isSpent()) {
                coins.remove(c.outpoint());
            } else {
                coins.put(c.outpoint(), c.coin());
            }
        }
        bestBlock = batch.bestBlock();
        batches++;
    }

    /** Seeds a coin directly (test fixtures, loading a snapshot). */
    public void put(OutPoint outpoint, Coin coin) {
        coins.put(outpoint, coin);
    }

    public void setBestBlock(Hash256 hash) {
        bestBlock = hash;
    }

    public int size() {
        return coins.size();
    }

    /** A copy of every coin, for comparing whole states. */
    public Map<OutPoint, Coin> snapshot() {
        return Map.copyOf(coins);
    }

    public long batchesWritten() {
        return batches;
    }
}
