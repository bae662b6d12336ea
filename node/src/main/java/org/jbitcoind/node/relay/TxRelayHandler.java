package org.jbitcoind.node.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jbitcoind.chain.mempool.EntryInfo;
import org.jbitcoind.chain.mempool.MempoolListener;
import org.jbitcoind.chain.mempool.OrphanPool;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.sync.SyncManager;
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
 */
public final class TxRelayHandler implements MessageHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TxRelayHandler.class);

    private final SyncManager sync;
    private final TxRelay relay;
    private final TxMempool pool;
    private final ScheduledExecutorService thread;
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
        this.relay = new TxRelay(config, mempool, orphans, chain::isInitialBlockDownload,
                () -> chain.activeChain().tip() == null ? null : chain.activeChain().tip().hash(),
                acceptTransactions, bloomAllowed, System::nanoTime, () -> System.currentTimeMillis() / 1000,
                new Random());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "txrelay");
            t.setDaemon(true);
            return t;
        });
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
        post(() -> relay.peerConnected(link));
    }

    @Override
    public void onMessage(Peer peer, Message message) {
        if (message instanceof TxMessage m) {
            Transaction tx = m.tx();
            call(() -> relay.onTx(peer.id(), tx));
        } else if (message == EmptyMessage.MEMPOOL) {
            call(() -> relay.onMempoolRequest(peer.id()));
        } else if (message instanceof InventoryMessage m) {
            onInventory(peer, m);
        } else {
            sync.onMessage(peer, message);
        }
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
        post(() -> relay.peerDisconnected(id));
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
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("transaction relay task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Runs {@code task} on "txrelay" and waits for it: the dispatcher then pauses reading from a
     * peer whose transactions we have not yet validated, which bounds the work a peer can queue.
     */
    private void call(Runnable task) {
        if (closed) {
            return;
        }
        Future<?> f;
        try {
            f = thread.submit(task);
        } catch (RejectedExecutionException e) {
            return;
        }
        while (!closed) {
            try {
                f.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                // check closed, wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.error("transaction relay task failed", e.getCause());
                return;
            } catch (CancellationException e) {
                return;
            }
        }
    }

    /** Runs a read on "txrelay" for getpeerinfo-style queries and tests; -1 when closed. */
    public int queuedAnnouncements(long peerId) {
        return query(() -> relay.queued(peerId));
    }

    public int orphanCount() {
        return query(relay::orphanCount);
    }

    private int query(java.util.concurrent.Callable<Integer> c) {
        if (closed) {
            return -1;
        }
        try {
            return thread.submit(c).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException | CancellationException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.removeListener(listener);
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
