package org.jbitcoind.chain.coins;

import java.util.List;
import java.util.Objects;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.storage.Coin;

/**
 * The changes a cache flush hands to its base: only entries changed since the last flush.
 *
 * @param changes   one per changed outpoint, in no particular order
 * @param bestBlock the block the coins are the state after once the batch is applied
 */
public record CoinsBatch(List<Change> changes, Hash256 bestBlock) {
    public CoinsBatch {
        changes = List.copyOf(changes);
        Objects.requireNonNull(bestBlock, "bestBlock");
    }

    /**
     * One changed outpoint.
     *
     * @param coin  the new unspent coin, or null when the outpoint is now spent (delete it)
     * @param fresh the base did not have this coin when the cache first saw it (Core's FRESH): a
     *              base cache may then forget a spent entry instead of recording the spend
     */
    public record Change(OutPoint outpoint, Coin coin, boolean fresh) {
        public Change {
            Objects.requireNonNull(outpoint, "outpoint");
        }

        public boolean isSpent() {
            return coin == null;
        }
    }
}
