package org.jbitcoind.chain.mempool;

import java.util.Objects;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;

/**
 * What mempool acceptance needs from the active chain: the coins at the tip and the tip itself
 * (height, median time past, ancestors for BIP68). The caller must keep {@code coins} stable for
 * the duration of the call (the chain thread must not be connecting a block into it meanwhile).
 */
public record ChainContext(CoinsView coins, BlockIndex tip, ChainParams params) {
    public ChainContext {
        Objects.requireNonNull(coins, "coins");
        Objects.requireNonNull(tip, "tip");
        Objects.requireNonNull(params, "params");
    }

    /** Height of the block a transaction accepted now would be mined in at the earliest. */
    public int nextHeight() {
        return tip.height() + 1;
    }
}
