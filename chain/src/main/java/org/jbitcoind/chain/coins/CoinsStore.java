package org.jbitcoind.chain.coins;

/** A coins view that also accepts flushed changes: what a {@link CoinsViewCache} is layered over. */
public interface CoinsStore extends CoinsView, CoinsSink {
}
