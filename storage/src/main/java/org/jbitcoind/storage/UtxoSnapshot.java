package org.jbitcoind.storage;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A frozen view of the UTXO set together with the best-block marker written with it. Because
 * both come from one RocksDB snapshot, the coins seen here are exactly the state at
 * {@link #bestBlock()}, whatever is committed meanwhile. Not thread-safe; close when done.
 */
public final class UtxoSnapshot extends DbHandle {
    private final RocksDB db;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    private final Set<UtxoCursor> openCursors = ConcurrentHashMap.newKeySet();

    UtxoSnapshot(ChainDb owner, RocksDB db, Snapshot snapshot) {
        super(owner);
        this.db = db;
        this.snapshot = snapshot;
        // A full scan should not evict the working set from the block cache.
        this.readOptions = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
    }

    public Optional<Hash256> bestBlock() throws StorageException {
        return ChainDb.decodeBest(read(ChainDb.Column.META, ChainDb.metaBestBlockKey()));
    }

    /** The block index record as of this snapshot (for the height of the best block). */
    public Optional<BlockIndexRecord> blockIndex(Hash256 blockHash) throws StorageException {
        byte[] v = read(ChainDb.Column.BLOCK_INDEX, blockHash.bytes());
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(BlockIndexRecord.decode(v));
        } catch (DecodeException | IllegalArgumentException e) {
            throw new StorageException("corrupt block index record " + blockHash + ": " + e.getMessage(), e);
        }
    }

    public Optional<Coin> getCoin(OutPoint outPoint) throws StorageException {
        byte[] v = read(ChainDb.Column.UTXO, UtxoKey.encode(outPoint));
        return v == null ? Optional.empty() : Optional.of(ChainDb.decodeCoin(v, outPoint));
    }

    /** A cursor over every coin in key order (txid bytes, then VARINT(vout)); close it when done. */
    public UtxoCursor cursor() throws StorageException {
        owner.lock().readLock().lock();
        try {
            ensureOpen();
            RocksIterator it = db.newIterator(owner.handle(ChainDb.Column.UTXO), readOptions);
            it.seekToFirst();
            UtxoCursor c = new UtxoCursor(owner, this, it);
            openCursors.add(c);
            return c;
        } finally {
            owner.lock().readLock().unlock();
        }
    }

    /** Visits every coin in key order. */
    public void forEach(CoinVisitor visitor) throws StorageException {
        try (UtxoCursor c = cursor()) {
            while (c.next()) {
                visitor.accept(c.outPoint(), c.coin());
            }
        }
    }

    @FunctionalInterface
    public interface CoinVisitor {
        void accept(OutPoint outPoint, Coin coin) throws StorageException;
    }

    /** Closes the cursors still open, then the snapshot. */
    @Override
    void release() {
        for (UtxoCursor c : List.copyOf(openCursors)) {
            c.closeInternal();
        }
        openCursors.clear();
        readOptions.close();
        db.releaseSnapshot(snapshot);
    }

    @Override
    void detach() {
        owner.forgetSnapshot(this);
    }

    private byte[] read(ChainDb.Column c, byte[] key) throws StorageException {
        owner.lock().readLock().lock();
        try {
            ensureOpen();
            return db.get(owner.handle(c), readOptions, key);
        } catch (RocksDBException e) {
            throw owner.failure("read " + c.cfName() + " in snapshot", e);
        } finally {
            owner.lock().readLock().unlock();
        }
    }

    private void ensureOpen() throws StorageException {
        owner.ensureOpen();
        if (isClosed()) {
            throw new StorageException("UTXO snapshot is closed");
        }
    }

    void forgetCursor(UtxoCursor c) {
        openCursors.remove(c);
    }
}
