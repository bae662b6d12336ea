package org.jbitcoind.chain.coins;

/**
 * Where a {@link CoinsViewCache} flush goes (Core's CCoinsView::BatchWrite): the UTXO database or
 * another cache. The batch is applied as one unit, together with its new best block.
 */
public interface CoinsSink {
    void batchWrite(CoinsBatch batch);
}
