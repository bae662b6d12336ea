package org.jbitcoind.chain.coins;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.storage.Coin;

/**
 * Read access to a set of unspent outputs (Core's CCoinsView): the UTXO database, a cache over it,
 * or a test set. Implementations must be safe to read while no writer is active.
 */
public interface CoinsView {
    /** The unspent coin at {@code outpoint}, or empty when it does not exist or is spent. */
    Optional<Coin> getCoin(OutPoint outpoint);

    default boolean haveCoin(OutPoint outpoint) {
        return getCoin(outpoint).isPresent();
    }

    /**
     * Whether any of {@code outpoints} is unspent: BIP30's question for all of a block's new
     * outputs at once, which a store can answer in one read (a database's batched look-up).
     */
    default boolean haveAnyCoin(List<OutPoint> outpoints) {
        for (OutPoint op : outpoints) {
            if (haveCoin(op)) {
                return true;
            }
        }
        return false;
    }

    /** Hash of the block this set of coins is the state after (zero when none). */
    Hash256 bestBlock();

    /**
     * The coins at {@code outpoints} (absent ones left out) with the best block they belong to. A
     * view shared with a writer on another thread overrides this to read them all in one consistent
     * step; this default reads them one by one.
     */
    default Read readCoins(List<OutPoint> outpoints) {
        Map<OutPoint, Coin> coins = new HashMap<>(outpoints.size() * 2);
        for (OutPoint op : outpoints) {
            getCoin(op).ifPresent(c -> coins.put(op, c));
        }
        return new Read(coins, bestBlock());
    }

    /** Coins read together, and the block whose state they are. */
    record Read(Map<OutPoint, Coin> coins, Hash256 bestBlock) {
    }
}
