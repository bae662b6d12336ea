package org.jbitcoind.chain.state;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.protocol.crypto.Hash256;

/**
 * How the chain state runs; built from the daemon settings (-dbcache, -prune, -txindex, -maxtipage,
 * -assumevalid, -minimumchainwork) or by tests.
 *
 * @param coinsCacheBytes     budget of the in-memory UTXO cache; exceeding it flushes (the share of -dbcache not given to RocksDB)
 * @param pruneTargetBytes    0: keep all blocks; {@link #PRUNE_MANUAL}: prune only on request; else the size to keep blocks and undo data under
 * @param txIndex             keep txid to block location (-txindex)
 * @param assumeValid         skip script checks for ancestors of this block (-assumevalid); empty checks everything
 * @param minimumChainWork    below this the node is in initial download and assumevalid does not apply
 * @param periodicFlushMillis flush the UTXO cache (fsynced) at least this often
 * @param scriptThreads       threads verifying scripts, the chain thread included (Core's -par: par - 1 pool workers)
 * @param clock               seconds since the epoch (block time checks, IBD)
 * @param maxTipAgeSeconds    a tip older than this (by the clock) keeps the node in initial block download (-maxtipage)
 */
public record ChainstateOptions(ChainParams params, long coinsCacheBytes, long pruneTargetBytes, boolean txIndex,
                                Optional<Hash256> assumeValid, BigInteger minimumChainWork,
                                long periodicFlushMillis, int scriptThreads, LongSupplier clock,
                                long maxTipAgeSeconds) {
    public static final long MIB = 1024L * 1024;
    /** Core's -dbcache default, MiB. */
    public static final long DEFAULT_DBCACHE_MIB = 450;
    /** -prune=1: pruning only when asked (pruneblockchain). */
    public static final long PRUNE_MANUAL = 1;
    /** Smallest automatic prune target (Core's MIN_DISK_SPACE_FOR_BLOCK_FILES), MiB. */
    public static final long MIN_PRUNE_TARGET_MIB = 550;
    /** Blocks below the tip that are never pruned, so a reorganisation this deep still works (Core's MIN_BLOCKS_TO_KEEP). */
    public static final int MIN_BLOCKS_TO_KEEP = 288;
    /** Core writes the chain state at least once an hour. */
    public static final long DEFAULT_PERIODIC_FLUSH_MILLIS = 60L * 60 * 1000;
    /** Core's DEFAULT_MAX_TIP_AGE: a tip older than a day means we are still catching up. */
    public static final long DEFAULT_MAX_TIP_AGE_SECONDS = 24L * 60 * 60;

    public ChainstateOptions {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(assumeValid, "assumeValid");
        Objects.requireNonNull(minimumChainWork, "minimumChainWork");
        Objects.requireNonNull(clock, "clock");
        if (coinsCacheBytes < 0 || pruneTargetBytes < 0 || periodicFlushMillis <= 0 || scriptThreads < 1
                || maxTipAgeSeconds < 0) {
            throw new IllegalArgumentException("invalid chain state options");
        }
    }

    /** The network's defaults: Core's assumed-valid block and minimum chain work, 450 MiB cache, no pruning. */
    public static ChainstateOptions defaults(ChainParams params) {
        Hash256 av = params.defaultAssumeValid();
        return new ChainstateOptions(params, coinsCacheForDbCache(DEFAULT_DBCACHE_MIB), 0, false,
                av.equals(Hash256.ZERO) ? Optional.empty() : Optional.of(av), params.minimumChainWork(),
                DEFAULT_PERIODIC_FLUSH_MILLIS, Math.max(1, Runtime.getRuntime().availableProcessors()),
                () -> System.currentTimeMillis() / 1000, DEFAULT_MAX_TIP_AGE_SECONDS);
    }

    /**
     * The share of -dbcache (MiB) that goes to the UTXO cache: RocksDB's block cache gets
     * {@link #rocksDbCacheForDbCache}, the rest is for coins, as Core splits its cache.
     */
    public static long coinsCacheForDbCache(long dbCacheMib) {
        return Math.max(0, dbCacheMib * MIB - rocksDbCacheForDbCache(dbCacheMib));
    }

    /**
     * RocksDB's block cache for a -dbcache (MiB): an eighth, at least 1 MiB (Core gives its LevelDB
     * a small share too), so that even -dbcache=4 leaves 3 MiB for coins.
     */
    public static long rocksDbCacheForDbCache(long dbCacheMib) {
        return Math.max(MIB, dbCacheMib * MIB / 8);
    }

    /**
     * RocksDB memtable size per column family for a -dbcache (MiB): a quarter, between 4 and 64 MiB,
     * so that a small -dbcache also bounds the database's write buffers (seven families).
     */
    public static long writeBufferForDbCache(long dbCacheMib) {
        return Math.max(4 * MIB, Math.min(64 * MIB, dbCacheMib * MIB / 4));
    }

    public ChainstateOptions withCoinsCacheBytes(long bytes) {
        return new ChainstateOptions(params, bytes, pruneTargetBytes, txIndex, assumeValid, minimumChainWork,
                periodicFlushMillis, scriptThreads, clock, maxTipAgeSeconds);
    }

    public ChainstateOptions withPruneTargetBytes(long bytes) {
        return new ChainstateOptions(params, coinsCacheBytes, bytes, txIndex, assumeValid, minimumChainWork,
                periodicFlushMillis, scriptThreads, clock, maxTipAgeSeconds);
    }

    public ChainstateOptions withTxIndex(boolean on) {
        return new ChainstateOptions(params, coinsCacheBytes, pruneTargetBytes, on, assumeValid, minimumChainWork,
                periodicFlushMillis, scriptThreads, clock, maxTipAgeSeconds);
    }

    public ChainstateOptions withAssumeValid(Optional<Hash256> hash) {
        return new ChainstateOptions(params, coinsCacheBytes, pruneTargetBytes, txIndex, hash, minimumChainWork,
                periodicFlushMillis, scriptThreads, clock, maxTipAgeSeconds);
    }

    public ChainstateOptions withMinimumChainWork(BigInteger work) {
        return new ChainstateOptions(params, coinsCacheBytes, pruneTargetBytes, txIndex, assumeValid, work,
                periodicFlushMillis, scriptThreads, clock, maxTipAgeSeconds);
    }

    public ChainstateOptions withPeriodicFlushMillis(long millis) {
        return new ChainstateOptions(params, coinsCacheBytes, pruneTargetBytes, txIndex, assumeValid, minimumChainWork,
                millis, scriptThreads, clock, maxTipAgeSeconds);
    }

    public ChainstateOptions withScriptThreads(int threads) {
        return new ChainstateOptions(params, coinsCacheBytes, pruneTargetBytes, txIndex, assumeValid, minimumChainWork,
                periodicFlushMillis, threads, clock, maxTipAgeSeconds);
    }

    public ChainstateOptions withClock(LongSupplier secondsClock) {
        return new ChainstateOptions(params, coinsCacheBytes, pruneTargetBytes, txIndex, assumeValid, minimumChainWork,
                periodicFlushMillis, scriptThreads, secondsClock, maxTipAgeSeconds);
    }

    /** Core's -maxtipage: how stale the tip may be before the node counts as still in initial download. */
    public ChainstateOptions withMaxTipAgeSeconds(long seconds) {
        return new ChainstateOptions(params, coinsCacheBytes, pruneTargetBytes, txIndex, assumeValid, minimumChainWork,
                periodicFlushMillis, scriptThreads, clock, seconds);
    }

    public boolean pruneEnabled() {
        return pruneTargetBytes != 0;
    }

    public boolean pruneAutomatic() {
        return pruneTargetBytes > PRUNE_MANUAL;
    }
}
