package org.jbitcoind.storage;

/**
 * Tuning of the chain database; {@link #defaults()} suits a full node. See docs/storage.md.
 *
 * @param blockCacheBytes   LRU cache shared by every column family (index and filter blocks included)
 * @param writeBufferBytes  memtable size per column family before it is flushed to an SST file
 * @param minBlobBytes      values of the blocks and undo families at least this large go to blob files
 * @param blobCompression   compression of blob files (blocks are mostly hashes and signatures)
 * @param maxBackgroundJobs RocksDB flush and compaction threads
 */
public record ChainDbOptions(long blockCacheBytes, long writeBufferBytes, long minBlobBytes,
                             BlobCompression blobCompression, int maxBackgroundJobs) {
    /** Compression of the blob files that hold blocks and undo data. */
    public enum BlobCompression { NONE, LZ4 }

    public static final long MIB = 1024L * 1024;

    public ChainDbOptions {
        java.util.Objects.requireNonNull(blobCompression, "blobCompression");
        if (blockCacheBytes < 0 || writeBufferBytes < 64 * 1024 || minBlobBytes < 0 || maxBackgroundJobs < 1) {
            throw new IllegalArgumentException("bad chain database options");
        }
    }

    public static ChainDbOptions defaults() {
        return new ChainDbOptions(256 * MIB, 64 * MIB, 4096, BlobCompression.LZ4, 2);
    }

    public ChainDbOptions withBlockCacheBytes(long bytes) {
        return new ChainDbOptions(bytes, writeBufferBytes, minBlobBytes, blobCompression, maxBackgroundJobs);
    }

    public ChainDbOptions withWriteBufferBytes(long bytes) {
        return new ChainDbOptions(blockCacheBytes, bytes, minBlobBytes, blobCompression, maxBackgroundJobs);
    }

    public ChainDbOptions withBlobCompression(BlobCompression c) {
        return new ChainDbOptions(blockCacheBytes, writeBufferBytes, minBlobBytes, c, maxBackgroundJobs);
    }

    public ChainDbOptions withMinBlobBytes(long bytes) {
        return new ChainDbOptions(blockCacheBytes, writeBufferBytes, bytes, blobCompression, maxBackgroundJobs);
    }
}
