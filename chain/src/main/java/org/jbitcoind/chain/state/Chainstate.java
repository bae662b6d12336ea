package org.jbitcoind.chain.state;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.validation.BlockChecks;
import org.jbitcoind.chain.validation.BlockConnector;
import org.jbitcoind.chain.validation.ScriptExecutionCache;
import org.jbitcoind.chain.validation.ContextualChecks;
import org.jbitcoind.chain.validation.ScriptCheckQueue;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.BlockIndexRecord;
import org.jbitcoind.storage.BlockStatus;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.StorageException;
import org.jbitcoind.storage.TxLocation;
import org.jbitcoind.storage.UtxoCursor;
import org.jbitcoind.storage.UtxoSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain state and every rule for moving it (Core's Chainstate together with the parts of
 * ChainstateManager and BlockManager that change it): the block tree, the active chain, the set of
 * candidate tips, the UTXO cache over the database, and connecting, disconnecting, reorganising,
 * invalidating, flushing and pruning.
 *
 * <p>Confined to the chain thread: {@link ChainstateManager} is the only caller and runs every
 * method here on that one thread, so nothing here locks. Fields that other threads read (the
 * active chain view, the block tree map, the best header) are published through volatile fields.
 *
 * <p>Write order (docs/storage.md): a block and its index record go to the database when the block
 * is accepted; its undo data (and -txindex entries) when it is connected; the coins, the best-block
 * marker and every index record changed since the last flush in one batch at a flush. A crash at any
 * moment therefore leaves the UTXO set at some block B with all blocks and undo data needed to go
 * from B to any block it knows, which is all start-up needs to reconnect what was lost.
 */
final class Chainstate {
    private static final Logger LOG = LoggerFactory.getLogger(Chainstate.class);
    /** Assumed-valid blocks must be at least two weeks of work below the best header (as Core). */
    private static final long ASSUMEVALID_MIN_BURIAL_SECONDS = 60L * 60 * 24 * 7 * 2;
    private static final long PROGRESS_LOG_MILLIS = 5_000;
    /** Connected blocks not yet read back: the block just accepted is usually connected right away. */
    private static final int PENDING_BLOCKS = 16;

