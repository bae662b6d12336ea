package org.jbitcoind.chain.filterindex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.ChainListener;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateFailure;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BIP157/158 basic block filter index (-blockfilterindex; Core's BlockFilterIndex and
 * BaseIndex). For every block of the active chain it stores a {@link FilterEntry} (filter, filter
 * hash, filter header chained from genesis) keyed by block hash, plus its own best-block marker in
 * the same write, so a restart resumes where it stopped and a crash loses nothing the marker
 * claims.
 *
 * <p>Threading: one thread of its own ("blockfilterindex") does all the work. The chain thread only
 * wakes it ({@link ChainListener} callbacks return at once), so the index never slows block
 * connection; it reads blocks and undo data from the database and walks the active chain toward
 * its tip, which makes catching up (index enabled on an existing chain, or behind after a crash)
 * and following new blocks the same loop. Queries run on any thread.
 *
 * <p>Reorganisations: entries are per block hash and a block's header depends only on its own
 * ancestors, so the entries of disconnected blocks stay valid; the index only moves its best
 * block back to the fork point and goes forward along the new active chain.
 */
public final class BlockFilterIndex implements ChainListener, FilterLookup, AutoCloseable {
    /** Name of the index's best-block marker in the database. */
    public static final String NAME = "blockfilter/basic";
    private static final Logger LOG = LoggerFactory.getLogger(BlockFilterIndex.class);
    /** The worker re-checks the active chain this often even without a wake-up. */
    private static final long IDLE_WAIT_MILLIS = 1_000;
    private static final long PROGRESS_LOG_MILLIS = 30_000;

    private final ChainstateManager chain;
    private final ChainDb db;
    private final Object lock = new Object();
    private final Thread worker;
    private boolean wakeUp;
    private volatile boolean stopping;
    private volatile BlockIndex best;
    private Hash256 bestHeader;
    private volatile String failure;
    private volatile long blocksIndexed;
    private volatile boolean caughtUp;
    private long lastProgressLog;

    private BlockFilterIndex(ChainstateManager chain, BlockIndex best, Hash256 bestHeader) {
        this.chain = chain;
        this.db = chain.database();
        this.best = best;
        this.bestHeader = bestHeader;
        this.worker = new Thread(this::run, "blockfilterindex");
        this.worker.setDaemon(true);
    }

    /**
     * Opens the index over {@code chain}: reads its best-block marker, subscribes to the chain and
     * starts the worker thread, which catches up with the active chain in the background.
     *
     * @throws StorageException when the marker or its entry cannot be read
     */
    public static BlockFilterIndex start(ChainstateManager chain) throws StorageException {
        BlockIndex best = null;
        Hash256 header = Hash256.ZERO;
        Optional<Hash256> marker = chain.database().getIndexBestBlock(NAME);
        if (marker.isPresent()) {
            Optional<BlockIndex> known = chain.getBlockIndex(marker.get());
            Optional<byte[]> stored = chain.database().getBlockFilter(marker.get());
            if (known.isPresent() && stored.isPresent()) {
                best = known.get();
                header = decode(marker.get(), stored.get()).header();
            } else {
                LOG.warn("Block filter index: best block {} is unknown, rebuilding from genesis", marker.get());
            }
        }
        BlockFilterIndex index = new BlockFilterIndex(chain, best, header);
        index.caughtUp = best != null && best == chain.activeChain().tip();
        chain.addListener(index);
        index.worker.start();
        return index;
    }

    // ---- queries (any thread) ------------------------------------------------------------------

    @Override
    public Optional<FilterEntry> entry(Hash256 blockHash) {
        try {
            Optional<byte[]> stored = db.getBlockFilter(blockHash);
            return stored.isEmpty() ? Optional.empty() : Optional.of(decode(blockHash, stored.get()));
        } catch (StorageException e) {
            throw new ChainstateFailure("reading the block filter of " + blockHash + " failed: " + e.getMessage(), e);
        }
    }

