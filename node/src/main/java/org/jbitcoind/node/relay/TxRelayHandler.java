package org.jbitcoind.node.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjIntConsumer;

import org.jbitcoind.chain.mempool.EntryInfo;
import org.jbitcoind.chain.mempool.MempoolListener;
import org.jbitcoind.chain.mempool.OrphanPool;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.sync.SyncManager;
import org.jbitcoind.node.tasks.OwnerThread;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The P2P message handler of a node that relays transactions: transaction messages (tx, the
 * transaction items of inv/getdata/notfound, BIP35 mempool) go to {@link TxRelay} on its own
 * thread, "txrelay", everything else to the {@link SyncManager}. Mempool acceptance of peers'
 * transactions therefore runs on "txrelay", never on a Netty thread nor on "sync". Transactions
 * entering the mempool from anywhere (peers, RPC, resolved orphans) are announced through a
 * {@link MempoolListener}.
 *
 * <p>Acceptance itself stays serial, in arrival order, on "txrelay"; but before a peer's
 * transaction gets there its scripts are checked on a small pool ("txcheck-N", one thread per
 * core) that only fills the mempool's signature cache ({@link RelayMempool#precheck}). The serial
 * acceptance then finds the signatures cached, so the expensive part runs on every core. The
 * hand-offs between these threads go in batches ({@link TxPipeline}). The dispatcher does not
 * wait for each transaction: it lets a peer have up to {@link #MAX_TXS_IN_FLIGHT} transactions
 * (and {@link #MAX_BYTES_IN_FLIGHT} bytes) queued, then waits until half of them are through, so
 * a fast peer still cannot queue unbounded work.
 */
public final class TxRelayHandler implements MessageHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TxRelayHandler.class);
    /** How long a query waits for "txrelay". */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    /** Transactions of one peer queued for script checks and acceptance before the dispatcher waits. */
    static final int MAX_TXS_IN_FLIGHT = 128;
    /** Their serialized bytes: a peer's big transactions are bounded too. */
    static final long MAX_BYTES_IN_FLIGHT = 4_000_000;

    private final SyncManager sync;
    private final TxRelay relay;
    private final TxMempool pool;
    private final ScheduledExecutorService thread;
    /** Peers' messages to "txrelay" in order, transactions through their precheck on "txcheck-N" first. */
    private final TxPipeline<TxMempool.Precheck> pipeline;
    private final RelayMempool mempool;
    /** Each peer's transactions not yet through "txrelay", oldest first (touched by the dispatcher only). */
    private final Map<Long, TxPipeline.Backlog> backlogs = new ConcurrentHashMap<>();
    private final MempoolListener listener;
    private volatile boolean closed;

    /**
     * @param acceptTransactions false with -blocksonly
     * @param bloomAllowed       -peerbloomfilters
     */
    public TxRelayHandler(SyncManager sync, ChainstateManager chain, TxMempool pool, RelayMempool mempool,
            OrphanPool orphans, RelayConfig config, boolean acceptTransactions, boolean bloomAllowed) {
        this.sync = sync;
        this.pool = pool;
        this.mempool = mempool;
        this.relay = new TxRelay(config, mempool, orphans, chain::isInitialBlockDownload,
                () -> chain.activeChain().tip() == null ? null : chain.activeChain().tip().hash(),
                acceptTransactions, bloomAllowed, System::nanoTime, () -> System.currentTimeMillis() / 1000,
                new Random());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "txrelay");
            t.setDaemon(true);
            return t;
        });
        // No prechecks with -blocksonly, where peers' transactions are refused.
        int checkThreads = acceptTransactions ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 0;
        this.pipeline = new TxPipeline<>(checkThreads, this::precheck, thread, relay::onTx);
        long tick = config.tickInterval().toNanos();
        thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
        this.listener = new MempoolListener() {
            @Override
            public void transactionAdded(EntryInfo entry) {
                Hash256 txid = entry.txid();
                Hash256 wtxid = entry.wtxid();
                post(() -> relay.transactionAdded(txid, wtxid));
            }
        };
        pool.addListener(listener);
    }

    // ---- MessageHandler ------------------------------------------------------------------------

    @Override
    public void onPeerConnected(Peer peer) {
        sync.onPeerConnected(peer);
        RelayPeer link = new PeerLink(peer, sync);
        inOrder(() -> relay.peerConnected(link));
    }

    @Override
    public void onMessage(Peer peer, Message message) {
        if (message instanceof TxMessage m) {
            onTx(peer, m.tx());
        } else if (message == EmptyMessage.MEMPOOL) {
            call(() -> relay.onMempoolRequest(peer.id()));
        } else if (message instanceof InventoryMessage m) {
            onInventory(peer, m);
        } else {
            sync.onMessage(peer, message);
        }
    }

    /**
     * Scripts checked on "txcheck", then acceptance on "txrelay" in arrival order: the pipeline
     * runs a peer's steps one after the other as they were queued, each transaction once its
     * precheck is done. Back-pressure: once a peer has {@link #MAX_TXS_IN_FLIGHT} transactions
     * (or {@link #MAX_BYTES_IN_FLIGHT} bytes) queued, the dispatcher waits until half of them are
     * through.
     */
    private void onTx(Peer peer, Transaction tx) {
        long id = peer.id();
        TxPipeline.TxStep<TxMempool.Precheck> step = pipeline.submit(id, tx);
        if (step == null) {
            return;
        }
        TxPipeline.Backlog backlog = backlogs.computeIfAbsent(id,
                k -> new TxPipeline.Backlog(MAX_TXS_IN_FLIGHT, MAX_BYTES_IN_FLIGHT));
        backlog.add(step);
        if (backlog.isFull()) {
            TxPipeline.TxStep<?> resume;
            while ((resume = backlog.resumeAt()) != null) {
                if (!pipeline.awaitDone(resume) || closed) {
                    return;
                }
            }
        }
    }

    /** The batch precheck of the pipeline's checkers ({@link RelayMempool#precheck(List, ObjIntConsumer)}). */
    private void precheck(List<Transaction> txs, ObjIntConsumer<TxMempool.Precheck> done) {
        mempool.precheck(txs, done);
    }

    /** Block items to the sync manager, transaction items to relay, each in the order sent. */
    private void onInventory(Peer peer, InventoryMessage m) {
        List<InvItem> txs = new ArrayList<>();
        List<InvItem> others = new ArrayList<>();
        for (InvItem item : m.items()) {
            (isTransaction(item) ? txs : others).add(item);
        }
        if (!others.isEmpty() || txs.isEmpty()) {
            sync.onMessage(peer, txs.isEmpty() ? m : new InventoryMessage(m.kind(), others));
        }
        if (txs.isEmpty()) {
            return;
        }
        long id = peer.id();
        switch (m.kind()) {
            case INV -> call(() -> relay.onInv(id, txs));
            case GETDATA -> call(() -> relay.onGetData(id, txs));
            case NOTFOUND -> call(() -> relay.onNotFound(id, txs));
        }
    }

    public static boolean isTransaction(InvItem item) {
        return item.baseType() == InvItem.MSG_TX || item.type() == InvItem.MSG_WTX;
    }

    @Override
    public void onPeerDisconnected(Peer peer) {
        sync.onPeerDisconnected(peer);
        long id = peer.id();
        backlogs.remove(id);
        inOrder(() -> relay.peerDisconnected(id));
    }

    // ---- threading -----------------------------------------------------------------------------

    private void tick() {
        try {
            relay.tick();
        } catch (RuntimeException e) {
            LOG.error("transaction relay timer failed", e);
        }
    }

    private void post(Runnable task) {
        if (!closed) {
            OwnerThread.post(thread, task, LOG, "transaction relay task");
        }
    }

    /**
     * Runs {@code task} on "txrelay" after the transactions queued before it, and waits for it:
     * the dispatcher then pauses reading from a peer whose transactions we have not yet
     * validated, which bounds the work a peer can queue.
     */
    private void call(Runnable task) {
        if (closed) {
            return;
        }
        Future<?> f = pipeline.submitTask(() -> {
            task.run();
            return null;
        });
        if (f != null) {
            OwnerThread.awaitWhileOpen(f, () -> !closed, LOG, "transaction relay task");
        }
    }

    /** Runs {@code task} on "txrelay" after the transactions queued before it, without waiting. */
    private void inOrder(Runnable task) {
        if (closed) {
            return;
        }
        pipeline.submitTask(() -> {
            task.run();
            return null;
        });
    }

    /** Runs a read on "txrelay" for getpeerinfo-style queries and tests; -1 when closed. */
    public int queuedAnnouncements(long peerId) {
        return query(() -> relay.queued(peerId));
    }

    public int orphanCount() {
        return query(relay::orphanCount);
    }

    private int query(Callable<Integer> c) {
        if (closed) {
            return -1;
        }
        Future<Integer> f;
        try {
            f = pipeline.submitTask(c);
        } catch (RejectedExecutionException e) {
            return -1;
        }
        return f == null ? -1 : OwnerThread.getOr(f, QUERY_TIMEOUT, -1, LOG, "transaction relay query");
    }

    @Override
    public void close() {
        closed = true;
        pool.removeListener(listener);
        pipeline.close();
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backlogs.clear();
    }

    /** A connected {@link Peer} as relay sees it; the BIP37 state lives in the sync manager. */
    private record PeerLink(Peer peer, SyncManager sync) implements RelayPeer {
        @Override
        public long id() {
            return peer.id();
        }

        @Override
        public boolean isInbound() {
            return peer.isInbound();
        }

        @Override
        public boolean txRelayConnection() {
            return peer.type().relaysTransactions();
        }

        @Override
        public boolean wtxidRelay() {
            return peer.features().wtxidRelay();
        }

        @Override
        public long feeFilter() {
            return peer.features().feeFilter();
        }

        @Override
        public boolean relayTxs() {
            return sync.relaysTransactions(peer);
        }

        @Override
        public boolean wantsTransaction(Transaction tx) {
            return sync.wantsTransaction(peer, tx);
        }

        @Override
        public void send(Message message) {
            peer.send(message);
        }

        @Override
        public void disconnect(String reason) {
            peer.disconnect(reason);
        }

        @Override
        public void misbehaving(int score, String reason) {
            peer.misbehaving(score, reason);
        }

        @Override
        public void markNovelTransaction() {
            peer.markNovelTransaction();
        }

        @Override
        public boolean acceptsFeeFilter() {
            return peer.remoteVersion().map(v -> v.version() >= ProtocolVersions.FEEFILTER_VERSION).orElse(false);
        }
    }
}
