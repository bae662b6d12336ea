package org.jbitcoind.chain.state;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jbitcoind.chain.coins.CoinsBatch;
import org.jbitcoind.chain.coins.CoinsStore;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.StorageException;

/**
 * The UTXO set in the chain database (Core's CCoinsViewDB), the bottom of the coins cache stack.
 * A flush arrives as one {@link CoinsBatch} and becomes one RocksDB write holding every changed
 * coin, the new best-block marker and whatever else the owner adds through {@link BatchExtras}
 * (the block index records changed since the last flush), so that after any crash the database
 * holds the exact state at the block the marker names.
 */
final class DbCoinsView implements CoinsStore {
    /** Adds the owner's records to a flush batch. */
    @FunctionalInterface
    interface BatchExtras {
        void addTo(ChainDb.Batch batch) throws StorageException;
    }

    private final ChainDb db;
    private BatchExtras extras = b -> { };
    private boolean syncNextWrite;
    private Hash256 bestBlock;

    DbCoinsView(ChainDb db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    void setExtras(BatchExtras extras) {
        this.extras = Objects.requireNonNull(extras);
    }

    /** Whether the next batch is fsynced (periodic and shutdown flushes) or only handed to the OS (budget flushes). */
    void setSyncNextWrite(boolean sync) {
        this.syncNextWrite = sync;
    }

    @Override
    public Optional<Coin> getCoin(OutPoint outpoint) {
        try {
            return db.getCoin(outpoint);
        } catch (StorageException e) {
            throw new ChainstateFailure("reading the UTXO set failed: " + e.getMessage(), e);
        }
    }

    /** One batched database read (RocksDB MultiGet) instead of a read per outpoint. */
    @Override
    public boolean haveAnyCoin(List<OutPoint> outpoints) {
        try {
            return db.haveAnyCoin(outpoints);
        } catch (StorageException e) {
            throw new ChainstateFailure("reading the UTXO set failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Hash256 bestBlock() {
        if (bestBlock == null) {
            try {
                bestBlock = db.getBestBlock().orElse(Hash256.ZERO);
            } catch (StorageException e) {
                throw new ChainstateFailure("reading the best block failed: " + e.getMessage(), e);
            }
        }
        return bestBlock;
    }

    @Override
    public void batchWrite(CoinsBatch batch) {
        try (ChainDb.Batch b = db.batch()) {
            for (CoinsBatch.Change c : batch.changes()) {
                if (c.isSpent()) {
                    // A FRESH coin was never written, so there is nothing to delete.
                    if (!c.fresh()) {
                        b.deleteCoin(c.outpoint());
                    }
                } else {
                    b.putCoin(c.outpoint(), c.coin());
                }
            }
            extras.addTo(b);
            b.setBestBlock(batch.bestBlock());
            b.commit(syncNextWrite);
            bestBlock = batch.bestBlock();
        } catch (StorageException e) {
            throw new ChainstateFailure("writing the UTXO set failed: " + e.getMessage(), e);
        }
    }
}