    /** The block's decoded basic filter, for matching; empty when not indexed. */
    public Optional<BlockFilter> filter(Hash256 blockHash) {
        Optional<FilterEntry> e = entry(blockHash);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BlockFilter.decodeBasic(blockHash, e.get().filter()));
        } catch (DecodeException ex) {
            throw new ChainstateFailure("stored block filter of " + blockHash + " is corrupt: " + ex.getMessage(), ex);
        }
    }

    /** The block's filter header; empty when not indexed. */
    public Optional<Hash256> filterHeader(Hash256 blockHash) {
        return entry(blockHash).map(FilterEntry::header);
    }

    /** The last block the index has processed (on the chain that was active then); null before genesis. */
    public BlockIndex bestBlock() {
        return best;
    }

    /** Whether the index has reached the current tip of the active chain. */
    public boolean isSynced() {
        BlockIndex tip = chain.activeChain().tip();
        return tip != null && best == tip;
    }

    /**
     * Whether the index has reached the active tip at least once since it started (Core's
     * m_synced): before that it is catching up, and waiting for it makes no sense.
     */
    public boolean hasCaughtUp() {
        return caughtUp;
    }

    /** Why the index stopped (pruned block data, database error), or empty while it runs. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Blocks this instance has indexed since it started (not counting earlier runs). */
    public long blocksIndexed() {
        return blocksIndexed;
    }

    /**
     * Waits until the index covers the active chain's tip as of this call (Core's
     * BlockUntilSyncedToCurrentChain).
     *
     * @return true when synced; false on timeout, when the index has failed or is closed
     */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        BlockIndex target = chain.activeChain().tip();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                BlockIndex b = best;
                if (target == null || (b != null && b.height() >= target.height() && b.getAncestor(target.height()) == target)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || failure != null || stopping) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    // ---- ChainListener (chain thread: only wake the worker) ----------------------------------

    @Override
    public void blockConnected(Block block, BlockIndex index) {
        wake();
    }

    @Override
    public void blockDisconnected(Block block, BlockIndex index) {
        wake();
    }

    @Override
    public void newTip(BlockIndex tip, BlockIndex fork, boolean initialDownload) {
        wake();
    }

    /** Stops the worker (waiting for the block in progress) and unsubscribes. Call before closing the chain. */
    @Override
    public void close() {
        stopping = true;
        chain.removeListener(this);
        wake();
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("Block filter index thread did not stop in time");
        }
    }

    // ---- worker ------------------------------------------------------------------------------

    private void wake() {
        synchronized (lock) {
            wakeUp = true;
            lock.notifyAll();
        }
    }

    private void run() {
        BlockIndex start = best;
        LOG.info("Block filter index (basic) starting at height {}", start == null ? -1 : start.height());
        try {
            while (!stopping) {
                if (!step()) {
                    idle();
                }
            }
        } catch (StorageException | ChainstateFailure | PrunedDataException e) {
            if (!stopping) {
                failure = e.getMessage();
                LOG.error("Block filter index stopped: {}", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A bug, not a data problem: stop indexing (the node keeps running) and say why.
            failure = String.valueOf(e.getMessage());
            LOG.error("Block filter index stopped", e);
        } finally {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void idle() throws InterruptedException {
        synchronized (lock) {
            if (!wakeUp && !stopping) {
                lock.wait(IDLE_WAIT_MILLIS);
            }
            wakeUp = false;
        }
    }

    /** One unit of work toward the active tip; false when there was nothing to do. */
    private boolean step() throws StorageException, PrunedDataException {
        ChainView active = chain.activeChain();
        BlockIndex tip = active.tip();
        if (tip == null) {
            return false;
        }
        BlockIndex b = best;
        if (b != null && !active.contains(b)) {
            rewind(active.findFork(b));
            return true;
        }
        if (b == tip) {
            logSynced(tip);
            return false;
        }
        BlockIndex next = active.get(b == null ? 0 : b.height() + 1);
        if (next == null || next.prev() != b) {
            return true;    // the active chain moved under us: look again
        }
        indexBlock(next);
        logProgress(next, tip);
        return true;
    }

    /** Goes back to the fork point; entries of the blocks left behind stay (they are per hash). */
    private void rewind(BlockIndex fork) {
        BlockIndex from = best;
        Hash256 header = Hash256.ZERO;
        if (fork != null) {
            header = entry(fork.hash()).orElseThrow(() -> new ChainstateFailure(
                    "block filter index: no entry for fork block " + fork.hash())).header();
        }
        LOG.debug("Block filter index rewinds from height {} to {}", from.height(), fork == null ? -1 : fork.height());
        publish(fork, header);
    }

    private void indexBlock(BlockIndex index) throws StorageException, PrunedDataException {
        Block block = readBlock(index);
        BlockFilter filter = BlockFilter.buildBasic(block, spentScripts(index));
        FilterEntry e = FilterEntry.of(filter, bestHeader);
        try (ChainDb.Batch batch = db.batch()) {
            batch.putBlockFilter(index.hash(), e.encode()).setIndexBestBlock(NAME, index.hash()).commit(false);
        }
        blocksIndexed++;
        publish(index, e.header());
    }

    private void publish(BlockIndex newBest, Hash256 header) {
        // Before waiters wake, so that anyone who sees the index synced also sees hasCaughtUp().
        if (newBest != null && newBest == chain.activeChain().tip()) {
            logSynced(newBest);
        }
        synchronized (lock) {
            best = newBest;
            bestHeader = header;
            lock.notifyAll();
        }
    }

    private Block readBlock(BlockIndex index) throws PrunedDataException {
        Optional<Block> block = chain.getBlock(index.hash());
        if (block.isPresent()) {
            return block.get();
        }
        if (index.height() == 0) {
            return chain.params().genesisBlock();
        }
        throw new PrunedDataException("block " + index.hash() + " at height " + index.height()
                + " is not stored (pruned?); the block filter index cannot be built past it");
    }

    /** The scriptPubKeys the block's inputs spent, from its undo data; none for genesis. */
    private List<byte[]> spentScripts(BlockIndex index) throws PrunedDataException {
        if (index.height() == 0) {
            return List.of();
        }
        BlockUndo undo = chain.getUndo(index.hash()).orElseThrow(() -> new PrunedDataException("undo data of block "
                + index.hash() + " at height " + index.height() + " is not stored (pruned?); the block filter"
                + " index cannot be built past it"));
        List<byte[]> scripts = new ArrayList<>(undo.spentCount());
        for (BlockUndo.TxUndo tx : undo.txUndos()) {
            for (Coin c : tx.spent()) {
                scripts.add(c.output().scriptPubKey());
            }
        }
        return scripts;
    }

    private void logProgress(BlockIndex done, BlockIndex tip) {
        long now = System.currentTimeMillis();
        if (now - lastProgressLog >= PROGRESS_LOG_MILLIS && done != tip) {
            lastProgressLog = now;
            LOG.info("Syncing block filter index: height {} of {}", done.height(), tip.height());
        }
    }

    /** Once per run at INFO (the end of a catch-up); later blocks are routine. */
    private void logSynced(BlockIndex tip) {
        if (!caughtUp) {
            caughtUp = true;
            LOG.info("Block filter index is synced at height {}", tip.height());
        }
    }

    private static FilterEntry decode(Hash256 blockHash, byte[] stored) {
        try {
            return FilterEntry.decode(stored);
        } catch (DecodeException e) {
            throw new ChainstateFailure("stored block filter of " + blockHash + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** Block or undo data the index needs is gone. */
    private static final class PrunedDataException extends Exception {
        PrunedDataException(String message) {
            super(message);
        }
    }
}
