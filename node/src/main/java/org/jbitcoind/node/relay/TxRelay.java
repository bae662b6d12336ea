package org.jbitcoind.node.relay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jbitcoind.chain.mempool.AcceptResult;
import org.jbitcoind.chain.mempool.FeeRate;
import org.jbitcoind.chain.mempool.OrphanPool;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.FeeFilterMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transaction relay (Core's transaction parts of net_processing): announcing pooled transactions
 * to peers on Poisson timers, fetching announced transactions one peer at a time, accepting them
 * into the mempool, holding orphans until their parents arrive, and serving getdata and BIP35
 * mempool requests.
 *
 * <p>Rules, with where they come from:
 * <ul>
 * <li>Announcements wait in a per-peer queue and go out in a batch when the peer's timer fires:
 *     each outbound peer has its own timer (mean {@link RelayConfig#outboundInterval()}), all
 *     inbound peers share one slower timer, so the origin of a transaction is hidden (Core).</li>
 * <li>A peer is never told of what it knows (it announced or sent it, or we told it) and never of a
 *     transaction below its BIP133 feefilter. Block-relay-only connections and peers that asked for
 *     no transactions (version relay=false, no BIP37 filter) get no tx inv; a peer with a BIP37
 *     filter only gets matching transactions.</li>
 * <li>With BIP339 negotiated, announcements and requests use wtxids (MSG_WTX); otherwise txids.</li>
 * <li>getdata for a transaction is served from the mempool if we announced it to that peer or it
 *     has been pooled for 2 minutes (Core).</li>
 * <li>Incoming invs and transactions are refused on block-relay-only connections and in
 *     -blocksonly mode: the peer is disconnected, as Core does.</li>
 * <li>A transaction breaking a consensus rule scores 100 misbehaviour; a policy rejection none.</li>
 * </ul>
 *
 * <p>Threading: not thread-safe. Every method runs on one thread (the "txrelay" thread of
 * {@link TxRelayHandler}); times come from the injected clock in nanoseconds.
 */
public final class TxRelay {
    private static final Logger LOG = LoggerFactory.getLogger(TxRelay.class);
    /** Core: a consensus-invalid transaction discourages its sender at once. */
    static final int SCORE_INVALID_TX = 100;
    /** Core's AVG_FEEFILTER_BROADCAST_INTERVAL: mean time between feefilter updates to a peer. */
    static final long FEEFILTER_INTERVAL_NANOS = 10 * 60 * 1_000_000_000L;
    /** Core's MAX_FEEFILTER_CHANGE_DELAY: a large change of our minimum fee is sent within this. */
    static final long FEEFILTER_MAX_CHANGE_DELAY_NANOS = 5 * 60 * 1_000_000_000L;
    /** The feefilter sent during initial block download (Core: MAX_MONEY): send us no transactions yet. */
    static final long MAX_FEEFILTER = 21_000_000L * 100_000_000L;
    /** Core's ReattemptInitialBroadcast: unbroadcast transactions are queued again every 10 to 15 minutes. */
    static final long REBROADCAST_MIN_NANOS = 10 * 60 * 1_000_000_000L;
    static final long REBROADCAST_SPREAD_NANOS = 5 * 60 * 1_000_000_000L;
    /** Core's UNCONDITIONAL_RELAY_DELAY: a transaction pooled this long may be served to any peer. */
    static final long UNCONDITIONAL_RELAY_DELAY_SECONDS = 2 * 60;
    /** Orphans are swept for expiry at most this often. */
    private static final long ORPHAN_SWEEP_NANOS = 60_000_000_000L;

    private final RelayConfig config;
    private final RelayMempool mempool;
    private final OrphanPool orphans;
    private final BooleanSupplier initialDownload;
    private final Supplier<Hash256> tip;
    private final boolean acceptTransactions;
    private final boolean bloomAllowed;
    private final LongSupplier clock;
    private final LongSupplier wallClock;
    private final Random random;
    private final PoissonTimer timer;
    private final TxRequestTracker requests;
    private final Map<Long, PeerState> peers = new HashMap<>();
    private final RollingHashSet recentRejects = new RollingHashSet(RelayConfig.RECENT_REJECTS);
    private Hash256 rejectsTip;
    private long nextInboundInv;
    private long nextOrphanSweep;
    private long nextRebroadcast;

    /**
     * @param acceptTransactions false in -blocksonly mode: transactions from peers are not requested
     *                           nor accepted (our own still go out)
     * @param bloomAllowed       -peerbloomfilters: the BIP35 mempool message is answered, otherwise
     *                           its sender is disconnected
     */
    public TxRelay(RelayConfig config, RelayMempool mempool, OrphanPool orphans, BooleanSupplier initialDownload,
            Supplier<Hash256> tip, boolean acceptTransactions, boolean bloomAllowed, LongSupplier clockNanos,
            LongSupplier wallClockSeconds, Random random) {
        this.config = Objects.requireNonNull(config, "config");
        this.mempool = Objects.requireNonNull(mempool, "mempool");
        this.orphans = Objects.requireNonNull(orphans, "orphans");
        this.initialDownload = initialDownload;
        this.tip = tip;
        this.acceptTransactions = acceptTransactions;
        this.bloomAllowed = bloomAllowed;
        this.clock = clockNanos;
        this.wallClock = wallClockSeconds;
        this.random = random;
        this.timer = new PoissonTimer(random);
        this.requests = new TxRequestTracker(config.requestTimeout().toNanos(), config.nonPreferredDelay().toNanos(),
                RelayConfig.MAX_PEER_ANNOUNCEMENTS, RelayConfig.MAX_PEER_IN_FLIGHT);
        long now = clock.getAsLong();
        this.nextInboundInv = now;
        this.nextOrphanSweep = now + ORPHAN_SWEEP_NANOS;
        this.nextRebroadcast = nextRebroadcastTime(now);
    }

    /** What relay keeps per peer (Core's TxRelay struct of a Peer). */
    private static final class PeerState {
        final RelayPeer link;
        /** Txids waiting for the peer's next announcement time (Core's m_tx_inventory_to_send). */
        final Set<Hash256> toSend = new LinkedHashSet<>();
        /** Txids and wtxids the peer has or was told of (Core's m_tx_inventory_known_filter). */
        final RollingHashSet known = new RollingHashSet(RelayConfig.KNOWN_INVENTORY);
        /** What we announced to it: what it may ask for (Core's m_recently_announced_invs). */
        final RollingHashSet announced = new RollingHashSet(RelayConfig.RECENTLY_ANNOUNCED);
        long nextInvSend;
        /** BIP35: answer with our mempool at the next announcement time. */
        boolean sendMempool;
        /** BIP133: the feefilter the peer last got from us, and when it may get the next one. */
        long feeFilterSent;
        long nextFeeFilter;

        PeerState(RelayPeer link) {
            this.link = link;
        }
    }

    // ---- peers ---------------------------------------------------------------------------------

    public void peerConnected(RelayPeer peer) {
        PeerState s = new PeerState(peer);
        long now = clock.getAsLong();
        s.nextInvSend = peer.isInbound() ? now : timer.next(now, config.outboundInterval().toNanos());
        // The P2P layer sent -minrelaytxfee after the handshake; check at once whether it is still right.
        s.feeFilterSent = mempool.minRelayFeeRate();
        s.nextFeeFilter = now;
        peers.put(peer.id(), s);
    }

    public void peerDisconnected(long peerId) {
        if (peers.remove(peerId) == null) {
            return;
        }
        requests.disconnected(peerId);
        // Core: a peer's orphans go with it.
        orphans.eraseForPeer(peerId);
    }

    // ---- announcing ----------------------------------------------------------------------------

    /**
     * A transaction entered the mempool (from a peer, RPC, a resolved orphan): queue it for every
     * peer that takes transactions and does not know it yet.
     */
    public void transactionAdded(Hash256 txid, Hash256 wtxid) {
        for (PeerState s : peers.values()) {
            if (!s.link.txRelayConnection() || !s.link.relayTxs()) {
                continue;
            }
            if (s.known.contains(s.link.wtxidRelay() ? wtxid : txid)) {
                continue;
            }
            s.toSend.add(txid);
        }
    }

    /** Timers: announcements whose time has come, transaction requests, orphan expiry. */
    public void tick() {
        long now = clock.getAsLong();
        boolean inboundDue = now - nextInboundInv >= 0;
        if (inboundDue) {
            nextInboundInv = timer.next(now, config.inboundInterval().toNanos());
        }
        long feeFilter = -1;
        for (PeerState s : peers.values()) {
            sendRequests(s, now);
            if (acceptTransactions && s.link.txRelayConnection() && s.link.acceptsFeeFilter()) {
                if (feeFilter < 0) {
                    feeFilter = initialDownload.getAsBoolean() ? MAX_FEEFILTER : mempool.minFeeRate();
                }
                maybeSendFeeFilter(s, feeFilter, now);
            }
            if (s.link.isInbound()) {
                if (inboundDue) {
                    sendAnnouncements(s);
                }
            } else if (now - s.nextInvSend >= 0) {
                s.nextInvSend = timer.next(now, config.outboundInterval().toNanos());
                sendAnnouncements(s);
            }
        }
        if (now - nextRebroadcast >= 0) {
            nextRebroadcast = nextRebroadcastTime(now);
            rebroadcast();
        }
        if (now - nextOrphanSweep >= 0) {
            nextOrphanSweep = now + ORPHAN_SWEEP_NANOS;
            orphans.expire();
        }
    }

    private long nextRebroadcastTime(long now) {
        return now + REBROADCAST_MIN_NANOS + (long) (random.nextDouble() * REBROADCAST_SPREAD_NANOS);
    }

    /**
     * Our own transactions that no peer has asked for yet (lost announcements, or loaded from
     * mempool.dat before any peer was connected) are announced again (Core).
     */
    private void rebroadcast() {
        for (Hash256 txid : mempool.unbroadcast()) {
            mempool.entry(txid).ifPresent(e -> transactionAdded(txid, e.tx().wtxid()));
        }
    }

    /**
     * BIP133 updates (Core's MaybeSendFeefilter): our minimum fee rate, on a Poisson timer of mean
     * 10 minutes, sooner (within 5 minutes) after a change of more than a third; during initial
     * block download the maximum, so peers send us nothing we would drop. Core also rounds the
     * rate to a coarse random step for privacy; we send it as it is.
     */
    private void maybeSendFeeFilter(PeerState s, long current, long now) {
        if (current != MAX_FEEFILTER && s.feeFilterSent == MAX_FEEFILTER) {
            s.nextFeeFilter = now; // out of initial download: tell the real rate at once
        }
        if (now - s.nextFeeFilter >= 0) {
            if (current != s.feeFilterSent) {
                s.link.send(new FeeFilterMessage(current));
                s.feeFilterSent = current;
            }
            s.nextFeeFilter = timer.next(now, FEEFILTER_INTERVAL_NANOS);
        } else if (s.nextFeeFilter - now > FEEFILTER_MAX_CHANGE_DELAY_NANOS
                && (current < 3 * s.feeFilterSent / 4 || current > 4 * s.feeFilterSent / 3)) {
            s.nextFeeFilter = now + (long) (random.nextDouble() * FEEFILTER_MAX_CHANGE_DELAY_NANOS);
        }
    }

    private void sendAnnouncements(PeerState s) {
        List<InvItem> items = new ArrayList<>();
        if (s.sendMempool) {
            s.sendMempool = false;
            for (RelayMempool.Entry e : mempool.entries()) {
                s.toSend.remove(e.tx().txid());
                offer(s, e, items);
            }
        }
        if (!s.toSend.isEmpty()) {
            // Parents before children (fewer in-pool ancestors first), so the peer sees no orphans.
            List<RelayMempool.Entry> queued = new ArrayList<>(s.toSend.size());
            for (Hash256 txid : s.toSend) {
                mempool.entry(txid).ifPresent(queued::add);
            }
            queued.sort(Comparator.comparingLong(RelayMempool.Entry::ancestorCount));
            int max = Math.min(RelayConfig.BROADCAST_MAX, RelayConfig.BROADCAST_TARGET + s.toSend.size() / 1000 * 5);
            Set<Hash256> sent = new LinkedHashSet<>();
            for (RelayMempool.Entry e : queued) {
                if (sent.size() >= max) {
                    break;
                }
                sent.add(e.tx().txid());
                offer(s, e, items);
            }
            // What went out or left the pool is done; the rest waits for the next turn.
            Iterator<Hash256> it = s.toSend.iterator();
            while (it.hasNext()) {
                Hash256 txid = it.next();
                if (sent.contains(txid) || !mempool.contains(txid)) {
                    it.remove();
                }
            }
        }
        for (int i = 0; i < items.size(); i += InventoryMessage.MAX_ENTRIES) {
            s.link.send(InventoryMessage.inv(items.subList(i, Math.min(items.size(), i + InventoryMessage.MAX_ENTRIES))));
        }
    }

    /** Adds an inv for {@code e} unless the peer knows it, its feefilter excludes it, or it does not want it. */
    private static void offer(PeerState s, RelayMempool.Entry e, List<InvItem> items) {
        Transaction tx = e.tx();
        boolean wtxid = s.link.wtxidRelay();
        Hash256 hash = wtxid ? tx.wtxid() : tx.txid();
        if (s.known.contains(hash)) {
            return;
        }
        long feeFilter = s.link.feeFilter();
        // BIP133: nothing below the rate the peer asked for.
        if (feeFilter > 0 && e.fee() < new FeeRate(feeFilter).fee(e.vsize())) {
            return;
        }
        if (!s.link.wantsTransaction(tx)) {
            return;
        }
        items.add(new InvItem(wtxid ? InvItem.MSG_WTX : InvItem.MSG_TX, hash));
        s.known.add(hash);
        s.announced.add(tx.txid());
        s.announced.add(tx.wtxid());
    }

    private void sendRequests(PeerState s, long now) {
        List<TxRequestTracker.Request> due = requests.requestable(s.link.id(), now);
        if (due.isEmpty()) {
            return;
        }
        List<InvItem> items = new ArrayList<>(due.size());
        for (TxRequestTracker.Request r : due) {
            if (alreadyHave(r.hash(), r.wtxid())) {
                requests.forget(r.hash());
                continue;
            }
            items.add(new InvItem(r.wtxid() ? InvItem.MSG_WTX : InvItem.MSG_WITNESS_TX, r.hash()));
        }
        if (!items.isEmpty()) {
            s.link.send(InventoryMessage.getData(items));
        }
    }

    // ---- messages from peers -------------------------------------------------------------------

    /** The transaction items of an inv. */
    public void onInv(long peerId, List<InvItem> items) {
        PeerState s = peers.get(peerId);
        if (s == null) {
            return;
        }
        long now = clock.getAsLong();
        boolean ibd = initialDownload.getAsBoolean();
        for (InvItem item : items) {
            boolean wtxid = item.type() == InvItem.MSG_WTX;
            if (!wtxid && item.baseType() != InvItem.MSG_TX) {
                continue;
            }
            // BIP339: after wtxidrelay only MSG_WTX counts, before it only MSG_TX.
            if (wtxid != s.link.wtxidRelay()) {
                continue;
            }
            s.known.add(item.hash());
            if (refusesTransactions(s)) {
                s.link.disconnect("transaction inv sent in violation of protocol");
                return;
            }
            if (!ibd && !alreadyHave(item.hash(), wtxid)) {
                requests.received(peerId, item.hash(), wtxid, !s.link.isInbound(), now);
            }
        }
        sendRequests(s, now);
    }

    /** Block-relay-only connections and -blocksonly take no transactions from peers (Core). */
    private boolean refusesTransactions(PeerState s) {
        return !acceptTransactions || !s.link.txRelayConnection();
    }

    /** The transaction items of a notfound: the next announcer gets its turn. */
    public void onNotFound(long peerId, List<InvItem> items) {
        for (InvItem item : items) {
            if (item.baseType() == InvItem.MSG_TX || item.type() == InvItem.MSG_WTX) {
                requests.receivedResponse(peerId, item.hash());
            }
        }
        PeerState s = peers.get(peerId);
        if (s != null) {
            sendRequests(s, clock.getAsLong());
        }
    }

    /**
     * The transaction items of a getdata, served from the mempool if we announced them to this
     * peer, or if they have been pooled for 2 minutes (Core): a transaction never announced to the
     * peer and that recent would tell it that we are where the transaction came from.
     */
    public void onGetData(long peerId, List<InvItem> items) {
        PeerState s = peers.get(peerId);
        if (s == null) {
            return;
        }
        long oldEnough = wallClock.getAsLong() - UNCONDITIONAL_RELAY_DELAY_SECONDS;
        List<InvItem> notFound = new ArrayList<>();
        for (InvItem item : items) {
            Optional<RelayMempool.Entry> entry = item.type() == InvItem.MSG_WTX
                    ? mempool.byWtxid(item.hash()).flatMap(t -> mempool.entry(t.txid()))
                    : mempool.entry(item.hash());
            Optional<Transaction> tx = entry
                    .filter(e -> s.announced.contains(item.hash()) || e.time() <= oldEnough)
                    .map(RelayMempool.Entry::tx);
            if (tx.isEmpty()) {
                notFound.add(item);
                continue;
            }
            s.link.send(new TxMessage(tx.get(), item.type() != InvItem.MSG_TX));
            mempool.requestedByPeer(tx.get().txid());
        }
        if (!notFound.isEmpty()) {
            s.link.send(InventoryMessage.notFound(notFound));
        }
    }

    /** BIP35: the peer asks for an inv of our mempool (only allowed with -peerbloomfilters, as in Core). */
    public void onMempoolRequest(long peerId) {
        PeerState s = peers.get(peerId);
        if (s == null) {
            return;
        }
        if (!bloomAllowed) {
            s.link.disconnect("mempool request with bloom filters disabled");
            return;
        }
        if (s.link.txRelayConnection()) {
            s.sendMempool = true;
        }
    }

    /** A transaction from a peer: into the mempool, or the orphan pool, or rejected. */
    public void onTx(long peerId, Transaction tx) {
        onTx(peerId, tx, null);
    }

    /** {@link #onTx(long, Transaction)} with the result of its script precheck (or null). */
    public void onTx(long peerId, Transaction tx, TxMempool.Precheck precheck) {
        PeerState s = peers.get(peerId);
        if (s == null) {
            return;
        }
        if (refusesTransactions(s)) {
            s.link.disconnect("transaction sent in violation of protocol");
            return;
        }
        Hash256 txid = tx.txid();
        Hash256 wtxid = tx.wtxid();
        s.known.add(txid);
        s.known.add(wtxid);
        requests.receivedResponse(peerId, txid);
        requests.receivedResponse(peerId, wtxid);
        if (alreadyHave(wtxid, true) || alreadyHave(txid, false)) {
            return;
        }
        try {
            AcceptResult r = mempool.accept(tx, precheck);
            LOG.debug("accepted tx {} from peer {} ({} vB, fee {})", txid, peerId, r.vsize(), r.fee());
            s.link.markNovelTransaction();
            requests.forget(txid);
            requests.forget(wtxid);
            resolveOrphans(tx);
        } catch (ValidationException e) {
            if (e.result() == ValidationException.Result.MISSING_INPUTS) {
                onOrphan(s, tx);
                return;
            }
            rejected(tx, peerId, e);
        }
    }

    private void onOrphan(PeerState s, Transaction tx) {
        List<Hash256> parents = OrphanPool.missingParents(tx, mempool::contains);
        for (Hash256 parent : parents) {
            if (recentRejects().contains(parent)) {
                // A parent we rejected: the child can never enter (Core's rejected-parent rule).
                LOG.debug("orphan {} from peer {} spends rejected parent {}", tx.txid(), s.link.id(), parent);
                rememberRejected(tx);
                return;
            }
        }
        if (!orphans.add(tx, s.link.id())) {
            return;
        }
        LOG.debug("orphan {} from peer {}: asking it for {} parent(s)", tx.txid(), s.link.id(), parents.size());
        long now = clock.getAsLong();
        for (Hash256 parent : parents) {
            if (!orphans.contains(parent)) {
                // Parents by txid (the child names them so), from the peer that sent the child, at once.
                requests.received(s.link.id(), parent, false, true, now);
            }
        }
        requests.forget(tx.txid());
        requests.forget(tx.wtxid());
        sendRequests(s, now);
    }

    /**
     * {@code parent} entered the pool: orphans spending it may now enter too (and their own
     * orphans after them), and are relayed like any pooled transaction.
     */
    private void resolveOrphans(Transaction parent) {
        OrphanPool.Resolution r = orphans.processParentAccepted(parent, mempool::accept);
        for (AcceptResult a : r.accepted()) {
            LOG.debug("orphan {} accepted", a.txid());
            requests.forget(a.txid());
            requests.forget(a.wtxid());
        }
        for (OrphanPool.Rejected x : r.rejected()) {
            rejected(x.tx(), x.peer(), x.reason());
        }
    }

    private void rejected(Transaction tx, long peerId, ValidationException e) {
        LOG.debug("tx {} from peer {} rejected: {}", tx.txid(), peerId, e.rejectReason());
        rememberRejected(tx);
        requests.forget(tx.txid());
        requests.forget(tx.wtxid());
        if (e.result() == ValidationException.Result.CONSENSUS) {
            PeerState s = peers.get(peerId);
            if (s != null) {
                s.link.misbehaving(SCORE_INVALID_TX, "invalid transaction " + tx.txid() + ": " + e.rejectReason());
            }
        }
    }

    /**
     * Core keeps the wtxid; the txid only when the transaction has no witness, since another
     * witness for the same txid might be valid.
     */
    private void rememberRejected(Transaction tx) {
        RollingHashSet rejects = recentRejects();
        rejects.add(tx.wtxid());
        if (!tx.hasWitness()) {
            rejects.add(tx.txid());
        }
    }

    /** Rejections are forgotten when the tip changes: a new block can make a transaction valid (Core). */
    private RollingHashSet recentRejects() {
        Hash256 now = tip.get();
        if (!Objects.equals(now, rejectsTip)) {
            recentRejects.clear();
            rejectsTip = now;
        }
        return recentRejects;
    }

    /** Core's AlreadyHaveTx: in the mempool, the orphan pool, or recently rejected. */
    private boolean alreadyHave(Hash256 hash, boolean wtxid) {
        if (recentRejects().contains(hash)) {
            return true;
        }
        return wtxid ? mempool.containsWtxid(hash) || orphans.containsWtxid(hash)
                : mempool.contains(hash) || orphans.contains(hash);
    }

    // ---- for getpeerinfo and tests -------------------------------------------------------------

    /** Transactions waiting in the peer's announcement queue. */
    public int queued(long peerId) {
        PeerState s = peers.get(peerId);
        return s == null ? 0 : s.toSend.size();
    }

    /** Transaction requests outstanding at the peer. */
    public int requestsInFlight(long peerId) {
        return requests.inFlight(peerId);
    }

    public int orphanCount() {
        return orphans.size();
    }
}
