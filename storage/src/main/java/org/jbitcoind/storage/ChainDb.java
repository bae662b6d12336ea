package org.jbitcoind.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's chain database: one RocksDB with a column family per record kind (see
 * docs/storage.md). All writes that must land together go through one {@link Batch}, a single
 * RocksDB write: the UTXO changes of a cache flush and the best-block marker that names the
 * state they belong to are therefore either both on disk or both absent after any crash.
 *
 * <p>Thread-safe. Reads may run concurrently with a commit. {@link #close()} waits for running
 * calls, closes open snapshots, and is idempotent; calls after it fail with StorageException.
 */
public final class ChainDb implements AutoCloseable {
    /** Layout version written at creation; a database with another version is refused. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ChainDb.class);
    private static final byte[] META_VERSION = ascii("format_version");
    private static final byte[] META_NETWORK = ascii("network");
    private static final byte[] META_BEST_BLOCK = ascii("best_block");
    private static final String DEFAULT_CF = "default";
    private static final String META_INDEX_BEST_PREFIX = "index_best_block/";

    /** The column families; {@link #cfName()} is the name on disk. */
    public enum Column {
        META("meta"), BLOCK_INDEX("block_index"), BLOCKS("blocks"), UNDO("undo"), UTXO("utxo"),
        TXINDEX("txindex"), BLOCK_FILTER("block_filter");

        private final String cfName;

        Column(String cfName) {
            this.cfName = cfName;
        }

        public String cfName() {
            return cfName;
        }
    }

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Network network;
    private final RocksDB db;
    private final Map<Column, ColumnFamilyHandle> handles;
    private final List<ColumnFamilyHandle> allHandles;
    private final List<AbstractNativeReference> resources;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<UtxoSnapshot> openSnapshots = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ChainDb(Path dir, Network network, RocksDB db, Map<Column, ColumnFamilyHandle> handles,
                    List<ColumnFamilyHandle> allHandles, List<AbstractNativeReference> resources) {
        this.dir = dir;
        this.network = network;
        this.db = db;
        this.handles = handles;
        this.allHandles = allHandles;
        this.resources = resources;
    }

    /**
     * Opens the database in {@code dir}, creating it (and the folder) for {@code network} when
     * there is none. An existing database must have been created for the same network and with
     * this {@link #FORMAT_VERSION}.
     */
    public static ChainDb open(Path dir, Network network, ChainDbOptions options) throws StorageException {
        Path abs = dir.toAbsolutePath().normalize();
        boolean exists = Files.exists(abs.resolve("CURRENT"));
        List<String> existingCfs = exists ? listColumnFamilies(abs) : List.of();
        if (exists && !existingCfs.contains(Column.META.cfName())) {
            throw new StorageException("database at " + abs + " is not a jbitcoind chain database (no "
                    + Column.META.cfName() + " column family)");
        }
        List<AbstractNativeReference> resources = new ArrayList<>();
        try {
            Files.createDirectories(abs);
            Cache cache = track(resources, new LRUCache(options.blockCacheBytes()));
            BloomFilter bloom = track(resources, new BloomFilter(10));
            List<String> cfNames = new ArrayList<>();
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            List<String> wanted = exists ? existingCfs : requiredCfNames();
            for (String name : wanted) {
                ColumnFamilyOptions cfo = track(resources, columnOptions(name, options, cache, bloom));
                cfNames.add(name);
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfo));
            }
            DBOptions dbo = track(resources, new DBOptions()
                    .setCreateIfMissing(!exists)
                    .setCreateMissingColumnFamilies(!exists)
                    .setMaxBackgroundJobs(options.maxBackgroundJobs())
                    // Bounded, so the daemon can budget its descriptors (docs/operations.md "Open files").
                    .setMaxOpenFiles(options.maxOpenFiles())
                    .setBytesPerSync(1024 * 1024)
                    .setAtomicFlush(true)
                    .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                    .setKeepLogFileNum(5));
            List<ColumnFamilyHandle> cfHandles = new ArrayList<>();
            RocksDB db = RocksDB.open(dbo, abs.toString(), descriptors, cfHandles);
            Map<Column, ColumnFamilyHandle> byColumn = new EnumMap<>(Column.class);
            for (int i = 0; i < cfNames.size(); i++) {
                for (Column c : Column.values()) {
                    if (c.cfName().equals(cfNames.get(i))) {
                        byColumn.put(c, cfHandles.get(i));
                    }
                }
            }
            ChainDb chainDb = new ChainDb(abs, network, db, byColumn, cfHandles, resources);
            try {
                if (exists) {
                    chainDb.checkMeta();
                } else {
                    chainDb.writeMeta();
                    LOG.info("Created chain database for {} at {}", network.id(), abs);
                }
            } catch (StorageException | RuntimeException e) {
                chainDb.close();
                throw e;
            }
            LOG.debug("Opened chain database at {}", abs);
            return chainDb;
        } catch (RocksDBException e) {
            closeAll(resources);
            String msg = e.getMessage() == null ? "" : e.getMessage();
            String hint = msg.toLowerCase(java.util.Locale.ROOT).contains("lock")
                    ? " (is another jbitcoind using this data directory?)" : "";
            throw new StorageException("cannot open database at " + abs + ": " + msg + hint, e);
        } catch (java.io.IOException e) {
            closeAll(resources);
            throw new StorageException("cannot create database folder " + abs + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return dir;
    }

    public Network network() {
        return network;
    }

    // ---- reads -------------------------------------------------------------------------------

    public Optional<Coin> getCoin(OutPoint outPoint) throws StorageException {
        byte[] v = get(Column.UTXO, UtxoKey.encode(outPoint));
        return v == null ? Optional.empty() : Optional.of(decodeCoin(v, outPoint));
    }

    /**
     * Looks up many coins in one call (RocksDB MultiGet, cheaper than one get per coin when a
     * block's inputs are fetched together). Missing coins are absent from the result.
     */
    public Map<OutPoint, Coin> getCoins(java.util.Collection<OutPoint> outPoints) throws StorageException {
        List<OutPoint> points = List.copyOf(outPoints);
        List<byte[]> values = multiGetUtxo(points);
        Map<OutPoint, Coin> out = new java.util.HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            byte[] v = values.get(i);
            if (v != null) {
                out.put(points.get(i), decodeCoin(v, points.get(i)));
            }
        }
        return out;
    }

    /**
     * Whether any of {@code outPoints} is in the UTXO set, in one MultiGet: BIP30's question for
     * all of a block's new outputs, whose answer is almost always no. Unlike {@link #getCoins}
     * nothing is copied, decoded or collected into a map.
     */
    public boolean haveAnyCoin(List<OutPoint> outPoints) throws StorageException {
        return Collections.frequency(multiGetUtxo(outPoints), null) != outPoints.size();
    }

    /** The stored values of {@code outPoints}' UTXO keys, in order, null where absent: one MultiGet. */
    private List<byte[]> multiGetUtxo(List<OutPoint> outPoints) throws StorageException {
        int n = outPoints.size();
        if (n == 0) {
            return List.of();   // RocksJava's multiGet asserts a non-empty key list
        }
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = UtxoKey.encode(outPoints.get(i));
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            return db.multiGetAsList(Collections.nCopies(n, handles.get(Column.UTXO)), Arrays.asList(keys));
        } catch (RocksDBException e) {
            throw failure("read utxo", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean haveCoin(OutPoint outPoint) throws StorageException {
        return get(Column.UTXO, UtxoKey.encode(outPoint)) != null;
    }

    /** Raw serialized block as received (with witness data). */
    public Optional<byte[]> getBlock(Hash256 blockHash) throws StorageException {
        return Optional.ofNullable(get(Column.BLOCKS, blockHash.bytes()));
    }

    public Optional<BlockUndo> getUndo(Hash256 blockHash) throws StorageException {
        byte[] v = get(Column.UNDO, blockHash.bytes());
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(BlockUndo.decode(v));
        } catch (DecodeException e) {
            throw corrupt("undo data of block " + blockHash, e);
        }
    }

    public Optional<BlockIndexRecord> getBlockIndex(Hash256 blockHash) throws StorageException {
        byte[] v = get(Column.BLOCK_INDEX, blockHash.bytes());
        return v == null ? Optional.empty() : Optional.of(decodeIndex(blockHash.bytes(), v));
    }

    /** The block whose state the UTXO column family holds; empty for a new database. */
    public Optional<Hash256> getBestBlock() throws StorageException {
        return decodeBest(get(Column.META, META_BEST_BLOCK));
    }

    public Optional<TxLocation> getTxLocation(Hash256 txid) throws StorageException {
        byte[] v = get(Column.TXINDEX, txid.bytes());
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TxLocation.decode(v));
        } catch (DecodeException e) {
            throw corrupt("txindex entry of " + txid, e);
        }
    }

    /** Opaque BIP158 filter bytes stored for a block (the index itself lives elsewhere). */
    public Optional<byte[]> getBlockFilter(Hash256 blockHash) throws StorageException {
        return Optional.ofNullable(get(Column.BLOCK_FILTER, blockHash.bytes()));
    }

    /**
     * The block an optional index (e.g. {@code "blockfilter/basic"}) has processed up to, written by
     * the index with its own entries; empty before its first block.
     */
    public Optional<Hash256> getIndexBestBlock(String index) throws StorageException {
        return decodeBest(get(Column.META, indexBestKey(index)));
    }

    /** Visits every block index record (for loading the block index at start-up), in key order. */
    public void forEachBlockIndex(RecordVisitor<BlockIndexRecord> visitor) throws StorageException {
        lock.readLock().lock();
        try {
            ensureOpen();
            try (ReadOptions ro = new ReadOptions().setFillCache(false);
                 RocksIterator it = db.newIterator(handles.get(Column.BLOCK_INDEX), ro)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    visitor.accept(decodeIndex(it.key(), it.value()));
                }
                checkIterator(it);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<BlockIndexRecord> loadBlockIndex() throws StorageException {
        List<BlockIndexRecord> out = new ArrayList<>();
        forEachBlockIndex(out::add);
        return out;
    }

    /**
     * A consistent view of the UTXO set and best block as of now; later commits do not change it.
     * Close it when done (it pins files on disk).
     */
    public UtxoSnapshot utxoSnapshot() throws StorageException {
        lock.readLock().lock();
        try {
            ensureOpen();
            UtxoSnapshot s = new UtxoSnapshot(this, db, db.getSnapshot());
            openSnapshots.add(s);
            return s;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes the UTXO column family takes on disk and in memtables (Core's nDiskSize estimate). */
    public long estimateUtxoSize() throws StorageException {
        lock.readLock().lock();
        try {
            ensureOpen();
            ColumnFamilyHandle h = handles.get(Column.UTXO);
            return db.getLongProperty(h, "rocksdb.total-sst-files-size")
                    + db.getLongProperty(h, "rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            throw failure("estimate UTXO size", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * RocksDB's native memory in bytes (outside the Java heap): memtables of every column family
     * (active, immutable and flushed ones still pinned), the shared block cache, and the readers of
     * the open SST files (indexes and filters not in the cache).
     */
    public record MemoryUsage(long memtables, long blockCache, long tableReaders) {
        public long total() {
            return memtables + blockCache + tableReaders;
        }
    }

    /** What RocksDB holds in native memory now (for benchmarks and diagnostics). */
    public MemoryUsage memoryUsage() throws StorageException {
        lock.readLock().lock();
        try {
            ensureOpen();
            long memtables = 0;
            long readers = 0;
            for (ColumnFamilyHandle h : allHandles) {
                memtables += db.getLongProperty(h, "rocksdb.size-all-mem-tables");
                readers += db.getLongProperty(h, "rocksdb.estimate-table-readers-mem");
            }
            long cache = db.getLongProperty(handles.get(Column.UTXO), "rocksdb.block-cache-usage");
            return new MemoryUsage(memtables, cache, readers);
        } catch (RocksDBException e) {
            throw failure("read memory usage", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- writes ------------------------------------------------------------------------------

    /** A new atomic batch; nothing is visible until {@link Batch#commit(boolean)}. */
    public Batch batch() {
        return new Batch();
    }

    /**
     * Writes memtables of every column family to SST files (atomically, so all families reflect
     * the same point), then returns. Not needed for crash safety (the WAL covers that); it
     * shortens recovery and lets the WAL be recycled.
     */
    public void flush() throws StorageException {
        lock.readLock().lock();
        try {
            ensureOpen();
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
                db.flush(fo, allHandles);
            }
        } catch (RocksDBException e) {
            throw failure("flush", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Forces the write-ahead log to stable storage: makes every earlier non-sync commit durable. */
    public void syncWal() throws StorageException {
        lock.readLock().lock();
        try {
            ensureOpen();
            db.syncWal();
        } catch (RocksDBException e) {
            throw failure("sync WAL", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (UtxoSnapshot s : List.copyOf(openSnapshots)) {
                s.closeInternal();
            }
            openSnapshots.clear();
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                LOG.warn("Syncing the write-ahead log of {} on close failed: {}", dir, e.getMessage());
            }
            for (ColumnFamilyHandle h : allHandles) {
                h.close();
            }
            db.close();
            closeAll(resources);
            LOG.debug("Closed chain database at {}", dir);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** An operation on one decoded record that may itself fail. */
    @FunctionalInterface
    public interface RecordVisitor<T> {
        void accept(T record) throws StorageException;
    }

    /**
     * An atomic set of changes across column families, applied by {@link #commit(boolean)} as one
     * RocksDB write. Not thread-safe; single use.
     */
    public final class Batch implements AutoCloseable {
        private final WriteBatch wb = new WriteBatch();
        private boolean done;

        private Batch() {
        }

        public Batch putCoin(OutPoint outPoint, Coin coin) throws StorageException {
            return put(Column.UTXO, UtxoKey.encode(outPoint), CoinCodec.encode(coin));
        }

        public Batch deleteCoin(OutPoint outPoint) throws StorageException {
            return delete(Column.UTXO, UtxoKey.encode(outPoint));
        }

        public Batch putBlockIndex(BlockIndexRecord record) throws StorageException {
            return put(Column.BLOCK_INDEX, record.hash().bytes(), record.encode());
        }

        public Batch putBlock(Hash256 blockHash, byte[] rawBlock) throws StorageException {
            return put(Column.BLOCKS, blockHash.bytes(), rawBlock);
        }

        public Batch putUndo(Hash256 blockHash, BlockUndo undo) throws StorageException {
            return putUndo(blockHash, undo.encode());
        }

        /** The undo data already encoded with {@link BlockUndo#encode()} (when the caller needs its size too). */
        public Batch putUndo(Hash256 blockHash, byte[] encodedUndo) throws StorageException {
            return put(Column.UNDO, blockHash.bytes(), encodedUndo);
        }

        /** For pruning: the caller also clears HAVE_DATA in the block's index record. */
        public Batch deleteBlock(Hash256 blockHash) throws StorageException {
            return delete(Column.BLOCKS, blockHash.bytes());
        }

        /** For pruning: the caller also clears HAVE_UNDO in the block's index record. */
        public Batch deleteUndo(Hash256 blockHash) throws StorageException {
            return delete(Column.UNDO, blockHash.bytes());
        }

        public Batch putTxIndex(Hash256 txid, TxLocation location) throws StorageException {
            return put(Column.TXINDEX, txid.bytes(), location.encode());
        }

        public Batch deleteTxIndex(Hash256 txid) throws StorageException {
            return delete(Column.TXINDEX, txid.bytes());
        }

        public Batch putBlockFilter(Hash256 blockHash, byte[] filter) throws StorageException {
            return put(Column.BLOCK_FILTER, blockHash.bytes(), filter);
        }

        /** Moves an optional index's own best-block marker (see {@link ChainDb#getIndexBestBlock}). */
        public Batch setIndexBestBlock(String index, Hash256 blockHash) throws StorageException {
            return put(Column.META, indexBestKey(index), blockHash.bytes());
        }

        /** Names the block whose state the UTXO changes of this batch complete. */
        public Batch setBestBlock(Hash256 blockHash) throws StorageException {
            return put(Column.META, META_BEST_BLOCK, blockHash.bytes());
        }

        public int count() {
            return wb.count();
        }

        /** Bytes the batch holds in memory (keys, values and framing): what a commit will write to the WAL. */
        public long byteSize() {
            return wb.getDataSize();
        }

        /**
         * Applies every change at once. With {@code sync} the write-ahead log is fsynced before
         * this returns (survives power loss); without it the write survives a process crash or
         * kill -9 but a power cut may drop it (never half of it).
         */
        public void commit(boolean sync) throws StorageException {
            checkUsable();
            lock.readLock().lock();
            try {
                ensureOpen();
                try (WriteOptions wo = new WriteOptions().setSync(sync)) {
                    db.write(wo, wb);
                }
            } catch (RocksDBException e) {
                throw failure("commit batch of " + wb.count() + " changes", e);
            } finally {
                lock.readLock().unlock();
                done = true;
                wb.close();
            }
        }

        /** Discards the batch if it was not committed. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                wb.close();
            }
        }

        private Batch put(Column c, byte[] key, byte[] value) throws StorageException {
            checkUsable();
            // The column family handle must not be closed under us by ChainDb.close().
            lock.readLock().lock();
            try {
                ensureOpen();
                wb.put(handles.get(c), key, value);
            } catch (RocksDBException e) {
                throw failure("add to batch", e);
            } finally {
                lock.readLock().unlock();
            }
            return this;
        }

        private Batch delete(Column c, byte[] key) throws StorageException {
            checkUsable();
            lock.readLock().lock();
            try {
                ensureOpen();
                wb.delete(handles.get(c), key);
            } catch (RocksDBException e) {
                throw failure("add to batch", e);
            } finally {
                lock.readLock().unlock();
            }
            return this;
        }

        private void checkUsable() throws StorageException {
            if (done) {
                throw new StorageException("batch already committed or closed");
            }
        }
    }

    // ---- internals ---------------------------------------------------------------------------

    private byte[] get(Column c, byte[] key) throws StorageException {
        lock.readLock().lock();
        try {
            ensureOpen();
            return db.get(handles.get(c), key);
        } catch (RocksDBException e) {
            throw failure("read " + c.cfName(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    void ensureOpen() throws StorageException {
        if (closed) {
            throw new StorageException("database at " + dir + " is closed");
        }
    }

    ReentrantReadWriteLock lock() {
        return lock;
    }

    ColumnFamilyHandle handle(Column c) {
        return handles.get(c);
    }

    void forgetSnapshot(UtxoSnapshot s) {
        openSnapshots.remove(s);
    }

    static byte[] metaBestBlockKey() {
        return META_BEST_BLOCK;
    }

    static Optional<Hash256> decodeBest(byte[] v) throws StorageException {
        if (v == null) {
            return Optional.empty();
        }
        if (v.length != Hash256.LENGTH) {
            throw new StorageException("corrupt best-block marker: " + v.length + " bytes");
        }
        return Optional.of(Hash256.wrap(v));
    }

    static Coin decodeCoin(byte[] value, OutPoint outPoint) throws StorageException {
        try {
            return CoinCodec.decode(value);
        } catch (DecodeException | IllegalArgumentException e) {
            throw new StorageException("corrupt coin record for " + outPoint + ": " + e.getMessage(), e);
        }
    }

    private static BlockIndexRecord decodeIndex(byte[] key, byte[] value) throws StorageException {
        BlockIndexRecord rec;
        try {
            rec = BlockIndexRecord.decode(value);
        } catch (DecodeException | IllegalArgumentException e) {
            throw new StorageException("corrupt block index record: " + e.getMessage(), e);
        }
        if (key.length != Hash256.LENGTH || !rec.hash().equals(Hash256.of(key))) {
            throw new StorageException("corrupt block index record: key does not match header hash "
                    + rec.hash());
        }
        return rec;
    }

    private StorageException corrupt(String what, Exception e) {
        return new StorageException("corrupt " + what + " in " + dir + ": " + e.getMessage(), e);
    }

    StorageException failure(String what, RocksDBException e) {
        return new StorageException("database at " + dir + ": cannot " + what + ": " + e.getMessage(), e);
    }

    static void checkIterator(RocksIterator it) throws StorageException {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("iteration failed: " + e.getMessage(), e);
        }
    }

    private void writeMeta() throws StorageException {
        byte[] version = new ByteWriter(4).writeI32LE(FORMAT_VERSION).toByteArray();
        try (WriteBatch wb = new WriteBatch(); WriteOptions wo = new WriteOptions().setSync(true)) {
            wb.put(handles.get(Column.META), META_VERSION, version);
            wb.put(handles.get(Column.META), META_NETWORK, ascii(network.id()));
            db.write(wo, wb);
        } catch (RocksDBException e) {
            throw failure("write database metadata", e);
        }
    }

    private void checkMeta() throws StorageException {
        byte[] v = get(Column.META, META_VERSION);
        if (v == null && get(Column.META, META_NETWORK) == null && get(Column.META, META_BEST_BLOCK) == null) {
            // Created by us, then stopped before the (single, synced) metadata write: finish it.
            LOG.info("Completing creation of chain database for {} at {}", network.id(), dir);
            writeMeta();
            v = get(Column.META, META_VERSION);
        }
        if (v == null || v.length != 4) {
            throw new StorageException("database at " + dir + " has no format version: not a complete "
                    + "jbitcoind chain database");
        }
        int version;
        try {
            version = new ByteReader(v).readI32LE();
        } catch (DecodeException e) {
            throw new StorageException("database at " + dir + ": unreadable format version", e);
        }
        if (version != FORMAT_VERSION) {
            String hint = version > FORMAT_VERSION
                    ? "it was written by a newer jbitcoind; upgrade, or use another data directory"
                    : "it was written by an older, unsupported jbitcoind; delete it and resynchronize";
            throw new StorageException("database at " + dir + " has format version " + version
                    + ", this jbitcoind supports only version " + FORMAT_VERSION + ": " + hint);
        }
        byte[] n = get(Column.META, META_NETWORK);
        String stored = n == null ? "(none)" : new String(n, StandardCharsets.UTF_8);
        if (!network.id().equals(stored)) {
            throw new StorageException("database at " + dir + " is for network " + stored + ", not "
                    + network.id());
        }
        for (Column c : Column.values()) {
            if (!handles.containsKey(c)) {
                throw new StorageException("database at " + dir + " lacks column family " + c.cfName());
            }
        }
    }

    private static List<String> listColumnFamilies(Path dir) throws StorageException {
        try (Options o = new Options()) {
            List<String> names = new ArrayList<>();
            for (byte[] n : RocksDB.listColumnFamilies(o, dir.toString())) {
                names.add(new String(n, StandardCharsets.UTF_8));
            }
            return names;
        } catch (RocksDBException e) {
            throw new StorageException("cannot read database at " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> requiredCfNames() {
        List<String> names = new ArrayList<>();
        names.add(DEFAULT_CF);
        for (Column c : Column.values()) {
            names.add(c.cfName());
        }
        return names;
    }

    /** Memtable ceiling of the blocks and undo families (large values bound for blob files). */
    static final long BLOB_FAMILY_WRITE_BUFFER_BYTES = 8 * ChainDbOptions.MIB;

    private static ColumnFamilyOptions columnOptions(String name, ChainDbOptions o, Cache cache, BloomFilter bloom) {
        ColumnFamilyOptions cfo = new ColumnFamilyOptions()
                .setWriteBufferSize(o.writeBufferBytes())
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setFormatVersion(5);
        if (name.equals(Column.UTXO.cfName()) || name.equals(Column.BLOCK_INDEX.cfName())
                || name.equals(Column.TXINDEX.cfName())) {
            // Point lookups dominate, and most UTXO lookups during validation are for coins that exist
            // in few files: a bloom filter saves the disk reads for the other files.
            table.setFilterPolicy(bloom).setWholeKeyFiltering(true);
        }
        if (name.equals(Column.BLOCKS.cfName()) || name.equals(Column.UNDO.cfName())) {
            // Large, write-once values: kept in blob files so compactions move only small references.
            // A memtable here only holds recent blocks in memory until they go to a blob file; they
            // are rarely read back soon (the chain state keeps recent blocks), so a small one saves
            // resident memory (a whole -loadblock file would otherwise sit in a 64 MiB memtable).
            cfo.setWriteBufferSize(Math.min(o.writeBufferBytes(), BLOB_FAMILY_WRITE_BUFFER_BYTES));
            cfo.setEnableBlobFiles(true)
                    .setMinBlobSize(o.minBlobBytes())
                    .setBlobFileSize(256 * ChainDbOptions.MIB)
                    .setBlobCompressionType(o.blobCompression() == ChainDbOptions.BlobCompression.LZ4
                            ? CompressionType.LZ4_COMPRESSION : CompressionType.NO_COMPRESSION)
                    .setEnableBlobGarbageCollection(true);
        }
        cfo.setTableFormatConfig(table);
        return cfo;
    }

    private static <T extends AbstractNativeReference> T track(List<AbstractNativeReference> list, T r) {
        list.add(r);
        return r;
    }

    private static void closeAll(List<AbstractNativeReference> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
    }

    private static byte[] indexBestKey(String index) {
        return ascii(META_INDEX_BEST_PREFIX + index);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
