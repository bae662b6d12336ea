package org.jbitcoind.chain.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.validation.ScriptCheckQueue;
import org.jbitcoind.chain.validation.ScriptExecutionCache;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.BlockStatus;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.StorageException;
import org.jbitcoind.storage.TxLocation;
import org.jbitcoind.storage.UtxoSnapshot;
import org.jbitcoind.storage.UtxoStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's chain state, as the rest of the node sees it (Core's ChainstateManager): the entry
 * point for headers and blocks from peers, the importer and RPC, and the read side for everyone.
 *
 * <p>Threading: one thread, "chain", owns every change: headers, blocks, reorganisations, the UTXO
 * cache, flushes and pruning. The mutating methods below hand their work to it and wait (or, for
 * {@link #submitBlock}, return a future); called from the chain thread itself (a listener) they run
 * directly. Script checks of a block run in parallel on the {@link ScriptCheckQueue} pool. The
 * read methods marked "any thread" do not wait for the chain thread: they read published snapshots
 * ({@link ChainView}, the block index map, the database).
 *
 * <p>If the database fails, the chain thread stops ({@link ChainstateFailure}) and every later call
 * fails with the same error; the node must shut down.
 */
public final class ChainstateManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainstateManager.class);
    /** How often the chain thread checks whether the periodic flush is due. */
    private static final long PERIODIC_CHECK_MILLIS = 10_000;

    private final ChainDb db;
    private final ChainstateOptions options;
    private final ScriptCheckQueue checkQueue;
    private final ScriptExecutionCache scriptCache = new ScriptExecutionCache();
    private final ScheduledThreadPoolExecutor chainThread;
    private final List<ChainListener> listeners = new CopyOnWriteArrayList<>();
    private final Chainstate state;
    private volatile Thread chainThreadRef;
    private volatile ChainstateFailure failure;
    private final List<Consumer<ChainstateFailure>> failureHandlers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** Blocks from {@link #submitBlock}, in order; one chain-thread task at a time drains them. */
    private final ConcurrentLinkedQueue<Submitted> incoming =
            new ConcurrentLinkedQueue<>();
    private final AtomicBoolean incomingScheduled =
            new AtomicBoolean();
    /** Callers waiting for a chain-thread task: the block stream steps aside for them. */
    private final AtomicInteger waitingCalls =
            new AtomicInteger();

    private ChainstateManager(ChainDb db, ChainstateOptions options) {
        this.db = db;
        this.options = options;
        this.checkQueue = new ScriptCheckQueue(new ScriptVerifier(), options.scriptThreads());
        this.chainThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chain");
            t.setDaemon(true);
            chainThreadRef = t;
            return t;
        });
        this.chainThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.state = new Chainstate(db, options, checkQueue, scriptCache, listeners);
    }

    /**
     * Opens (or creates) the chain database in {@code dir}, loads the block index, and brings the
     * UTXO set up to the best stored chain: after a crash this re-connects the blocks whose effect
     * was not flushed. With {@code reindexChainstate} the UTXO set is rebuilt from the stored blocks.
     */
    public static ChainstateManager open(Path dir, ChainstateOptions options, ChainDbOptions dbOptions,
            boolean reindexChainstate) throws StorageException {
        ChainDb db = ChainDb.open(dir, options.params().network(), dbOptions);
        ChainstateManager m;
        try {
            m = new ChainstateManager(db, options);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        try {
            m.call(() -> {
                m.state.load(reindexChainstate);
                m.state.activateBestChain();
                return null;
            });
        } catch (StorageException | RuntimeException e) {
            m.close();
            throw e;
        }
        m.chainThread.scheduleWithFixedDelay(m::periodicFlush, PERIODIC_CHECK_MILLIS, PERIODIC_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        return m;
    }

    /** {@link #open} with default RocksDB options and no reindex. */
    public static ChainstateManager open(Path dir, ChainstateOptions options) throws StorageException {
        return open(dir, options, ChainDbOptions.defaults(), false);
    }

    public ChainParams params() {
        return options.params();
    }

    public ChainstateOptions options() {
        return options;
    }

    // ---- mutations (run on the chain thread) ------------------------------------------------

    /**
     * Adds headers to the block index (Core's ProcessNewBlockHeaders): each must have valid proof of
     * work, a known parent that is not invalid, and fit its parent (difficulty, time, version).
     */
    public HeadersResult processNewBlockHeaders(List<BlockHeader> headers) {
        List<BlockHeader> copy = List.copyOf(headers);
        return callUnchecked(() -> state.processHeaders(copy));
    }

    /**
     * Validates a block fully and, if it leads to the chain with the most work, connects it (and
     * everything that now can be), reorganising if needed (Core's ProcessNewBlock).
     */
    public BlockProcessResult processNewBlock(Block block) {
        return processNewBlock(block, true);
    }

    /**
     * {@link #processNewBlock(Block)} for blocks from peers: {@code requested} is false for a block
     * the peer sent unasked, which is then stored only if it could soon be the tip (at least the
     * tip's work, at most 288 blocks ahead); see {@link BlockProcessResult.Status#NOT_STORED}.
     */
    public BlockProcessResult processNewBlock(Block block, boolean requested) {
        Objects.requireNonNull(block, "block");
        return callUnchecked(() -> state.processBlock(block, requested));
    }

    /**
     * {@link #processNewBlock} without waiting: for the importer and the sync manager, to overlap
     * parsing with validation. The context-free block checks and the serialization to store run
     * here, on the caller's thread (as Core's ProcessNewBlock runs CheckBlock before it takes
     * cs_main), so that the chain thread, which every block must pass through, does less.
     */
    public CompletableFuture<BlockProcessResult> submitBlock(Block block) {
        return submitBlock(block, null);
    }

    /**
     * {@link #submitBlock(Block)} for a block decoded from {@code serialized}, all of it (as
     * {@link Block#deserialize} requires): those bytes are stored as they are, saving the
     * serialization; null serializes the block.
     */
    public CompletableFuture<BlockProcessResult> submitBlock(Block block, byte[] serialized) {
        Objects.requireNonNull(block, "block");
        PreparedBlock prepared = PreparedBlock.prepare(block, serialized, options.params(), checkQueue.verifier());
        CompletableFuture<BlockProcessResult> f = new CompletableFuture<>();
        incoming.add(new Submitted(prepared, f));
        scheduleIncoming();
        return f;
    }

    /** A block handed to {@link #submitBlock} and not yet taken by the chain thread. */
    private record Submitted(PreparedBlock prepared, CompletableFuture<BlockProcessResult> result) {
    }

    private void scheduleIncoming() {
        if (!incomingScheduled.compareAndSet(false, true)) {
            return; // a task already on its way takes this block too
        }
        try {
            chainThread.execute(this::processIncoming);
        } catch (RejectedExecutionException e) {
            incomingScheduled.set(false);
            Submitted s;
            while ((s = incoming.poll()) != null) {
                s.result().completeExceptionally(new ChainstateFailure("chain state is closed"));
            }
        }
    }

    /**
     * On the chain thread: processes the submitted blocks in order, each block's script checks
     * overlapping the next block's serial work (Chainstate's import pipeline), until none is left
     * or another caller waits for the chain thread; nothing is left pending when it returns.
     */
    private void processIncoming() {
        incomingScheduled.set(false);
        Submitted s;
        while (waitingCalls.get() == 0 && (s = incoming.poll()) != null) {
            try {
                checkUsable();
                state.processBlockInPipeline(s.prepared(), s.result());
            } catch (Throwable e) {
                ChainstateFailure cf = e instanceof ChainstateFailure c ? fail(c) : fatal(e);
                s.result().completeExceptionally(cf);
                state.abandonPending(cf);
            }
        }
        try {
            if (failure == null) {
                state.settlePending();
            }
        } catch (Throwable e) {
            fatal(e);
        } finally {
            state.abandonPending(failure != null ? failure : new ChainstateFailure("block not settled"));
        }
        if (!incoming.isEmpty()) {
            scheduleIncoming();
        }
    }

    /** Marks the block invalid and moves the active chain off it (RPC invalidateblock). */
    public void invalidateBlock(Hash256 hash) throws UnknownBlockException {
        BlockIndex index = require(hash);
        callUnchecked(() -> {
            state.invalidateBlock(index);
            return null;
        });
    }

    /** Removes invalidity from the block, its ancestors and descendants, and re-activates the best chain (RPC reconsiderblock). */
    public void reconsiderBlock(Hash256 hash) throws UnknownBlockException {
        BlockIndex index = require(hash);
        callUnchecked(() -> {
            state.reconsiderBlock(index);
            return null;
        });
    }

    /** Treats the block as if received before competing blocks of equal work (RPC preciousblock). */
    public void preciousBlock(Hash256 hash) throws UnknownBlockException {
        BlockIndex index = require(hash);
        callUnchecked(() -> {
            state.preciousBlock(index);
            return null;
        });
    }

    /**
     * Deletes stored blocks and undo data up to {@code height}, keeping the last 288 blocks (RPC
     * pruneblockchain); needs -prune. Returns the height of the last block pruned, -1 if none.
     */
    public int pruneBlockchain(int height) {
        if (!options.pruneEnabled()) {
            throw new IllegalStateException("Cannot prune blocks because node is not in prune mode.");
        }
        return callUnchecked(() -> {
            state.flushStateToDisk(Chainstate.FlushMode.ALWAYS);
            return state.pruneBelow(height, false);
        });
    }

    /** Writes the UTXO cache and changed index records to the database, fsynced. */
    public void flush() {
        callUnchecked(() -> {
            state.flushStateToDisk(Chainstate.FlushMode.ALWAYS);
            return null;
        });
    }

    /** Marks the node as importing (-loadblock, reindex): it is then in initial block download. */
    public void setImporting(boolean importing) {
        state.setImporting(importing);
    }

    /** The importer's progress through its current file (0 to 1), shown in the progress log. Any thread. */
    public void reportImportProgress(double fraction) {
        state.reportImportProgress(fraction);
    }

    /**
     * Transactions whose scripts passed under given flags (Core's script execution cache): the
     * mempool records those it accepted under the next block's flags, and connecting a block skips
     * their script checks. Any thread.
     */
    public ScriptExecutionCache scriptExecutionCache() {
        return scriptCache;
    }

    /**
     * The unspent coins at {@code outpoints} (absent ones left out) and the tip they are the state
     * of, read together in one call on the chain thread: mempool acceptance reads a transaction's
     * inputs this way rather than one round trip per input.
     */
    public CoinsView.Read getCoins(List<OutPoint> outpoints) {
        List<OutPoint> copy = List.copyOf(outpoints);
        return callUnchecked(() -> state.getCoins(copy));
    }

    /** The unspent coin at {@code outpoint} in the current tip's UTXO set, through the cache. */
    public Optional<Coin> getCoin(OutPoint outpoint) {
        return callUnchecked(() -> state.getCoin(outpoint));
    }

    /**
     * gettxoutsetinfo: flushes the cache, then computes the statistics over a database snapshot
     * taken at that moment; the computation runs on the caller's thread, so the chain keeps moving.
     */
    public UtxoStats utxoStats(UtxoStats.HashType hashType) throws StorageException {
        UtxoSnapshot snapshot = callUnchecked(() -> {
            state.flushStateToDisk(Chainstate.FlushMode.ALWAYS);
            return db.utxoSnapshot();
        });
        try (snapshot) {
            return UtxoStats.compute(snapshot, hashType, db.estimateUtxoSize());
        }
    }

    /**
     * RPC verifychain: checks the last {@code depth} blocks at {@code level} 0-4 (Core's meanings)
     * without changing anything; returns the first problem, or empty when all is well.
     */
    public Optional<String> verifyChain(int level, int depth) {
        if (level < 0 || level > 4 || depth < 0) {
            throw new IllegalArgumentException("verifychain level must be 0-4 and depth non-negative");
        }
        return callUnchecked(() -> state.verifyChain(level, depth));
    }

    /** Every leaf of the block tree and the active tip (RPC getchaintips). */
    public List<ChainTip> chainTips() {
        return callUnchecked(state::chainTips);
    }

    // ---- reads (any thread) ------------------------------------------------------------------

    /** The active chain as of now; it does not change afterwards. Any thread. */
    public ChainView activeChain() {
        return state.activeView();
    }

    /**
     * Connect times and UTXO cache size for monitoring (the node's metrics); values change as the
     * chain moves. Any thread.
     */
    public ChainstateStats stats() {
        return state.stats();
    }

    /** The valid header with the most work (Core's m_best_header); null before genesis. Any thread. */
    public BlockIndex bestHeader() {
        return state.tree.bestHeader();
    }

    /** Any thread. */
    public Optional<BlockIndex> getBlockIndex(Hash256 hash) {
        return state.tree.get(hash);
    }

    /** The active chain's block at {@code height}. Any thread. */
    public Optional<BlockIndex> getBlockIndex(int height) {
        return Optional.ofNullable(activeChain().get(height));
    }

    /** Locator of the active tip. Any thread. */
    public List<Hash256> locator() {
        return activeChain().locator();
    }

    /**
     * The last block of the active chain that the locator names (Core's FindForkInGlobalIndex):
     * where a peer's chain leaves ours; genesis when nothing matches. Any thread.
     */
    public BlockIndex findFork(List<Hash256> locator) {
        ChainView chain = activeChain();
        for (Hash256 h : locator) {
            BlockIndex b = state.tree.getOrNull(h);
            if (b != null) {
                if (chain.contains(b)) {
                    return b;
                }
                if (b.getAncestor(chain.height()) == chain.tip()) {
                    return chain.tip();
                }
            }
        }
        return chain.genesis();
    }

    /**
     * What a getheaders request is answered with (Core's ProcessGetHeaders): headers of the active
     * chain after the fork point the locator gives, up to {@code max} (2,000 on the wire) or up to
     * and including {@code stop} (zero: no stop). An empty locator means "just {@code stop}", if it
     * is known. Any thread.
     */
    public List<BlockHeader> headersAfter(List<Hash256> locator, Hash256 stop, int max) {
        List<BlockHeader> out = new ArrayList<>();
        if (locator.isEmpty()) {
            getBlockIndex(stop).ifPresent(b -> out.add(b.header()));
            return out;
        }
        ChainView chain = activeChain();
        BlockIndex fork = findFork(locator);
        for (BlockIndex b = fork == null ? null : chain.next(fork); b != null && out.size() < max; b = chain.next(b)) {
            out.add(b.header());
            if (b.hash().equals(stop)) {
                break;
            }
        }
        return out;
    }

    /** A stored block; empty if unknown, not downloaded, or pruned. Any thread. */
    public Optional<Block> getBlock(Hash256 hash) {
        try {
            Optional<byte[]> raw = db.getBlock(hash);
            return raw.isEmpty() ? Optional.empty() : Optional.of(Block.deserialize(raw.get()));
        } catch (StorageException | DecodeException e) {
            throw new ChainstateFailure("reading block " + hash + " failed: " + e.getMessage(), e);
        }
    }

    /** A stored block exactly as serialized (for serving peers without re-encoding). Any thread. */
    public Optional<byte[]> getRawBlock(Hash256 hash) {
        try {
            return db.getBlock(hash);
        } catch (StorageException e) {
            throw new ChainstateFailure("reading block " + hash + " failed: " + e.getMessage(), e);
        }
    }

    /** Undo data of a connected block; empty if unknown or pruned. Any thread. */
    public Optional<BlockUndo> getUndo(Hash256 hash) {
        try {
            return db.getUndo(hash);
        } catch (StorageException e) {
            throw new ChainstateFailure("reading undo data of " + hash + " failed: " + e.getMessage(), e);
        }
    }

    /** A transaction found through -txindex, with the block that holds it. Any thread. */
    public record IndexedTransaction(Transaction transaction, Hash256 blockHash) {
    }

    /** Looks a transaction up in -txindex; empty when not indexed (or -txindex is off). Any thread. */
    public Optional<IndexedTransaction> getTransaction(Hash256 txid) {
        try {
            Optional<TxLocation> loc = db.getTxLocation(txid);
            if (loc.isEmpty()) {
                return Optional.empty();
            }
            Optional<byte[]> raw = db.getBlock(loc.get().blockHash());
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            byte[] slice = Arrays.copyOfRange(raw.get(), loc.get().offset(),
                    loc.get().offset() + loc.get().length());
            return Optional.of(new IndexedTransaction(Transaction.deserialize(slice), loc.get().blockHash()));
        } catch (StorageException | DecodeException | ArrayIndexOutOfBoundsException e) {
            throw new ChainstateFailure("reading transaction " + txid + " failed: " + e.getMessage(), e);
        }
    }

    /** Core's IsInitialBlockDownload (latches to false). Any thread. */
    public boolean isInitialBlockDownload() {
        return state.isInitialBlockDownload();
    }

    /** Whether the block's data (block and undo) is stored: false after pruning. Any thread. */
    public boolean haveBlockData(BlockIndex index) {
        return BlockStatus.has(index.status(), BlockStatus.HAVE_DATA);
    }

    public void addListener(ChainListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(ChainListener listener) {
        listeners.remove(listener);
    }

    /** The database (for indexes living next to the chain state, e.g. block filters). */
    public ChainDb database() {
        return db;
    }

    /**
     * Flushes (fsynced), stops the chain thread and the script workers, and closes the database.
     * Work queued before the call still runs (a long catch-up stops at the next block), so every
     * future handed out completes; later calls fail with {@link ChainstateFailure}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state.requestStop();
        Future<?> finalFlush = null;
        if (failure == null) {
            try {
                finalFlush = chainThread.submit(() -> {
                    state.flushStateToDisk(Chainstate.FlushMode.ALWAYS);
                    return null;
                });
            } catch (RejectedExecutionException e) {
                LOG.warn("Chain thread already stopped; no final flush");
            }
        }
        chainThread.shutdown();
        if (finalFlush != null) {
            try {
                finalFlush.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.error("Final flush of the chain state failed: {}", e.getMessage());
            }
        }
        try {
            if (!chainThread.awaitTermination(30, TimeUnit.SECONDS)) {
                chainThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            chainThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        checkQueue.close();
        db.close();
    }

    /**
     * Stops without the final flush, as a crash would (the database keeps what was committed): lets
     * tests check recovery in-process. Not for production use.
     */
    void closeWithoutFlush() {
        if (closed) {
            return;
        }
        closed = true;
        chainThread.shutdownNow();
        try {
            chainThread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkQueue.close();
        db.close();
    }

    // ---- internals ---------------------------------------------------------------------------

    private BlockIndex require(Hash256 hash) throws UnknownBlockException {
        return state.tree.get(hash).orElseThrow(() -> new UnknownBlockException(hash));
    }

    private void periodicFlush() {
        if (failure != null) {
            return;
        }
        try {
            state.flushStateToDisk(Chainstate.FlushMode.PERIODIC);
        } catch (Throwable e) {
            fatal(e);
        }
    }

    /** A task that may throw StorageException. */
    @FunctionalInterface
    private interface ChainTask<T> {
        T run() throws StorageException;
    }

    private <T> T callUnchecked(ChainTask<T> task) {
        try {
            return call(task);
        } catch (StorageException e) {
            throw fail(new ChainstateFailure(e.getMessage(), e));
        }
    }

    private <T> T call(ChainTask<T> task) throws StorageException {
        checkUsable();
        if (Thread.currentThread() == chainThreadRef) {
            return runGuarded(task);
        }
        Callable<T> c = () -> {
            waitingCalls.decrementAndGet();
            return runGuarded(task);
        };
        Future<T> f;
        waitingCalls.incrementAndGet();
        try {
            f = chainThread.submit(c);
        } catch (RejectedExecutionException e) {
            waitingCalls.decrementAndGet();
            throw new ChainstateFailure("chain state is closed");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainstateFailure("interrupted while waiting for the chain thread", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StorageException se) {
                throw se;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new ChainstateFailure(cause.getMessage(), cause);
        }
    }

    private <T> T runGuarded(ChainTask<T> task) throws StorageException {
        checkUsable();
        try {
            return task.run();
        } catch (StorageException e) {
            throw fail(new ChainstateFailure(e.getMessage(), e));
        } catch (ChainstateFailure e) {
            throw fail(e);
        }
    }

    private ChainstateFailure fatal(Throwable e) {
        return fail(e instanceof ChainstateFailure cf ? cf : new ChainstateFailure(String.valueOf(e.getMessage()), e));
    }

    private ChainstateFailure fail(ChainstateFailure error) {
        ChainstateFailure e = DiskSpace.describe(error, db.path());
        boolean first;
        synchronized (failureHandlers) {
            first = failure == null;
            if (first) {
                failure = e;
            }
        }
        if (first) {
            if (DiskSpace.isOutOfSpace(e)) {
                // An operator's problem, not a bug: one line that says what to do, no stack trace.
                LOG.error("Fatal chain state error, no further blocks are processed: {}", e.getMessage());
            } else {
                LOG.error("Fatal chain state error, no further blocks are processed: {}", e.getMessage(), e);
            }
            for (Consumer<ChainstateFailure> h : failureHandlers) {
                h.accept(e);
            }
        }
        return e;
    }

    /**
     * Calls {@code handler} (once, on the failing thread) when the chain state stops on a fatal
     * error, or at once if it already has: the daemon shuts down on it (Core's AbortNode).
     */
    public void onFailure(Consumer<ChainstateFailure> handler) {
        ChainstateFailure f;
        synchronized (failureHandlers) {
            failureHandlers.add(handler);
            f = failure;
        }
        if (f != null) {
            handler.accept(f);
        }
    }

    private void checkUsable() {
        ChainstateFailure f = failure;
        if (f != null) {
            throw new ChainstateFailure("chain state stopped after an earlier error: " + f.getMessage(), f);
        }
        if (closed && Thread.currentThread() != chainThreadRef) {
            throw new ChainstateFailure("chain state is closed");
        }
    }
}
