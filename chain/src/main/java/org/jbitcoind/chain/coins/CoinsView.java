package org.jbitcoind.chain.coins;

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

    /** Hash of the block this set of coins is the state after (zero when none). */
    Hash256 bestBlock();
}
