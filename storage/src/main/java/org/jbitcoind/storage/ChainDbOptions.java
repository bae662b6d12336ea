package org.jbitcoind.storage;

/**
 * Tuning of the chain database; {@link #defaults()} suits a full node. See docs/storage.md.
 *
 * @param blockCacheBytes   LRU cache shared by every column family (index and filter blocks included)
 * @param writeBufferBytes  memtable size per column family before it is flushed to an SST file
 * @param minBlobBytes      values of the blocks and undo families at least this large go to blob files
 * @param blobCompression   compression of blob files (blocks are mostly hashes and signatures)
 * @param maxBackgroundJobs RocksDB flush and compaction threads
 * @param maxOpenFiles      SST and blob files RocksDB keeps open at once (its max_open_files, the size of
 *                          its table cache); RocksDB's own default, unbounded, would take one descriptor
 *                          per file, thousands on mainnet
 */
public record ChainDbOptions(long blockCacheBytes, long writeBufferBytes, long minBlobBytes,
                             BlobCompression blobCompression, int maxBackgroundJobs, int maxOpenFiles) {
    /** Compression of the blob files that hold blocks and undo data. */
    public enum BlobCompression { NONE, LZ4 }

    public static final long MIB = 1024L * 1024;
    /** Default {@link #maxOpenFiles}: the hot SST files of the UTXO set and block index fit with room to spare. */
    public static final int DEFAULT_MAX_OPEN_FILES = 512;
    /**
     * Descriptors RocksDB holds beside its table cache: write-ahead log, MANIFEST, LOG, LOCK,
     * CURRENT, directory handles, and the output files of running flushes and compactions.
     */
    public static final int OWN_FILES = 32;

    public ChainDbOptions {
        java.util.Objects.requireNonNull(blobCompression, "blobCompression");
        if (blockCacheBytes < 0 || writeBufferBytes < 64 * 1024 || minBlobBytes < 0 || maxBackgroundJobs < 1
                || maxOpenFiles < 16) {
            throw new IllegalArgumentException("bad chain database options");
        }
    }

    public static ChainDbOptions defaults() {
        return new ChainDbOptions(256 * MIB, 64 * MIB, 4096, BlobCompression.LZ4, 2, DEFAULT_MAX_OPEN_FILES);
    }

    /** File descriptors the database may hold at most: the table cache and RocksDB's own files. */
    public int fileDescriptors() {
        return maxOpenFiles + OWN_FILES;
    }

    public ChainDbOptions withMaxOpenFiles(int files) {
        return new ChainDbOptions(blockCacheBytes, writeBufferBytes, minBlobBytes, blobCompression, maxBackgroundJobs,
                files);
    }

    public ChainDbOptions withBlockCacheBytes(long bytes) {
        return new ChainDbOptions(bytes, writeBufferBytes, minBlobBytes, blobCompression, maxBackgroundJobs,
                maxOpenFiles);
    }

    public ChainDbOptions withWriteBufferBytes(long bytes) {
        return new ChainDbOptions(blockCacheBytes, bytes, minBlobBytes, blobCompression, maxBackgroundJobs,
                maxOpenFiles);
    }

    public ChainDbOptions withBlobCompression(BlobCompression c) {
        return new ChainDbOptions(blockCacheBytes, writeBufferBytes, minBlobBytes, c, maxBackgroundJobs,
                maxOpenFiles);
    }

    public ChainDbOptions withMinBlobBytes(long bytes) {
        return new ChainDbOptions(blockCacheBytes, writeBufferBytes, bytes, blobCompression, maxBackgroundJobs,
                maxOpenFiles);
    }
}
