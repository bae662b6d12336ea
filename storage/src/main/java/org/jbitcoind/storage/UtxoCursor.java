package org.jbitcoind.storage;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.rocksdb.RocksIterator;

/**
 * Walks the coins of a {@link UtxoSnapshot} in key order (Core's CCoinsViewCursor). Call
 * {@link #next()} before the first read. Not thread-safe; close when done.
 */
public final class UtxoCursor extends DbHandle {
    private final UtxoSnapshot snapshot;
    private final RocksIterator it;
    private boolean started;
    private OutPoint outPoint;
    private Coin coin;

    UtxoCursor(ChainDb owner, UtxoSnapshot snapshot, RocksIterator it) {
        super(owner);
        this.snapshot = snapshot;
        this.it = it;
    }

    /** Moves to the next coin; false at the end. */
    public boolean next() throws StorageException {
        owner.lock().readLock().lock();
        try {
            owner.ensureOpen();
            if (isClosed()) {
                throw new StorageException("UTXO cursor is closed (or its snapshot or database)");
            }
            if (started) {
                it.next();
            }
            started = true;
            if (!it.isValid()) {
                ChainDb.checkIterator(it);
                outPoint = null;
                coin = null;
                return false;
            }
            byte[] key = it.key();
            try {
                outPoint = UtxoKey.decode(key);
            } catch (DecodeException e) {
                throw new StorageException("corrupt UTXO key: " + e.getMessage(), e);
            }
            coin = ChainDb.decodeCoin(it.value(), outPoint);
            return true;
        } finally {
            owner.lock().readLock().unlock();
        }
    }

    public OutPoint outPoint() {
        if (outPoint == null) {
            throw new IllegalStateException("cursor is not on a coin");
        }
        return outPoint;
    }

    public Coin coin() {
        if (coin == null) {
            throw new IllegalStateException("cursor is not on a coin");
        }
        return coin;
    }

    @Override
    void release() {
        it.close();
    }

    @Override
    void detach() {
        snapshot.forgetCursor(this);
    }
}
