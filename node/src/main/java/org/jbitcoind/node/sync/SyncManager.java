package org.jbitcoind.node.sync;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.BlockProcessResult;
import org.jbitcoind.chain.state.ChainListener;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.HeadersResult;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.tasks.OwnerThread;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain-sync manager (btcd's netsync, Core's block download in net_processing): headers-first
 * initial block download from several peers in parallel inside a moving window, the classic
 * getblocks/inv/getdata exchange both ways, announcements of new blocks, and serving headers and
 * blocks to peers.
 *
 * <p>Threading: every piece of sync state lives on one thread, "sync". The P2P dispatcher hands
 * messages over without waiting; blocks go to the chain thread through
 * {@link ChainstateManager#submitBlock} and their results come back to "sync" as tasks, so block
 * validation overlaps with downloading. Headers are processed with the blocking
 * {@link ChainstateManager#processNewBlockHeaders}, which is allowed here because "sync" is not a
 * Netty thread. Chain events ({@link ChainListener}) are likewise re-posted to "sync".
 *
 * <p>Misbehaviour is reported through {@link Peer#misbehaving}; the scores are listed in
 * docs/p2p.md ("Misbehaviour").
 */
public final class SyncManager implements MessageHandler, ChainListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncManager.class);
    /** How long a caller waits for an answer from "sync". */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** An invalid block or header: the peer is discouraged at once (Core). */
    static final int SCORE_INVALID = 100;
    /** Headers that are not a chain (each one's parent the one before it). */
    static final int SCORE_NON_CONTINUOUS = 20;
    /** Every tenth headers message that does not connect to our block index (Core 24). */
    static final int SCORE_UNCONNECTING = 20;
    static final int MAX_UNCONNECTING_HEADERS = 10;
    /** Core's MAX_BLOCKS_TO_ANNOUNCE: more new blocks than this are announced by an inv of the tip. */
    static final int MAX_BLOCKS_TO_ANNOUNCE = 8;
    /** BIP159: a NODE_NETWORK_LIMITED peer serves at least the last 288 blocks. */
    static final int LIMITED_PEER_DEPTH = 288;
    /** Senders remembered for blocks whose invalidity may show only when they are connected. */
    static final int MAX_REMEMBERED_SOURCES = 4096;

    private final ChainstateManager chain;
    private final SyncConfig config;
    private final RequestServer server;
    private final LightClientServer lightClients;
    private final BigInteger minimumChainWork;
    private final ScheduledExecutorService thread;
    /** Written on "sync" only; concurrent so that transaction relay can read a peer's BIP37 state. */
    private final Map<Long, PeerSync> peers = new ConcurrentHashMap<>();
    /** Every requested block and the peer it was asked from. */
    private final Map<Hash256, PeerSync> inFlight = new HashMap<>();
    /** Blocks received and handed to the chain thread, not yet decided: not to be requested again. */
    private final Set<Hash256> validating = new HashSet<>();
    /** Peer id of the sender of each recently received block (bounded), to blame for late-found invalidity. */
    private final Map<Hash256, Long> blockSource = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash256, Long> eldest) {
            return size() > MAX_REMEMBERED_SOURCES;
        }
    };
    private long lastProgressNanos = System.nanoTime();
    private int heightAtLastProgress;
    private volatile boolean closed;

    public SyncManager(ChainstateManager chain, SyncConfig config) {
        this(chain, config, LightClientServing.off(chain));
    }

    /** A sync manager that also serves light clients as {@code serving} says (BIP37, BIP157). */
    public SyncManager(ChainstateManager chain, SyncConfig config, LightClientServing serving) {
        this.chain = chain;
        this.config = config;
        this.lightClients = new LightClientServer(serving);
        this.server = new RequestServer(chain, lightClients);
        this.minimumChainWork = chain.options().minimumChainWork();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync");
            t.setDaemon(true);
            return t;
        });
        long tick = config.tickInterval().toMillis();
        thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        this.heightAtLastProgress = chain.activeChain().height();
        chain.addListener(this);
    }

    /** Height of our active chain, for the version message; never waits. */
    public int bestHeight() {
        return Math.max(0, chain.activeChain().height());
    }

    /** Blocks requested and not yet received, over all peers (getpeerinfo's inflight, summed). */
    public int blocksInFlight() {
        return call(inFlight::size, 0);
    }

    /** Stats of one peer's sync state, for getpeerinfo (empty when unknown). */
    public Optional<PeerSyncStats> peerStats(long peerId) {
        return call(() -> {
            PeerSync p = peers.get(peerId);
            if (p == null) {
                return Optional.<PeerSyncStats>empty();
            }
            int height = p.bestKnown == null ? -1 : p.bestKnown.height();
            List<Integer> heights = new ArrayList<>();
            for (Hash256 h : p.inFlight.keySet()) {
                chain.getBlockIndex(h).ifPresent(i -> heights.add(i.height()));
            }
            return Optional.of(new PeerSyncStats(height, List.copyOf(heights), p.getblocksMode));
        }, Optional.empty());
    }

    /**
     * Core's m_relay_txs for transaction relay: the version's relay flag, turned on by a BIP37
     * filterload or filterclear. Any thread.
     */
    public boolean relaysTransactions(Peer peer) {
        PeerSync p = peers.get(peer.id());
        return p != null ? p.relayTxs : peer.remoteVersion().map(VersionMessage::relay).orElse(true);
    }

    /**
     * Whether {@code tx} may be announced to {@code peer}: its relay flag and, when it loaded one,
     * its BIP37 filter (a match updates the filter, so ask once per transaction). Any thread.
     */
    public boolean wantsTransaction(Peer peer, Transaction tx) {
        PeerSync p = peers.get(peer.id());
        return p != null ? p.wantsTransaction(tx) : relaysTransactions(peer);
    }

    // ---- MessageHandler: called on p2p-dispatch, handed to "sync" ------------------------------

    @Override
    public void onPeerConnected(Peer peer) {
        post(() -> connected(peer));
    }

    @Override
    public void onMessage(Peer peer, Message message) {
        // Waits until "sync" has handled it: the dispatcher's per-peer backlog (and with it the
        // pause of reading from a flooding peer) then bounds what we hold in memory.
        if (closed) {
            return;
        }
        try {
            OwnerThread.awaitWhileOpen(thread.submit(() -> {
                PeerSync p = peers.get(peer.id());
                if (p != null && !peer.isDisconnecting()) {
                    handle(p, message);
                }
                return null;
            }), () -> !closed, LOG, "sync task");
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void onPeerDisconnected(Peer peer) {
        post(() -> disconnected(peer));
    }

    // ---- ChainListener: called on the chain thread, handed to "sync" ---------------------------

    @Override
    public void newTip(BlockIndex tip, BlockIndex fork, boolean initialDownload) {
        post(() -> {
            if (!initialDownload) {
                announce(tip, fork);
            }
            requestBlocks();
        });
    }

    @Override
    public void blockInvalid(BlockIndex index, String rejectReason) {
        post(() -> {
            Long source = blockSource.remove(index.hash());
            PeerSync p = source == null ? null : peers.get(source);
            if (p != null) {
                punishInvalidBlock(p, index.hash(), rejectReason);
            }
        });
    }

    // ---- on the sync thread ---------------------------------------------------------------------

    private void connected(Peer peer) {
        if (peer.type() == ConnectionType.FEELER || peer.type() == ConnectionType.ADDR_FETCH) {
            return;
        }
        PeerSync p = new PeerSync(peer);
        peers.put(peer.id(), p);
        if (p.servesBlocks()) {
            // From the parent of our best header (Core): even a peer on exactly our chain then
            // answers with one header, and we learn how far it is.
            BlockIndex best = chain.bestHeader();
            sendGetHeaders(p, best != null && best.prev() != null ? best.prev() : best, Hash256.ZERO);
        }
    }

    private void disconnected(Peer peer) {
        PeerSync p = peers.remove(peer.id());
        if (p == null) {
            return;
        }
        for (Hash256 h : p.inFlight.keySet()) {
            inFlight.remove(h);
        }
        p.inFlight.clear();
        requestBlocks();
    }

    private void handle(PeerSync p, Message message) {
        if (lightClients.handle(p, message)) {
            return;
        }
        if (message instanceof HeadersMessage m) {
            onHeaders(p, m.headers());
        } else if (message instanceof BlockMessage m) {
            onBlock(p, m.block());
        } else if (message instanceof InventoryMessage m) {
            switch (m.kind()) {
                case INV -> onInv(p, m.items());
                case GETDATA -> {
                    if (server.getData(p, m)) {
                        resumeGetDataWhenWritable(p);
                    }
                }
                case NOTFOUND -> onNotFound(p, m.items());
            }
        } else if (message instanceof LocatorMessage m) {
            if (m.kind() == LocatorMessage.Kind.GETHEADERS) {
                server.getHeaders(p, m);
            } else {
                server.getBlocks(p, m);
            }
        }
    }

    /** The rest of a paused getdata is answered once the peer has read enough of what we sent (Core's fPauseSend). */
    private void resumeGetDataWhenWritable(PeerSync p) {
        p.peer.whenWritable(() -> post(() -> {
            if (peers.get(p.peer.id()) == p && server.serveGetData(p)) {
                resumeGetDataWhenWritable(p);
            }
        }));
    }

    private void sendGetHeaders(PeerSync p, BlockIndex from, Hash256 stop) {
        p.headersRequestedAt = System.nanoTime();
        p.peer.send(new LocatorMessage(LocatorMessage.Kind.GETHEADERS, ProtocolVersions.PROTOCOL_VERSION,
                ChainView.locator(from), stop));
    }

    private void onHeaders(PeerSync p, List<BlockHeader> headers) {
        p.headersRequestedAt = 0;
        p.answersHeaders = true;
        p.getblocksMode = false;
        if (headers.isEmpty()) {
            return;
        }
        for (int i = 1; i < headers.size(); i++) {
            if (!headers.get(i).prevBlock().equals(headers.get(i - 1).hash())) {
                p.peer.misbehaving(SCORE_NON_CONTINUOUS, "non-continuous headers sequence");
                return;
            }
        }
        if (p.presync != null && p.presync.continuesPresync(headers)) {
            presyncStep(p, p.presync.presync(headers, HeadersMessage.MAX_HEADERS));
            return;
        }
        if (chain.getBlockIndex(headers.get(0).prevBlock()).isEmpty()) {
            if (p.extendsDroppedLowWorkChain(headers)) {
                // It extends a low-work chain we chose not to store: not the peer's fault.
                sendGetHeaders(p, chain.bestHeader(), Hash256.ZERO);
                return;
            }
            // A new block announced on a branch we have not seen: ask for the way there (Core).
            p.unconnectingHeaders++;
            if (p.unconnectingHeaders % MAX_UNCONNECTING_HEADERS == 0) {
                p.peer.misbehaving(SCORE_UNCONNECTING, p.unconnectingHeaders + " headers messages that do not connect");
            }
            sendGetHeaders(p, chain.bestHeader(), Hash256.ZERO);
            return;
        }
        p.unconnectingHeaders = 0;
        if (heldBackAsLowWork(p, headers)) {
            return;
        }
        HeadersResult r = chain.processNewBlockHeaders(headers);
        if (p.presync != null && p.presync.redownloadComplete()) {
            p.presync = null;
        }
        if (r.last() != null) {
            updateBestKnown(p, r.last());
        }
        if (r.status() == HeadersResult.Status.INVALID) {
            if (!"time-too-new".equals(r.rejectReason())) {
                p.peer.misbehaving(SCORE_INVALID, "invalid header: " + r.rejectReason());
            }
            return;
        }
        if (headers.size() == HeadersMessage.MAX_HEADERS && r.last() != null) {
            sendGetHeaders(p, r.last(), Hash256.ZERO);
        } else if (lowWork(p) && chain.isInitialBlockDownload() && p.peer.type() == ConnectionType.OUTBOUND_FULL_RELAY) {
            p.peer.disconnect("headers chain has less work than -minimumchainwork");
            return;
        }
        requestBlocks();
    }

    /**
     * Core's anti-DoS rule for headers: a chain that would end below the threshold is not stored
     * but presynced ({@link HeadersPresync}). Returns whether the headers were taken by presync.
     */
    private boolean startsLowWorkChain(PeerSync p, List<BlockHeader> headers) {
        if (chain.getBlockIndex(headers.get(headers.size() - 1).hash()).isPresent()) {
            return false; // nothing new: storing it costs nothing
        }
        BlockIndex parent = chain.getBlockIndex(headers.get(0).prevBlock()).orElseThrow();
        if (p.presync != null && p.presync.phase() == HeadersPresync.Phase.REDOWNLOAD) {
            LOG.debug("Peer {}: ignoring headers off the chain being redownloaded", p.peer.id());
            return true;
        }
        BigInteger claimed = parent.chainWork();
        for (BlockHeader h : headers) {
            claimed = claimed.add(BlockIndex.blockProof(h.bits()));
        }
        BigInteger threshold = antiDosWorkThreshold();
        if (claimed.compareTo(threshold) >= 0) {
            return false;
        }
        p.presync = new HeadersPresync(chain.params(), parent, threshold, System.currentTimeMillis() / 1000);
        presyncStep(p, p.presync.presync(headers, HeadersMessage.MAX_HEADERS));
        return true;
    }

    /** Core's GetAntiDoSWorkThreshold: the larger of -minimumchainwork and our tip's work less 144 blocks' worth. */
    private BigInteger antiDosWorkThreshold() {
        BlockIndex tip = chain.activeChain().tip();
        BigInteger nearTip = BigInteger.ZERO;
        if (tip != null) {
            BigInteger day = BlockIndex.blockProof(tip.bits()).multiply(BigInteger.valueOf(144));
            nearTip = tip.chainWork().subtract(day.min(tip.chainWork()));
        }
        return nearTip.max(minimumChainWork);
    }

    /**
     * Whether connecting headers must not be stored: a batch in redownload other than the one
     * presync vouched for (the presync is abandoned, as Core does, without punishment: the peer
     * may have reorganised), or a chain below the anti-DoS threshold.
     */
    private boolean heldBackAsLowWork(PeerSync p, List<BlockHeader> headers) {
        HeadersPresync s = p.presync;
        if (s != null && s.phase() == HeadersPresync.Phase.REDOWNLOAD) {
            if (s.matchesNextBatch(headers)) {
                return false;
            }
            if (s.expectsNext(headers)) {
                p.presync = null;
                LOG.debug("Peer {}: redownloaded headers differ from presync; presync abandoned", p.peer.id());
                return true;
            }
        }
        return startsLowWorkChain(p, headers);
    }

    private void presyncStep(PeerSync p, HeadersPresync.Step step) {
        HeadersPresync s = p.presync;
        if (step instanceof HeadersPresync.Step.Continue c) {
            List<Hash256> locator = new ArrayList<>();
            locator.add(c.last());
            locator.addAll(ChainView.locator(s.forkPoint()));
            p.headersRequestedAt = System.nanoTime();
            p.peer.send(new LocatorMessage(LocatorMessage.Kind.GETHEADERS, ProtocolVersions.PROTOCOL_VERSION,
                    locator, Hash256.ZERO));
        } else if (step instanceof HeadersPresync.Step.Redownload r) {
            LOG.debug("Peer {}: headers presync reached the work threshold; redownloading", p.peer.id());
            sendGetHeaders(p, r.forkPoint(), Hash256.ZERO);
        } else if (step instanceof HeadersPresync.Step.LowWork l) {
            p.presync = null;
            p.droppedLowWorkChain(l.last());
            LOG.debug("Peer {}: ignoring low-work chain of {} headers", p.peer.id(), l.headers());
            if (chain.isInitialBlockDownload() && p.peer.type() == ConnectionType.OUTBOUND_FULL_RELAY) {
                p.peer.disconnect("headers chain has less work than -minimumchainwork");
            }
        } else if (step instanceof HeadersPresync.Step.Invalid i) {
            p.presync = null;
            p.peer.misbehaving(SCORE_INVALID, "invalid header: " + i.reason());
        } else if (step instanceof HeadersPresync.Step.TooLong t) {
            p.presync = null;
            LOG.debug("Peer {}: headers presync abandoned after {} headers", p.peer.id(), t.headers());
        }
    }

    private boolean lowWork(PeerSync p) {
        return p.bestKnown == null || p.bestKnown.chainWork().compareTo(minimumChainWork) < 0;
    }

    private void updateBestKnown(PeerSync p, BlockIndex index) {
        if (p.bestKnown == null || index.chainWork().compareTo(p.bestKnown.chainWork()) > 0) {
            p.bestKnown = index;
        }
    }

    private void onInv(PeerSync p, List<InvItem> items) {
        List<Hash256> unknown = new ArrayList<>();
        for (InvItem item : items) {
            if (item.baseType() != InvItem.MSG_BLOCK) {
                continue;
            }
            var known = chain.getBlockIndex(item.hash());
            if (known.isPresent()) {
                updateBestKnown(p, known.get());
                if (chain.haveBlockData(known.get())) {
                    continue;
                }
            }
            unknown.add(item.hash());
        }
        if (unknown.isEmpty()) {
            requestBlocks();
            return;
        }
        if (p.getblocksMode) {
            invInGetblocksMode(p, unknown);
        } else {
            // Headers first: ask for the headers up to the last announced block (Core).
            sendGetHeaders(p, chain.bestHeader(), unknown.get(unknown.size() - 1));
        }
    }

    /**
     * A peer that does not speak headers: fetch the announced blocks directly. A lone unknown hash
     * is its tip (hashContinue or a new block) whose parents we may lack: ask with getblocks first.
     */
    private void invInGetblocksMode(PeerSync p, List<Hash256> unknown) {
        List<InvItem> want = new ArrayList<>();
        for (Hash256 h : unknown) {
            if (!inFlight.containsKey(h) && !validating.contains(h)) {
                want.add(new InvItem(InvItem.MSG_WITNESS_BLOCK, h));
            }
        }
        if (want.isEmpty()) {
            return;
        }
        if (want.size() == 1 && p.inFlight.isEmpty() && chain.getBlockIndex(want.get(0).hash()).isEmpty()) {
            // Unless our getblocks is still unanswered (its inv will bring the batch), ask for the way there.
            if (p.getblocksSentAt == 0 || System.nanoTime() - p.getblocksSentAt > config.headersTimeout().toNanos()) {
                sendGetBlocks(p);
            }
            return;
        }
        p.getblocksSentAt = 0;
        long now = System.nanoTime();
        for (InvItem i : want) {
            p.inFlight.put(i.hash(), now);
            inFlight.put(i.hash(), p);
        }
        p.lastRequestedInBatch = want.get(want.size() - 1).hash();
        p.peer.send(InventoryMessage.getData(want));
    }

    private void sendGetBlocks(PeerSync p) {
        p.getblocksSentAt = System.nanoTime();
        List<Hash256> locator = new ArrayList<>();
        if (p.lastRequestedInBatch != null) {
            locator.add(p.lastRequestedInBatch);
        }
        locator.addAll(chain.activeChain().locator());
        if (locator.size() > LocatorMessage.MAX_LOCATOR_SIZE) {
            locator = locator.subList(0, LocatorMessage.MAX_LOCATOR_SIZE);
        }
        p.peer.send(new LocatorMessage(LocatorMessage.Kind.GETBLOCKS, ProtocolVersions.PROTOCOL_VERSION,
                locator, Hash256.ZERO));
    }

    private void onNotFound(PeerSync p, List<InvItem> items) {
        for (InvItem item : items) {
            if (item.baseType() == InvItem.MSG_BLOCK && p.inFlight.remove(item.hash()) != null) {
                inFlight.remove(item.hash());
            }
        }
        requestBlocks();
    }

    private void onBlock(PeerSync p, Block block) {
        Hash256 hash = block.hash();
        PeerSync from = inFlight.remove(hash);
        if (from != null) {
            from.inFlight.remove(hash);
        }
        if (!validating.add(hash)) {
            return;
        }
        rememberSource(hash, p);
        if (from == null) {
            // Unrequested (a peer pushing a new block): the chain state stores it only if it could
            // soon be our tip (Core's anti-DoS rule for unrequested blocks).
            BlockProcessResult r;
            try {
                r = chain.processNewBlock(block, false);
            } catch (RuntimeException e) {
                blockDone(p, hash, null, e);
                return;
            }
            blockDone(p, hash, r, null);
            return;
        }
        p.validating.incrementAndGet();
        var result = chain.submitBlock(block).whenComplete((r, error) -> {
            p.validating.decrementAndGet();
            post(() -> blockDone(p, hash, r, error));
        });
        Deque<Future<?>> pending = p.validationResults;
        pending.add(result);
        while (!pending.isEmpty() && pending.peek().isDone()) {
            pending.poll();
        }
        // More of this peer's blocks wait for validation than it could have been asked for: stop
        // reading from it until the oldest is done. Waiting for the oldest rather than this one
        // keeps the chain thread's queue full instead of letting it run dry before each refill.
        while (p.validating.get() > 2 * config.maxInFlightPerPeer() && !pending.isEmpty() && !closed) {
            OwnerThread.awaitWhileOpen(pending.poll(), () -> !closed, LOG, "block validation");
        }
        if (p.getblocksMode && p.inFlight.isEmpty() && hash.equals(p.lastRequestedInBatch)) {
            sendGetBlocks(p);
        }
        requestBlocks();
    }

    private void blockDone(PeerSync p, Hash256 hash, BlockProcessResult r, Throwable error) {
        validating.remove(hash);
        if (error != null) {
            LOG.error("Block {} from peer {} could not be processed: {}", hash, p.peer.id(), error.getMessage());
            return;
        }
        switch (r.status()) {
            case ACCEPTED -> {
                p.peer.markNovelBlock();
                chain.getBlockIndex(hash).ifPresent(i -> updateBestKnown(p, i));
            }
            case DUPLICATE -> {
            }
            case INVALID -> {
                blockSource.remove(hash);
                punishInvalidBlock(p, hash, r.rejectReason());
            }
            case MISSING_PARENT -> {
                if (!p.getblocksMode) {
                    sendGetHeaders(p, chain.bestHeader(), hash);
                }
            }
        }
        requestBlocks();
    }

    private void punishInvalidBlock(PeerSync p, Hash256 hash, String reason) {
        if (!"time-too-new".equals(reason)) {
            p.peer.misbehaving(SCORE_INVALID, "invalid block " + hash + ": " + reason);
        }
    }

    /** Who sent a recent block, so a rule it breaks when connected later still reaches that peer. */
    private void rememberSource(Hash256 hash, PeerSync p) {
        blockSource.put(hash, p.peer.id());
    }

    /** Hands out block requests to every peer with free slots, each taking the next blocks of the window. */
    private void requestBlocks() {
        ChainView active = chain.activeChain();
        for (PeerSync p : peers.values()) {
            int free = config.maxInFlightPerPeer() - p.inFlight.size();
            if (free <= 0 || p.getblocksMode || p.peer.isDisconnecting() || !p.servesBlocks()) {
                continue;
            }
            List<BlockIndex> next = nextBlocks(p, active, free);
            if (next.isEmpty()) {
                continue;
            }
            List<InvItem> items = new ArrayList<>(next.size());
            long now = System.nanoTime();
            for (BlockIndex b : next) {
                items.add(new InvItem(InvItem.MSG_WITNESS_BLOCK, b.hash()));
                p.inFlight.put(b.hash(), now);
                inFlight.put(b.hash(), p);
            }
            p.peer.send(InventoryMessage.getData(items));
        }
    }

    /**
     * Core's FindNextBlocksToDownload: blocks of the peer's best chain that we lack, from where
     * it leaves our active chain up to the end of the window, not already requested or being
     * validated. Nothing for a chain with less work than ours or than -minimumchainwork.
     */
    private List<BlockIndex> nextBlocks(PeerSync p, ChainView active, int max) {
        BlockIndex best = p.bestKnown;
        if (best == null || active.tip() == null || best.chainWork().compareTo(active.tip().chainWork()) <= 0
                || lowWork(p)) {
            return List.of();
        }
        BlockIndex fork = active.findFork(best);
        int from = fork == null ? 0 : fork.height() + 1;
        int to = Math.min(best.height(), active.height() + config.window());
        if (p.limited()) {
            from = Math.max(from, best.height() - LIMITED_PEER_DEPTH + 1);
        }
        List<BlockIndex> out = new ArrayList<>(max);
        for (int h = from; h <= to && out.size() < max; h++) {
            BlockIndex b = best.getAncestor(h);
            if (chain.haveBlockData(b) || inFlight.containsKey(b.hash()) || validating.contains(b.hash())) {
                continue;
            }
            out.add(b);
        }
        return out;
    }

    /** New tip after initial download: headers to peers that asked for them (BIP130), else an inv of the tip. */
    private void announce(BlockIndex tip, BlockIndex fork) {
        List<BlockHeader> headers = new ArrayList<>();
        for (BlockIndex b = tip; b != null && b != fork && headers.size() <= MAX_BLOCKS_TO_ANNOUNCE; b = b.prev()) {
            headers.add(0, b.header());
        }
        for (PeerSync p : peers.values()) {
            if (p.peer.isDisconnecting() || tip.hash().equals(p.lastAnnounced) || knows(p, tip)) {
                continue;
            }
            p.lastAnnounced = tip.hash();
            if (p.peer.features().sendHeaders() && headers.size() <= MAX_BLOCKS_TO_ANNOUNCE) {
                p.peer.send(new HeadersMessage(headers));
            } else {
                p.peer.send(InventoryMessage.inv(List.of(new InvItem(InvItem.MSG_BLOCK, tip.hash()))));
            }
        }
    }

    private static boolean knows(PeerSync p, BlockIndex block) {
        return p.bestKnown != null && p.bestKnown.height() >= block.height()
                && p.bestKnown.getAncestor(block.height()) == block;
    }

    /** Timers: unanswered getheaders, stalling and late blocks, and the progress line. */
    private void tick() {
        try {
            long now = System.nanoTime();
            for (PeerSync p : peers.values()) {
                checkHeadersTimeout(p, now);
                checkBlockTimeout(p, now);
            }
            checkStall(now);
            requestBlocks();
            logProgress(now);
        } catch (RuntimeException e) {
            LOG.error("sync timer failed", e);
        }
    }

    private void checkHeadersTimeout(PeerSync p, long now) {
        if (p.headersRequestedAt == 0 || p.answersHeaders || p.getblocksMode
                || now - p.headersRequestedAt < config.headersTimeout().toNanos()) {
            return;
        }
        p.headersRequestedAt = 0;
        if (p.peer.startHeight() > chain.activeChain().height()) {
            LOG.info("Peer {} does not answer getheaders; syncing from it with getblocks", p.peer.id());
            p.getblocksMode = true;
            sendGetBlocks(p);
        }
    }

    private void checkBlockTimeout(PeerSync p, long now) {
        Iterator<Long> times = p.inFlight.values().iterator();
        if (times.hasNext() && now - times.next() > config.blockTimeout().toNanos()) {
            p.peer.disconnect("block download timeout");
        }
    }

    /**
     * The next block the active chain needs is outstanding at one peer for longer than the stall
     * timeout while another peer, which has that block and free slots, has nothing left to fetch:
     * the slow peer holds everybody up and is dropped, which frees its blocks for the others.
     */
    private void checkStall(long now) {
        BlockIndex best = chain.bestHeader();
        ChainView active = chain.activeChain();
        if (best == null || active.tip() == null || best.height() <= active.height()) {
            return;
        }
        BlockIndex fork = active.findFork(best);
        BlockIndex needed = best.getAncestor(fork.height() + 1);
        PeerSync holder = inFlight.get(needed.hash());
        if (holder == null || now - holder.inFlight.get(needed.hash()) < config.stallTimeout().toNanos()) {
            return;
        }
        for (PeerSync other : peers.values()) {
            if (other != holder && other.servesBlocks() && !other.peer.isDisconnecting() && knows(other, needed)
                    && other.inFlight.size() < config.maxInFlightPerPeer()
                    && nextBlocks(other, active, 1).isEmpty()) {
                LOG.info("Peer {} is stalling block download at height {}; disconnecting it", holder.peer.id(),
                        needed.height());
                holder.peer.disconnect("stalling block download");
                return;
            }
        }
    }

    private void logProgress(long now) {
        if (now - lastProgressNanos < config.progressInterval().toNanos() || !chain.isInitialBlockDownload()) {
            return;
        }
        int height = chain.activeChain().height();
        BlockIndex best = chain.bestHeader();
        if (best == null || best.height() <= height) {
            lastProgressNanos = now;
            heightAtLastProgress = height;
            return;
        }
        double secs = (now - lastProgressNanos) / 1e9;
        double rate = (height - heightAtLastProgress) / secs;
        LOG.info(String.format(Locale.ROOT,
                "Block download: height %d of %d headers (%.1f%%), %.1f blocks/s, %d peers, %d blocks in flight",
                height, best.height(), 100.0 * height / best.height(), rate, peers.size(), inFlight.size()));
        lastProgressNanos = now;
        heightAtLastProgress = height;
    }

    private void post(Runnable task) {
        if (!closed) {
            OwnerThread.post(thread, task, LOG, "sync task");
        }
    }

    private <T> T call(Callable<T> c, T whenClosed) {
        if (closed) {
            return whenClosed;
        }
        Future<T> f;
        try {
            f = thread.submit(c);
        } catch (RejectedExecutionException e) {
            return whenClosed;
        }
        return OwnerThread.getOr(f, CALL_TIMEOUT, whenClosed, LOG, "sync task");
    }

    @Override
    public void close() {
        closed = true;
        chain.removeListener(this);
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