    /** Best candidate first: most work, then earliest arrival, then hash (Core's CBlockIndexWorkComparator, reversed). */
    private static final Comparator<BlockIndex> CANDIDATE_ORDER = (a, b) -> {
        int c = b.chainWork().compareTo(a.chainWork());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.sequenceId(), b.sequenceId());
        if (c != 0 || a == b) {
            return c;
        }
        return Arrays.compareUnsigned(a.hash().bytes(), b.hash().bytes());
    };

    enum FlushMode { IF_NEEDED, PERIODIC, ALWAYS }

    private final ChainDb db;
    private final ChainstateOptions options;
    private final ChainParams params;
    private final ScriptVerifier verifier;
    private final BlockConnector connector;
    private final ScriptExecutionCache scriptCache;
    private final List<ChainListener> listeners;
    final BlockTree tree = new BlockTree();
    private final DbCoinsView coinsDb;
    private CoinsViewCache coinsTip;
    private final ChainstateStats stats = new ChainstateStats();

    private BlockIndex tip;
    private volatile ChainView activeView = ChainView.of(null);
    private final TreeSet<BlockIndex> candidates = new TreeSet<>(CANDIDATE_ORDER);
    private final Map<BlockIndex, List<BlockIndex>> unlinked = new HashMap<>();
    private final Set<BlockIndex> dirty = new HashSet<>();
    private final Map<Hash256, Block> pendingBlocks = new LinkedHashMap<>();
    private final Map<BlockIndex, String> failureReasons = new HashMap<>();
    private long nextSequenceId = 2;
    private long preciousSequenceId = -1;
    private BigInteger lastPreciousWork = BigInteger.ZERO;

    private volatile boolean importing;
    /** Set at shutdown: activateBestChain stops between blocks so the final flush need not wait for a long catch-up. */
    private volatile boolean stopping;
    private volatile boolean finishedIbd;
    private volatile double importFraction = -1;
    private double lastLoggedFraction;
    private long lastFlushMillis = System.currentTimeMillis();

    // Pruning: stored bytes (block + undo) of every block that has data, by height.
    private final TreeMap<Integer, Map<BlockIndex, Long>> storedByHeight = new TreeMap<>();
    private long storedBytes;

    // Progress logging.
    private long lastLogMillis = System.currentTimeMillis();
    private int blocksSinceLog;
    private long txsSinceLog;

    Chainstate(ChainDb db, ChainstateOptions options, ScriptCheckQueue checkQueue, ScriptExecutionCache scriptCache,
            List<ChainListener> listeners) {
        this.db = db;
        this.scriptCache = scriptCache;
        this.options = options;
        this.params = options.params();
        this.verifier = checkQueue.verifier();
        this.connector = new BlockConnector(params, checkQueue);
        this.listeners = listeners;
        this.coinsDb = new DbCoinsView(db);
        this.coinsDb.setExtras(this::writeDirtyIndex);
        this.coinsTip = new CoinsViewCache(coinsDb);
    }

    // ---- start-up ----------------------------------------------------------------------------

    /** Rebuilds the block tree from the database, finds the tip the UTXO set is at, and catches up. */
    void load(boolean reindexChainstate) throws StorageException {
        List<BlockIndexRecord> records = new ArrayList<>();
        db.forEachBlockIndex(records::add);
        records.sort(Comparator.comparingInt(BlockIndexRecord::height));
        for (BlockIndexRecord r : records) {
            BlockIndex prev = r.height() == 0 ? null : tree.getOrNull(r.header().prevBlock());
            if (r.height() > 0 && (prev == null || prev.height() != r.height() - 1)) {
                LOG.warn("Block index record {} at height {} has no parent record; ignoring it", r.hash(), r.height());
                continue;
            }
            if (r.height() == 0 && !r.hash().equals(params.genesisHash())) {
                throw new ChainstateFailure("block index holds a genesis block " + r.hash() + " of another network");
            }
            BlockIndex index = tree.insertLoaded(r.hash(), r.header(), prev);
            index.setStatus(r.status());
            index.setTxCount(r.txCount());
            index.setSequenceId(1);
            if (r.txCount() > 0 && (prev == null || prev.chainTxCount() > 0)) {
                index.setChainTxCount((prev == null ? 0 : prev.chainTxCount()) + r.txCount());
            }
        }
        if (reindexChainstate) {
            wipeChainstate();
        }
        finishInterruptedWipe();

        Hash256 best = db.getBestBlock().orElse(Hash256.ZERO);
        if (!best.equals(Hash256.ZERO)) {
            tip = tree.getOrNull(best);
            if (tip == null) {
                throw new ChainstateFailure("the UTXO set is at block " + best
                        + ", which is not in the block index: the database is corrupt; restart with -reindex-chainstate");
            }
            tip.setSequenceId(0);
        }
        publishView();
        for (BlockIndex b : tree.all()) {
            if (isCandidateMaterial(b) && (tip == null || b.chainWork().compareTo(tip.chainWork()) >= 0)) {
                candidates.add(b);
            }
            if (BlockStatus.has(b.status(), BlockStatus.HAVE_DATA) && b.txCount() > 0 && b.chainTxCount() == 0
                    && b.prev() != null) {
                unlinked.computeIfAbsent(b.prev(), k -> new ArrayList<>()).add(b);
            }
            if (options.pruneEnabled() && BlockStatus.has(b.status(), BlockStatus.HAVE_DATA)) {
                recordStored(b, db.getBlock(b.hash()).map(x -> (long) x.length).orElse(0L)
                        + (BlockStatus.has(b.status(), BlockStatus.HAVE_UNDO)
                        ? db.getUndo(b.hash()).map(u -> (long) u.encode().length).orElse(0L) : 0L));
            }
        }
        tree.recalculateBestHeader();
        if (tree.size() == 0) {
            acceptGenesis();
        }
        LOG.info("Loaded block index: {} headers, best header height {}, UTXO set at height {}", tree.size(),
                tree.bestHeader() == null ? -1 : tree.bestHeader().height(), tip == null ? -1 : tip.height());
    }

    private void acceptGenesis() throws StorageException {
        Block genesis = params.genesisBlock();
        BlockIndex index = tree.insert(genesis.header(), null);
        index.raiseValidity(BlockStatus.VALID_TREE);
        storeBlock(index, genesis);
        tree.considerBestHeader(index);
    }

    /**
     * -reindex-chainstate: forget the UTXO set and every connection result, keeping blocks and
     * headers, so that activateBestChain rebuilds the set from the stored blocks. The marker goes to
     * zero first: a crash during the wipe leaves "zero marker with coins", which start-up finishes.
     */
    private void wipeChainstate() throws StorageException {
        LOG.info("Rebuilding the UTXO set from stored blocks (-reindex-chainstate)");
        try (ChainDb.Batch b = db.batch()) {
            b.setBestBlock(Hash256.ZERO).commit(true);
        }
        for (BlockIndex index : tree.all()) {
            int status = index.status();
            int next = status & ~(BlockStatus.FAILED_MASK | BlockStatus.HAVE_UNDO);
            if (BlockStatus.validity(next) > BlockStatus.VALID_TRANSACTIONS) {
                next = (next & ~BlockStatus.VALID_MASK) | BlockStatus.VALID_TRANSACTIONS;
            }
            if (next != status) {
                index.setStatus(next);
                dirty.add(index);
            }
        }
    }

    private void finishInterruptedWipe() throws StorageException {
        Optional<Hash256> marker = db.getBestBlock();
        if (marker.isEmpty() || !marker.get().equals(Hash256.ZERO)) {
            return;
        }
        long removed = 0;
        while (true) {
            List<OutPoint> chunk = new ArrayList<>();
            try (UtxoSnapshot snap = db.utxoSnapshot(); UtxoCursor cursor = snap.cursor()) {
                while (chunk.size() < 100_000 && cursor.next()) {
                    chunk.add(cursor.outPoint());
                }
            }
            if (chunk.isEmpty()) {
                break;
            }
            try (ChainDb.Batch b = db.batch()) {
                for (OutPoint op : chunk) {
                    b.deleteCoin(op);
                }
                b.commit(false);
            }
            removed += chunk.size();
        }
        if (removed > 0) {
            LOG.info("Removed {} coins of the old UTXO set", removed);
        }
    }

    // ---- reads (chain thread, or through the published view) ---------------------------------

    ChainView activeView() {
        return activeView;
    }

    BlockIndex tip() {
        return tip;
    }

    Optional<Coin> getCoin(OutPoint outpoint) {
        return coinsTip.getCoin(outpoint);
    }

    CoinsView.Read getCoins(List<OutPoint> outpoints) {
        return coinsTip.readCoins(outpoints);
    }

    long coinsCacheBytes() {
        return coinsTip.dynamicMemoryUsage();
    }

    void requestStop() {
        stopping = true;
    }

    void setImporting(boolean on) {
        importing = on;
        importFraction = -1;
    }

    /** Share (0 to 1) of the file being imported that has been read: the progress shown while importing. */
    void reportImportProgress(double fraction) {
        importFraction = fraction;
    }

    /** Core's IsInitialBlockDownload; once false it stays false. */
    boolean isInitialBlockDownload() {
        if (finishedIbd) {
            return false;
        }
        if (importing) {
            return true;
        }
        BlockIndex t = tip;
        if (t == null || t.chainWork().compareTo(options.minimumChainWork()) < 0) {
            return true;
        }
        if (t.time() < options.clock().getAsLong() - options.maxTipAgeSeconds()) {
            return true;
        }
        LOG.info("Leaving InitialBlockDownload (latching to false)");
        finishedIbd = true;
        return false;
    }

    List<ChainTip> chainTips() {
        Set<BlockIndex> parents = new HashSet<>();
        for (BlockIndex b : tree.all()) {
            if (b.prev() != null) {
                parents.add(b.prev());
            }
        }
        ChainView view = activeView;
        List<ChainTip> out = new ArrayList<>();
        for (BlockIndex b : tree.all()) {
            if (parents.contains(b) && b != view.tip()) {
                continue;
            }
            BlockIndex fork = view.findFork(b);
            int branch = b.height() - (fork == null ? -1 : fork.height());
            String status;
            if (view.contains(b)) {
                status = "active";
            } else if (BlockStatus.isFailed(b.status())) {
                status = "invalid";
            } else if (b.chainTxCount() == 0) {
                status = "headers-only";
            } else if (b.isValid(BlockStatus.VALID_SCRIPTS)) {
                status = "valid-fork";
            } else if (b.isValid(BlockStatus.VALID_TREE)) {
                status = "valid-headers";
            } else {
                status = "unknown";
            }
            out.add(new ChainTip(b.height(), b.hash(), view.contains(b) ? 0 : branch, status));
        }
        out.sort(Comparator.comparingInt(ChainTip::height).reversed());
        return out;
    }

    // ---- headers and blocks ------------------------------------------------------------------

    /** Core's AcceptBlockHeader: known headers are returned, new ones checked and added. */
    BlockIndex acceptHeader(BlockHeader header) throws ValidationException {
        Hash256 hash = header.hash();
        BlockIndex known = tree.getOrNull(hash);
        if (known != null) {
            if (BlockStatus.isFailed(known.status())) {
                throw new ValidationException(ValidationException.Result.CACHED_INVALID, "duplicate",
                        "block " + hash + " is marked invalid");
            }
            return known;
        }
        BlockChecks.checkBlockHeader(header, params);
        BlockIndex prev = tree.getOrNull(header.prevBlock());
        if (prev == null) {
            throw new ValidationException(ValidationException.Result.MISSING_PREV, "prev-blk-not-found",
                    "parent " + header.prevBlock() + " of " + hash + " is unknown");
        }
        if (BlockStatus.isFailed(prev.status())) {
            throw new ValidationException(ValidationException.Result.INVALID_PREV, "bad-prevblk",
                    "parent " + prev.hash() + " is invalid");
        }
        ContextualChecks.contextualCheckBlockHeader(header, prev, params, options.clock().getAsLong());
        BlockIndex index = tree.insert(header, prev);
        index.raiseValidity(BlockStatus.VALID_TREE);
        dirty.add(index);
        tree.considerBestHeader(index);
        return index;
    }

    HeadersResult processHeaders(List<BlockHeader> headers) {
        int accepted = 0;
        BlockIndex last = null;
        for (BlockHeader h : headers) {
            try {
                last = acceptHeader(h);
                accepted++;
            } catch (ValidationException e) {
                HeadersResult.Status status = e.result() == ValidationException.Result.MISSING_PREV
                        ? HeadersResult.Status.MISSING_PARENT : HeadersResult.Status.INVALID;
                LOG.debug("header {} rejected: {}", h.hash(), e.getMessage());
                return new HeadersResult(status, accepted, last, h.hash(), e.rejectReason());
            }
        }
        return new HeadersResult(HeadersResult.Status.ACCEPTED, accepted, last, null, "");
    }

    /**
     * Core's ProcessNewBlock: checks, stores and, through activateBestChain, connects a block. An
     * unrequested block (one a peer pushed without being asked) is only stored when it could
     * become the tip soon: at least as much work as the tip and not more than 288 blocks ahead of
     * it (Core's anti-DoS rule in AcceptBlock); otherwise it is checked but left aside.
     */
    BlockProcessResult processBlock(Block block, boolean requested) throws StorageException {
        return processBlock(PreparedBlock.unchecked(block), requested, null);
    }

    /**
     * {@link #processBlock(Block, boolean)} for a block whose context-free part another thread did.
     * Returns null only while pipelining, when a connection is left pending: {@code result} is then
     * completed once it is settled.
     */
    private BlockProcessResult processBlock(PreparedBlock prepared, boolean requested,
            CompletableFuture<BlockProcessResult> result) throws StorageException {
        Block block = prepared.block();
        Hash256 hash = block.hash();
        BlockIndex known = tree.getOrNull(hash);
        if (known != null && BlockStatus.has(known.status(), BlockStatus.HAVE_DATA)) {
            return BlockProcessResult.of(BlockProcessResult.Status.DUPLICATE, hash);
        }
        BlockIndex index;
        try {
            if (!prepared.checked()) {
                BlockChecks.checkBlock(block, params, verifier);
            } else if (prepared.checkFailure() != null) {
                throw prepared.checkFailure();
            }
            index = acceptHeader(block.header());
            if (BlockStatus.has(index.status(), BlockStatus.HAVE_DATA)) {
                return BlockProcessResult.of(BlockProcessResult.Status.DUPLICATE, hash);
            }
            if (!requested && tip != null && (index.chainWork().compareTo(tip.chainWork()) < 0
                    || index.height() > tip.height() + ChainstateOptions.MIN_BLOCKS_TO_KEEP)) {
                return BlockProcessResult.of(BlockProcessResult.Status.NOT_STORED, hash);
            }
            try {
                ContextualChecks.contextualCheckBlock(block, index.prev(), params);
            } catch (ValidationException e) {
                if (e.result() != ValidationException.Result.MUTATED) {
                    markInvalid(index, e);
                    notifyInvalid(index, e.rejectReason());
                }
                throw e;
            }
        } catch (ValidationException e) {
            BlockProcessResult.Status status = e.result() == ValidationException.Result.MISSING_PREV
                    ? BlockProcessResult.Status.MISSING_PARENT : BlockProcessResult.Status.INVALID;
            LOG.debug("block {} rejected: {}", hash, e.getMessage());
            return new BlockProcessResult(status, hash, e.rejectReason(), e.getMessage());
        }
        storeBlock(index, block, prepared.serialized());
        rememberPending(block);
        activateBestChain();
        if (pending != null) {
            // The block's fate depends on a connection whose scripts are still being checked.
            pending.deferred().add(new DeferredResult(index, result));
            return null;
        }
        return resultOf(index);
    }

    private BlockProcessResult resultOf(BlockIndex index) {
        Hash256 hash = index.hash();
        if (BlockStatus.isFailed(index.status())) {
            String reason = failureReasons.getOrDefault(index, "bad-prevblk");
            return new BlockProcessResult(BlockProcessResult.Status.INVALID, hash, reason,
                    "failed while connecting");
        }
        return BlockProcessResult.of(BlockProcessResult.Status.ACCEPTED, hash);
    }

    /** Writes the block with its index record (data before flags), then makes it a candidate when its ancestry is complete. */
    private void storeBlock(BlockIndex index, Block block) throws StorageException {
        storeBlock(index, block, null);
    }

    /** @param serialized the block's serialization if the caller has it, else null */
    private void storeBlock(BlockIndex index, Block block, byte[] serialized) throws StorageException {
        byte[] raw = serialized != null ? serialized : block.serialize();
        DiskSpace.check(db.path(), raw.length);
        index.setTxCount(block.transactions().size());
        index.raiseValidity(BlockStatus.VALID_TRANSACTIONS);
        index.addStatus(BlockStatus.HAVE_DATA);
        try (ChainDb.Batch b = db.batch()) {
            b.putBlock(index.hash(), raw);
            // The parent's record must exist on disk for this one to be loadable. A block with data
            // had its record written with it, so only header-only ancestors can be missing.
            for (BlockIndex p = index.prev(); p != null && dirty.contains(p)
                    && !BlockStatus.has(p.status(), BlockStatus.HAVE_DATA); p = p.prev()) {
                b.putBlockIndex(record(p));
            }
            b.putBlockIndex(record(index));
            b.commit(false);
        }
        dirty.add(index);
        recordStored(index, raw.length);
        receivedBlockTransactions(index);
    }

    /** Core's ReceivedBlockTransactions: sets chain tx counts down the now-complete ancestry and adds candidates. */
    private void receivedBlockTransactions(BlockIndex index) {
        BlockIndex prev = index.prev();
        if (prev != null && prev.chainTxCount() == 0) {
            unlinked.computeIfAbsent(prev, k -> new ArrayList<>()).add(index);
            return;
        }
        Deque<BlockIndex> queue = new ArrayDeque<>();
        queue.add(index);
        while (!queue.isEmpty()) {
            BlockIndex b = queue.poll();
            b.setChainTxCount((b.prev() == null ? 0 : b.prev().chainTxCount()) + b.txCount());
            b.setSequenceId(nextSequenceId++);
            if (isCandidateMaterial(b) && (tip == null || b.chainWork().compareTo(tip.chainWork()) >= 0)) {
                candidates.add(b);
            }
            List<BlockIndex> children = unlinked.remove(b);
            if (children != null) {
                queue.addAll(children);
            }
        }
    }

    private static boolean isCandidateMaterial(BlockIndex b) {
        return b.isValid(BlockStatus.VALID_TRANSACTIONS) && b.chainTxCount() > 0
                && BlockStatus.has(b.status(), BlockStatus.HAVE_DATA);
    }

    private void rememberPending(Block block) {
        pendingBlocks.put(block.hash(), block);
        if (pendingBlocks.size() > PENDING_BLOCKS) {
            Hash256 oldest = pendingBlocks.keySet().iterator().next();
            pendingBlocks.remove(oldest);
        }
    }

    // ---- activating the best chain -----------------------------------------------------------

    /** Core's ActivateBestChain: moves the active chain to the valid candidate with the most work. */
    void activateBestChain() throws StorageException {
        while (!stopping && pending == null) {
            BlockIndex mostWork = findMostWorkChain();
            if (mostWork == null || mostWork == tip) {
                break;
            }
            BlockIndex oldTip = tip;
            BlockIndex fork = activeView.findFork(mostWork);
            activateBestChainStep(mostWork, fork, oldTip);
            if (pending != null) {
                return; // settlePending() finishes the step: new-tip notice, the rest of the loop, the flush
            }
            if (tip != oldTip) {
                notifyNewTip(fork);
            }
        }
        flushStateToDisk(FlushMode.PERIODIC);
    }

    /** The best candidate whose whole path from the active chain is valid and stored (Core's FindMostWorkChain). */
    private BlockIndex findMostWorkChain() {
        while (!candidates.isEmpty()) {
            BlockIndex best = candidates.first();
            BlockIndex test = best;
            boolean usable = true;
            while (test != null && !activeView.contains(test)) {
                boolean failed = BlockStatus.isFailed(test.status());
                boolean missing = !BlockStatus.has(test.status(), BlockStatus.HAVE_DATA);
                if (failed || missing) {
                    for (BlockIndex f = best; f != test; f = f.prev()) {
                        if (failed) {
                            f.addStatus(BlockStatus.FAILED_CHILD);
                            dirty.add(f);
                        } else if (f.prev() != null) {
                            unlinked.computeIfAbsent(f.prev(), k -> new ArrayList<>()).add(f);
                        }
                        candidates.remove(f);
                    }
                    candidates.remove(best);
                    usable = false;
                    break;
                }
                test = test.prev();
            }
            if (usable) {
                return best;
            }
        }
        return null;
    }

    private void activateBestChainStep(BlockIndex mostWork, BlockIndex fork, BlockIndex oldTip)
            throws StorageException {
        while (tip != null && tip != fork) {
            disconnectTip();
        }
        List<BlockIndex> path = new ArrayList<>();
        for (BlockIndex b = mostWork; b != null && b != fork; b = b.prev()) {
            path.add(b);
        }
        Collections.reverse(path);
        for (int i = 0; i < path.size(); i++) {
            BlockIndex b = path.get(i);
            if (stopping) {
                break;
            }
            boolean leavePending = pipelining && i == path.size() - 1;
            if (!connectTip(b, leavePending ? new StepState(oldTip, fork) : null)) {
                break;
            }
            if (pending != null) {
                return; // pruneBlockIndexCandidates once the verdict is in
            }
        }
        pruneBlockIndexCandidates();
    }

    /** Drops candidates that can no longer beat the tip (Core's PruneBlockIndexCandidates). */
    private void pruneBlockIndexCandidates() {
        if (tip != null) {
            candidates.tailSet(tip, false).clear();
        }
    }

    /**
     * Connects {@code index} on top of the tip. With {@code leaveAs} non-null the connection is only
     * started (every rule but the scripts, the checks queued) and left in {@link #pending}: the
     * chain thread goes on while the check queue verifies, and {@link #settlePending()} gives the
     * verdict. Returns false when the block turned out invalid.
     */
    private boolean connectTip(BlockIndex index, StepState leaveAs) throws StorageException {
        long started = System.nanoTime();
        Block block = pendingBlocks.remove(index.hash());
        if (block == null) {
            block = readBlock(index);
        }
        Speculation spec = takeSpeculation(index);
        CoinsViewCache view;
        BlockUndo undo;
        try {
            BlockConnector.ConnectingBlock connecting;
            if (spec != null) {
                view = spec.view();
                view.dropFlushedBase();
                connecting = spec.connecting();
                if (spec.failure() != null) {
                    throw spec.failure();
                }
            } else {
                view = new CoinsViewCache(coinsTip, coinChanges(block));
                // Transactions whose scripts the mempool checked under this block's flags are not checked again.
                connecting = connector.startConnectBlock(block, index, view, scriptChecksNeeded(index), scriptCache);
            }
            if (leaveAs != null) {
                pending = new PendingConnect(index, block, view, connecting, started, leaveAs, new ArrayList<>());
                return true;
            }
            undo = connecting.finish();
        } catch (ValidationException e) {
            blockFailedToConnect(index, e);
            return false;
        }
        commitConnect(index, block, view, undo, started);
        return true;
    }

    private void blockFailedToConnect(BlockIndex index, ValidationException e) {
        LOG.warn("Block {} at height {} is invalid: {}", index.hash(), index.height(), e.getMessage());
        markInvalid(index, e);
        notifyInvalid(index, e.rejectReason());
    }

    /** The rest of connectTip once the block is known valid: the block's coins into the tip cache, its undo data stored, the tip moved. */
    private void commitConnect(BlockIndex index, Block block, CoinsViewCache view, BlockUndo undo, long started)
            throws StorageException {
        view.flush();
        storeUndo(index, block, undo);
        stats.recordConnect(System.nanoTime() - started);
        index.addStatus(BlockStatus.HAVE_UNDO);
        index.raiseValidity(BlockStatus.VALID_SCRIPTS);
        dirty.add(index);
        tip = index;
        publishView();
        for (ChainListener l : listeners) {
            try {
                l.blockConnected(block, index);
            } catch (RuntimeException e) {
                LOG.error("chain listener failed on blockConnected", e);
            }
        }
        logProgress(index, block);
        flushStateToDisk(FlushMode.IF_NEEDED);
    }

    // ---- the import pipeline -----------------------------------------------------------------

    /*
     * While a block's scripts are checked, the chain thread does the next block's serial work, so
     * that the check queue's workers are not idle between blocks. Everything below gives exactly
     * the results, database writes and their order of processing the blocks one by one:
     * - A connection left pending has changed only its own view: the tip cache, the database and
     *   the block tree have seen nothing of its coins, undo data or validity yet.
     * - The next block's connection may be started speculatively on the pending block's view (a
     *   block index of its own, not in the tree; no script execution cache; nothing written). It is
     *   used only if, once the pending block is committed and the next block went through every
     *   earlier step (header, contextual checks, storing) as it would have, the serial order would
     *   connect exactly that block on exactly that tip with the same script-check decision;
     *   otherwise it is cancelled and the block is connected from scratch.
     * - A pending block that fails is marked invalid as it would have been; the speculation on top
     *   of it is then cancelled, and the next block meets a failed parent.
     */

    /** What activateBestChain does after a step, kept for when the step's last connection is settled. */
    private record StepState(BlockIndex oldTip, BlockIndex fork) {
    }

    /** A block processed but not yet answered because a pending connection decides its fate. */
    private record DeferredResult(BlockIndex index, CompletableFuture<BlockProcessResult> result) {
    }

    /** A connection waiting for its script checks (at most one). */
    private record PendingConnect(BlockIndex index, Block block, CoinsViewCache view,
                                  BlockConnector.ConnectingBlock connecting, long started, StepState step,
                                  List<DeferredResult> deferred) {
    }

    /** The next block's connection, started on the pending block's view before its verdict. */
    private record Speculation(BlockIndex parent, Hash256 hash, boolean checkScripts, CoinsViewCache view,
                               BlockConnector.ConnectingBlock connecting, ValidationException failure) {
        void cancel() {
            if (connecting != null) {
                connecting.cancel();
            }
        }
    }

    private boolean pipelining;
    private PendingConnect pending;
    private Speculation speculation;

    /**
     * processBlock for a block of a stream (the importer's, the sync's): its connection may be left
     * pending while the next block is taken; {@code result} is completed once its outcome is known,
     * which may be during a later call or {@link #settlePending()}.
     */
    void processBlockInPipeline(PreparedBlock prepared, CompletableFuture<BlockProcessResult> result)
            throws StorageException {
        Speculation spec = pending == null ? null : speculate(prepared, pending);
        try {
            settlePending();
        } catch (StorageException | RuntimeException | Error e) {
            if (spec != null) {
                spec.cancel();
            }
            throw e;
        }
        if (spec != null && tip != spec.parent()) {
            spec.cancel(); // the parent failed: its child's work is moot
            spec = null;
        }
        speculation = spec;
        pipelining = true;
        BlockProcessResult r;
        try {
            r = processBlock(prepared, true, result);
        } finally {
            pipelining = false;
            if (speculation != null) {
                speculation.cancel();
                speculation = null;
            }
        }
        if (r != null) {
            result.complete(r);
        }
    }

    /** Gives the pending connection its verdict and finishes what processing it would have done. */
    void settlePending() throws StorageException {
        PendingConnect p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        try {
            BlockUndo undo;
            try {
                undo = p.connecting().finish();
            } catch (ValidationException e) {
                undo = null;
                blockFailedToConnect(p.index(), e);
            }
            if (undo != null) {
                commitConnect(p.index(), p.block(), p.view(), undo, p.started());
            }
            pruneBlockIndexCandidates();
            if (tip != p.step().oldTip()) {
                notifyNewTip(p.step().fork());
            }
            activateBestChain();
        } catch (StorageException | RuntimeException | Error e) {
            abandon(p, e);
            throw e;
        }
        if (pending != null) {
            // activateBestChain left another connection pending: these answers wait for it too.
            pending.deferred().addAll(p.deferred());
        } else {
            for (DeferredResult d : p.deferred()) {
                d.result().complete(resultOf(d.index()));
            }
        }
    }

    /** After a fatal error: the pending connection's answers fail with it. */
    void abandonPending(Throwable error) {
        PendingConnect p = pending;
        pending = null;
        if (p != null) {
            abandon(p, error);
        }
    }

    private static void abandon(PendingConnect p, Throwable error) {
        p.connecting().cancel();
        for (DeferredResult d : p.deferred()) {
            d.result().completeExceptionally(error);
        }
    }

    /**
     * Starts connecting {@code prepared}'s block on top of the pending one, or returns null when it
     * does not simply extend it. A rule failure is kept for when the block is really connected.
     */
    private Speculation speculate(PreparedBlock prepared, PendingConnect parent) {
        Block block = prepared.block();
        if (!prepared.checked() || prepared.checkFailure() != null
                || !block.header().prevBlock().equals(parent.index().hash())) {
            return null;
        }
        BlockIndex known = tree.getOrNull(block.hash());
        if (known != null && (BlockStatus.isFailed(known.status()) || BlockStatus.has(known.status(),
                BlockStatus.HAVE_DATA))) {
            return null;
        }
        BlockIndex index = known != null ? known : new BlockIndex(block.hash(), block.header(), parent.index());
        boolean checkScripts = scriptChecksNeeded(index);
        CoinsViewCache view = new CoinsViewCache(parent.view(), coinChanges(block));
        try {
            // No script execution cache: a hit would be used up even if this work is thrown away.
            BlockConnector.ConnectingBlock c = connector.startConnectBlock(block, index, view, checkScripts, null);
            return new Speculation(parent.index(), block.hash(), checkScripts, view, c, null);
        } catch (ValidationException e) {
            return new Speculation(parent.index(), block.hash(), checkScripts, view, null, e);
        }
    }

    /** The speculation for {@code index}, if the serial order would connect it exactly as speculated. */
    private Speculation takeSpeculation(BlockIndex index) {
        Speculation s = speculation;
        if (s == null) {
            return null;
        }
        speculation = null;
        if (s.hash().equals(index.hash()) && tip == s.parent() && index.prev() == s.parent()
                && s.checkScripts() == scriptChecksNeeded(index)) {
            stats.recordSpeculativeConnect();
            return s;
        }
        s.cancel();
        return null;
    }

    /** Entries a block's view will hold: every input's coin and every output. */
    private static int coinChanges(Block block) {
        int n = 0;
        for (Transaction tx : block.transactions()) {
            n += tx.inputs().size() + tx.outputs().size();
        }
        return n;
    }

    private void storeUndo(BlockIndex index, Block block, BlockUndo undo) throws StorageException {
        byte[] undoBytes = undo.encode();
        try (ChainDb.Batch b = db.batch()) {
            b.putUndo(index.hash(), undoBytes);
            if (options.txIndex()) {
                int offset = BlockHeader.SIZE + compactSizeLength(block.transactions().size());
                for (Transaction tx : block.transactions()) {
                    int len = tx.totalSize();
                    b.putTxIndex(tx.txid(), new TxLocation(index.hash(), offset, len));
                    offset += len;
                }
            }
            b.commit(false);
        }
        recordStored(index, undoBytes.length);
    }

    private void disconnectTip() throws StorageException {
        BlockIndex index = tip;
        Block block = readBlock(index);
        BlockUndo undo = db.getUndo(index.hash()).orElseThrow(() -> new ChainstateFailure(
                "undo data of block " + index.hash() + " at height " + index.height() + " is missing"));
        CoinsViewCache view = new CoinsViewCache(coinsTip);
        BlockConnector.DisconnectResult r = connector.disconnectBlock(block, index, undo, view);
        if (r == BlockConnector.DisconnectResult.FAILED) {
            throw new ChainstateFailure("failed to disconnect block " + index.hash() + " at height " + index.height());
        }
        if (r == BlockConnector.DisconnectResult.UNCLEAN) {
            LOG.warn("Disconnecting block {} left an unclean UTXO set", index.hash());
        }
        view.flush();
        if (options.txIndex()) {
            try (ChainDb.Batch b = db.batch()) {
                for (Transaction tx : block.transactions()) {
                    b.deleteTxIndex(tx.txid());
                }
                b.commit(false);
            }
        }
        tip = index.prev();
        publishView();
        LOG.debug("disconnected block {} at height {}", index.hash(), index.height());
        // A deep reorganisation restores many coins: keep within the budget on the way down too.
        flushStateToDisk(FlushMode.IF_NEEDED);
        for (ChainListener l : listeners) {
            try {
                l.blockDisconnected(block, index);
            } catch (RuntimeException e) {
                LOG.error("chain listener failed on blockDisconnected", e);
            }
        }
    }

    private void notifyInvalid(BlockIndex index, String reason) {
        for (ChainListener l : listeners) {
            try {
                l.blockInvalid(index, reason);
            } catch (RuntimeException e) {
                LOG.error("chain listener failed on blockInvalid", e);
            }
        }
    }

    private void notifyNewTip(BlockIndex fork) {
        if (tip == null) {
            return;
        }
        boolean ibd = isInitialBlockDownload();
        if (!ibd) {
            LOG.info("New tip: height {} hash {} ({} transactions in chain)", tip.height(), tip.hash(),
                    tip.chainTxCount());
        }
        for (ChainListener l : listeners) {
            try {
                l.newTip(tip, fork, ibd);
            } catch (RuntimeException e) {
                LOG.error("chain listener failed on newTip", e);
            }
        }
    }

    /**
     * Core's rule: skip script checks only for an ancestor of the assumed-valid block, when that block
     * is on the best header chain, the best header has the minimum chain work, and the block is buried
     * under at least two weeks' worth of work.
     */
    private boolean scriptChecksNeeded(BlockIndex index) {
        if (options.assumeValid().isEmpty()) {
            return true;
        }
        BlockIndex av = tree.getOrNull(options.assumeValid().get());
        BlockIndex best = tree.bestHeader();
        // By hash, so that the answer for a block not yet in the tree (a speculative connection) is
        // the one its tree entry will get.
        if (av == null || best == null || !isAncestorOrSelf(av, index) || !isAncestorOrSelf(best, index)
                || best.chainWork().compareTo(options.minimumChainWork()) < 0) {
            return true;
        }
        return proofEquivalentSeconds(best, index, best) <= ASSUMEVALID_MIN_BURIAL_SECONDS;
    }

    private static boolean isAncestorOrSelf(BlockIndex descendant, BlockIndex index) {
        BlockIndex a = descendant.getAncestor(index.height());
        return a != null && a.hash().equals(index.hash());
    }

    /** Core's GetBlockProofEquivalentTime: the work between two blocks, in seconds at the tip's difficulty. */
    private long proofEquivalentSeconds(BlockIndex to, BlockIndex from, BlockIndex at) {
        BigInteger r = to.chainWork().subtract(from.chainWork()).abs()
                .multiply(BigInteger.valueOf(params.powTargetSpacing()))
                .divide(Pow.getBlockProof(at.bits()));
        long v = r.bitLength() > 62 ? Long.MAX_VALUE : r.longValue();
        return to.chainWork().compareTo(from.chainWork()) >= 0 ? v : -v;
    }

    // ---- invalid blocks ----------------------------------------------------------------------

    /** Marks {@code index} failed and every descendant failed-child, and drops them as candidates. */
    private void markInvalid(BlockIndex index, ValidationException e) {
        failureReasons.put(index, e.rejectReason());
        if (failureReasons.size() > 1000) {
            failureReasons.clear();
        }
        index.addStatus(BlockStatus.FAILED_VALID);
        dirty.add(index);
        candidates.remove(index);
        markDescendantsFailed(index);
        tree.recalculateBestHeader();
    }

    private void markDescendantsFailed(BlockIndex index) {
        for (BlockIndex b : tree.all()) {
            if (b != index && BlockTree.descendsFrom(b, index)) {
                if (!BlockStatus.has(b.status(), BlockStatus.FAILED_CHILD)) {
                    b.addStatus(BlockStatus.FAILED_CHILD);
                    dirty.add(b);
                }
                candidates.remove(b);
            }
        }
    }

    /** Core's InvalidateBlock: takes the block (and what builds on it) off the active chain for good. */
    void invalidateBlock(BlockIndex index) throws StorageException {
        while (activeView.contains(index)) {
            BlockIndex disconnected = tip;
            disconnectTip();
            if (disconnected != index) {
                disconnected.addStatus(BlockStatus.FAILED_CHILD);
                dirty.add(disconnected);
                candidates.remove(disconnected);
            }
        }
        markInvalid(index, new ValidationException(ValidationException.Result.CONSENSUS, "invalidated",
                "invalidateblock"));
        for (BlockIndex b : tree.all()) {
            if (isCandidateMaterial(b) && (tip == null || CANDIDATE_ORDER.compare(b, tip) <= 0)) {
                candidates.add(b);
            }
        }
        if (tip != null) {
            candidates.add(tip);
        }
        notifyNewTip(tip);
        activateBestChain();
    }

    /** Core's ResetBlockFailureFlags + ActivateBestChain: forgets the failure of the block, its ancestors and descendants. */
    void reconsiderBlock(BlockIndex index) throws StorageException {
        for (BlockIndex b : tree.all()) {
            if (!BlockStatus.isFailed(b.status())) {
                continue;
            }
            if (BlockTree.descendsFrom(b, index) || BlockTree.descendsFrom(index, b)) {
                b.setStatus(b.status() & ~BlockStatus.FAILED_MASK);
                dirty.add(b);
                failureReasons.remove(b);
                if (isCandidateMaterial(b) && (tip == null || CANDIDATE_ORDER.compare(b, tip) <= 0)) {
                    candidates.add(b);
                }
            }
        }
        tree.recalculateBestHeader();
        activateBestChain();
    }

    /** Core's PreciousBlock: among equal-work tips, prefer this one (as if it had arrived first). */
    void preciousBlock(BlockIndex index) throws StorageException {
        if (tip != null && index.chainWork().compareTo(tip.chainWork()) < 0) {
            return;
        }
        if (tip != null && tip.chainWork().compareTo(lastPreciousWork) > 0) {
            preciousSequenceId = -1;
        }
        lastPreciousWork = tip == null ? BigInteger.ZERO : tip.chainWork();
        candidates.remove(index);
        index.setSequenceId(preciousSequenceId);
        if (preciousSequenceId > Long.MIN_VALUE) {
            preciousSequenceId--;
        }
        if (isCandidateMaterial(index)) {
            candidates.add(index);
            pruneBlockIndexCandidates();
        }
        activateBestChain();
    }

    // ---- verifychain ------------------------------------------------------------------------

    /**
     * Core's VerifyDB over the last {@code depth} blocks of the active chain: level 0 reads each
     * block, 1 runs checkBlock, 2 reads its undo data, 3 disconnects the blocks in a scratch cache
     * (the UTXO set must take them back cleanly), 4 connects them again with every script checked.
     * Nothing is written. Returns the first problem found, or empty.
     */
    Optional<String> verifyChain(int level, int depth) throws StorageException {
        if (tip == null) {
            return Optional.empty();
        }
        CoinsViewCache scratch = new CoinsViewCache(coinsTip);
        List<BlockIndex> checked = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (BlockIndex b = tip; b != null && b.prev() != null && checked.size() < depth; b = b.prev()) {
            if (!BlockStatus.has(b.status(), BlockStatus.HAVE_DATA)) {
                break; // pruned below here
            }
            Block block;
            try {
                block = readBlock(b);
            } catch (ChainstateFailure e) {
                return Optional.of(e.getMessage());
            }
            if (level >= 1) {
                try {
                    BlockChecks.checkBlock(block, params, verifier);
                } catch (ValidationException e) {
                    return Optional.of("block " + b.hash() + " at height " + b.height() + " fails checkBlock: "
                            + e.getMessage());
                }
            }
            Optional<BlockUndo> undo = level >= 2 ? db.getUndo(b.hash()) : Optional.empty();
            if (level >= 2 && undo.isEmpty()) {
                return Optional.of("undo data of block " + b.hash() + " at height " + b.height() + " is missing");
            }
            if (level >= 3 && connector.disconnectBlock(block, b, undo.get(), scratch)
                    != BlockConnector.DisconnectResult.OK) {
                return Optional.of("block " + b.hash() + " at height " + b.height() + " does not disconnect cleanly");
            }
            checked.add(b);
            blocks.add(block);
        }
        if (level >= 4) {
            for (int i = checked.size() - 1; i >= 0; i--) {
                try {
                    connector.connectBlock(blocks.get(i), checked.get(i), scratch, true);
                } catch (ValidationException e) {
                    return Optional.of("block " + checked.get(i).hash() + " fails to reconnect: " + e.getMessage());
                }
            }
        }
        LOG.info("Verified the last {} blocks at level {}", checked.size(), level);
        return Optional.empty();
    }

    // ---- flushing ----------------------------------------------------------------------------

    /**
     * Core's FlushStateToDisk: writes the UTXO cache, the best-block marker and the changed index
     * records in one batch when the cache is over budget (the cache is then emptied), when the
     * periodic interval has passed, or when asked (then fsynced); prunes afterwards if needed.
     */
    void flushStateToDisk(FlushMode mode) throws StorageException {
        long now = System.currentTimeMillis();
        boolean overBudget = coinsTip.dynamicMemoryUsage() > options.coinsCacheBytes();
        boolean periodic = mode != FlushMode.IF_NEEDED && now - lastFlushMillis >= options.periodicFlushMillis();
        boolean pruneNeeded = options.pruneAutomatic() && storedBytes > options.pruneTargetBytes()
                && tip != null && tip.height() > ChainstateOptions.MIN_BLOCKS_TO_KEEP;
        if (!(overBudget || periodic || pruneNeeded || mode == FlushMode.ALWAYS)) {
            return;
        }
        if (tip == null) {
            return;
        }
        long usage = coinsTip.dynamicMemoryUsage();
        int entries = coinsTip.dirtyCount();
        // Roughly what the batch writes (about 100 bytes a coin change) goes to the WAL and later an SST.
        DiskSpace.check(db.path(), 2L * 100 * entries);
        coinsDb.setSyncNextWrite(mode == FlushMode.ALWAYS || periodic);
        if (overBudget) {
            coinsTip.flush();
        } else {
            coinsTip.sync();
        }
        dirty.clear();
        lastFlushMillis = now;
        publishCoinsCache();
        LOG.debug("flushed chain state at height {}: {} changed coins, cache was {} MiB", tip.height(), entries,
                usage / ChainstateOptions.MIB);
        if (pruneNeeded) {
            pruneBelow(tip.height() - ChainstateOptions.MIN_BLOCKS_TO_KEEP, true);
        }
    }

    private void writeDirtyIndex(ChainDb.Batch batch) throws StorageException {
        for (BlockIndex b : dirty) {
            batch.putBlockIndex(record(b));
        }
    }

    private static BlockIndexRecord record(BlockIndex b) {
        return new BlockIndexRecord(b.header(), b.height(), b.chainWork(), b.status(), b.txCount());
    }

    // ---- pruning -----------------------------------------------------------------------------

    private void recordStored(BlockIndex index, long bytes) {
        if (!options.pruneEnabled() || bytes == 0) {
            return;
        }
        storedByHeight.computeIfAbsent(index.height(), h -> new HashMap<>()).merge(index, bytes, Long::sum);
        storedBytes += bytes;
    }

    long storedBlockBytes() {
        return storedBytes;
    }

    /**
     * Deletes the block and undo data of blocks up to {@code height} (never within
     * {@link ChainstateOptions#MIN_BLOCKS_TO_KEEP} of the tip), lowest first; with {@code toTarget}
     * stops once the stored data is under the prune target. The UTXO set was flushed just before,
     * so no deleted block can be needed to catch up after a crash. Returns the highest pruned height.
     */
    int pruneBelow(int height, boolean toTarget) throws StorageException {
        if (!options.pruneEnabled()) {
            throw new IllegalStateException("pruning is not enabled");
        }
        int limit = Math.min(height, tip == null ? -1 : tip.height() - ChainstateOptions.MIN_BLOCKS_TO_KEEP);
        int pruned = -1;
        int count = 0;
        try (ChainDb.Batch batch = db.batch()) {
            while (!storedByHeight.isEmpty() && storedByHeight.firstKey() <= limit
                    && !(toTarget && storedBytes <= options.pruneTargetBytes())) {
                Map.Entry<Integer, Map<BlockIndex, Long>> e = storedByHeight.pollFirstEntry();
                for (Map.Entry<BlockIndex, Long> blk : e.getValue().entrySet()) {
                    BlockIndex b = blk.getKey();
                    batch.deleteBlock(b.hash()).deleteUndo(b.hash());
                    b.setStatus(b.status() & ~BlockStatus.HAVE_MASK);
                    batch.putBlockIndex(record(b));
                    storedBytes -= blk.getValue();
                    count++;
                }
                pruned = e.getKey();
            }
            batch.commit(false);
        }
        if (count > 0) {
            LOG.info("Pruned {} blocks up to height {}; {} MiB of blocks and undo data kept", count, pruned,
                    storedBytes / ChainstateOptions.MIB);
        }
        return pruned;
    }

    // ---- helpers -----------------------------------------------------------------------------

    Block readBlock(BlockIndex index) throws StorageException {
        byte[] raw = db.getBlock(index.hash()).orElseThrow(() -> new ChainstateFailure(
                "block " + index.hash() + " at height " + index.height() + " is not stored"
                        + (options.pruneEnabled() ? " (pruned)" : "")));
        try {
            return Block.deserialize(raw);
        } catch (DecodeException e) {
            throw new ChainstateFailure("stored block " + index.hash() + " is corrupt: " + e.getMessage(), e);
        }
    }

    private void publishView() {
        activeView = ChainView.of(tip);
        publishCoinsCache();
    }

    private void publishCoinsCache() {
        stats.recordCoinsCache(coinsTip.dynamicMemoryUsage(), coinsTip.cacheSize());
    }

    /** Connect times and cache size for monitoring; readable from any thread. */
    ChainstateStats stats() {
        return stats;
    }

    private static int compactSizeLength(int n) {
        return new ByteWriter(9).writeCompactSize(n).toByteArray().length;
    }

    private void logProgress(BlockIndex index, Block block) {
        blocksSinceLog++;
        txsSinceLog += block.transactions().size();
        long now = System.currentTimeMillis();
        if (!isInitialBlockDownload()) {
            return;
        }
        long elapsed = now - lastLogMillis;
        if (elapsed < PROGRESS_LOG_MILLIS) {
            return;
        }
        double secs = elapsed / 1000.0;
        double blocksPerSec = blocksSinceLog / secs;
        double txPerSec = txsSinceLog / secs;
        BlockIndex best = tree.bestHeader();
        int target = best == null ? index.height() : Math.max(best.height(), index.height());
        double fraction = importFraction;
        String progress;
        long etaSecs;
        if (importing && fraction >= 0) {
            // The headers ahead are unknown while importing a file: how much of it is read tells more.
            double perSec = (fraction - lastLoggedFraction) / secs;
            etaSecs = perSec > 0 ? (long) ((1 - fraction) / perSec) : -1;
            lastLoggedFraction = fraction;
            progress = String.format(Locale.ROOT, "height %d (%.1f%% of the file read)", index.height(),
                    fraction * 100);
        } else {
            etaSecs = blocksPerSec > 0 ? (long) ((target - index.height()) / blocksPerSec) : -1;
            progress = String.format(Locale.ROOT, "height %d of %d (%.2f%%)", index.height(), target,
                    target == 0 ? 100.0 : 100.0 * index.height() / target);
        }
        LOG.info(String.format(Locale.ROOT,
                "Synchronizing blockchain: %s, %.1f blocks/s, %.0f tx/s, cache %d MiB, ETA %s", progress,
                blocksPerSec, txPerSec, coinsTip.dynamicMemoryUsage() / ChainstateOptions.MIB,
                etaSecs < 0 ? "unknown" : formatEta(etaSecs)));
        lastLogMillis = now;
        blocksSinceLog = 0;
        txsSinceLog = 0;
    }

    private static String formatEta(long secs) {
        return secs >= 3600 ? String.format("%dh%02dm", secs / 3600, (secs % 3600) / 60)
                : String.format("%dm%02ds", secs / 60, secs % 60);
    }
}
