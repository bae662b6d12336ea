package org.jbitcoind.node.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.node.net.TrafficCounter;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.PeerAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * One connection to another node: its identity, what it told us in its version message, the
 * features negotiated, ping latency, traffic counters and misbehaviour. Protocol state changes
 * happen on the connection's I/O thread ({@link PeerHandler}); every getter is safe from any
 * thread, and {@link #send} and {@link #disconnect} may be called from anywhere.
 */
public final class Peer {
    private static final Logger LOG = LoggerFactory.getLogger(Peer.class);
    /** Misbehaviour score at which a peer is disconnected and discouraged (Core's DISCOURAGEMENT_THRESHOLD). */
    public static final int DISCOURAGEMENT_THRESHOLD = 100;
    /**
     * getdata items read from a peer and not yet answered at which reading from it pauses: one maximal
     * getdata (Core's MAX_INV_SZ). Core pauses by bytes instead (fPauseRecv over -maxreceivebuffer, 5 MB)
     * and processes nothing else of a peer while its getdata is unanswered; either way nothing is dropped.
     */
    public static final int GETDATA_PAUSE_ITEMS = InventoryMessage.MAX_ENTRIES;
    /** Reading from a peer paused for its getdata backlog resumes once the backlog is down to this. */
    public static final int GETDATA_RESUME_ITEMS = GETDATA_PAUSE_ITEMS / 2;

    private final long id;
    private final Channel channel;
    private final ConnectionType type;
    private final PeerAddress address;
    private final long localNonce;
    private final Instant connectedAt = Instant.now();
    private final TrafficCounter traffic;
    private final AddrRelayState addrRelay = new AddrRelayState();
    private final AtomicInteger dispatchBacklog = new AtomicInteger();
    /** getdata items in messages waiting for the {@link MessageHandler}. */
    private final AtomicInteger dispatchGetData = new AtomicInteger();
    /** getdata items the getdata server has queued for this peer (written by its thread only). */
    private volatile int servingGetData;
    /** Reading is paused for the getdata backlog (written on the I/O thread only). */
    private volatile boolean getDataPaused;
    /** When the peer last showed it is alive while we did not read from it (nanos), if ever. */
    private volatile long livenessCreditNanos;
    private volatile boolean livenessCredited;
    private volatile long getDataPauses;
    /** Last sample of the send buffer's head (identity hash) and its progress (I/O thread only). */
    private int outputHead;
    private long outputProgress;
    private final java.util.concurrent.atomic.AtomicReference<Runnable> onWritable =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final PeerSettings settings;
    private final PeerEvents events;

    private volatile VersionMessage remoteVersion;
    private volatile boolean established;
    private volatile boolean disconnecting;
    private volatile String disconnectReason;
    private volatile boolean sentWtxidRelay;
    private volatile boolean receivedWtxidRelay;
    private volatile boolean addrV2;
    private volatile boolean sendHeaders;
    private volatile boolean compactBlocks;
    private volatile boolean compactHighBandwidth;
    private volatile long feeFilter;
    private volatile long pingNonce;
    private volatile long pingStartNanos;
    private volatile long lastPingNanos = -1;
    private volatile long minPingNanos = -1;
    private volatile Instant lastReceive = Instant.now();
    private volatile Instant lastSend = Instant.now();
    private volatile Instant lastBlockTime;
    private volatile Instant lastTxTime;
    private int misbehaviour;

    Peer(long id, Channel channel, ConnectionType type, PeerAddress address, long localNonce, TrafficCounter traffic,
            PeerSettings settings, PeerEvents events) {
        this.id = id;
        this.channel = channel;
        this.type = type;
        this.address = address;
        this.localNonce = localNonce;
        this.traffic = traffic;
        this.settings = settings;
        this.events = events;
    }

    public long id() {
        return id;
    }

    public ConnectionType type() {
        return type;
    }

    public boolean isInbound() {
        return type.isInbound();
    }

    /** The remote socket address (services from its version message once known). */
    public PeerAddress address() {
        VersionMessage v = remoteVersion;
        return v == null ? address : new PeerAddress(address.time(), v.services(), address.address(), address.port());
    }

    /** The nonce of the version message we sent on this connection. */
    public long localNonce() {
        return localNonce;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public Optional<VersionMessage> remoteVersion() {
        return Optional.ofNullable(remoteVersion);
    }

    public long services() {
        VersionMessage v = remoteVersion;
        return v == null ? 0 : v.services();
    }

    public String userAgent() {
        VersionMessage v = remoteVersion;
        return v == null ? "" : v.userAgent();
    }

    public int startHeight() {
        VersionMessage v = remoteVersion;
        return v == null ? -1 : v.startHeight();
    }

    /** Version and verack exchanged both ways. */
    public boolean isEstablished() {
        return established;
    }

    public boolean isDisconnecting() {
        return disconnecting;
    }

    public Optional<String> disconnectReason() {
        return Optional.ofNullable(disconnectReason);
    }

    public NegotiatedFeatures features() {
        return new NegotiatedFeatures(sendHeaders, sentWtxidRelay && receivedWtxidRelay, addrV2, compactBlocks,
                compactHighBandwidth, feeFilter);
    }

    /** Round trip of the last answered ping. */
    public Optional<Duration> lastPing() {
        long n = lastPingNanos;
        return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
    }

    public Optional<Duration> minPing() {
        long n = minPingNanos;
        return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
    }

    /** How long the outstanding ping has waited, if one is outstanding. */
    public Optional<Duration> pingWait() {
        return pingNonce == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - pingStartNanos));
    }

    public TrafficCounter traffic() {
        return traffic;
    }

    public synchronized int misbehaviourScore() {
        return misbehaviour;
    }

    public Instant lastReceive() {
        return lastReceive;
    }

    public Instant lastSend() {
        return lastSend;
    }

    /** When this peer last gave us a block we did not have (inbound eviction protects such peers). */
    public Optional<Instant> lastBlockTime() {
        return Optional.ofNullable(lastBlockTime);
    }

    public Optional<Instant> lastTxTime() {
        return Optional.ofNullable(lastTxTime);
    }

    /** Called by the sync manager when this peer delivered a new valid block. */
    public void markNovelBlock() {
        lastBlockTime = Instant.now();
    }

    /** Called by the mempool when this peer delivered a new accepted transaction. */
    public void markNovelTransaction() {
        lastTxTime = Instant.now();
    }

    public AddrRelayState addrRelay() {
        return addrRelay;
    }

    /**
     * Queues a message. A peer whose unsent bytes exceed {@link PeerSettings#maxSendBuffer()} is
     * too slow to keep up and is disconnected rather than allowed to hold our memory.
     */
    public void send(Message message) {
        if (disconnecting) {
            return;
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        if (buffer != null && buffer.totalPendingWriteBytes() > settings.maxSendBuffer()) {
            disconnect("send buffer over " + settings.maxSendBuffer() + " bytes");
            return;
        }
        lastSend = Instant.now();
        LOG.debug("sending {} to {}", message.command(), this);
        channel.writeAndFlush(message, channel.voidPromise());
    }

    /** Closes the connection; the first reason given is the one logged and reported. */
    public void disconnect(String reason) {
        synchronized (this) {
            if (disconnectReason == null) {
                disconnectReason = reason;
            }
            disconnecting = true;
        }
        channel.close();
    }

    /**
     * Adds to the misbehaviour score. At {@link #DISCOURAGEMENT_THRESHOLD} the connection manager
     * is told (it discourages the address unless the peer is local) and the connection is closed.
     * This is how the sync manager and mempool punish invalid blocks and transactions; callable
     * from any thread. Returns whether the threshold was crossed by this call.
     */
    public boolean misbehaving(int howMuch, String reason) {
        synchronized (this) {
            int before = misbehaviour;
            misbehaviour += howMuch;
            if (before >= DISCOURAGEMENT_THRESHOLD || misbehaviour < DISCOURAGEMENT_THRESHOLD) {
                return false;
            }
        }
        LOG.debug("{} misbehaving: {} (score {})", this, reason, misbehaviourScore());
        events.onMisbehaving(this, reason);
        disconnect("misbehaving: " + reason);
        return true;
    }

    // ---- state changes made by PeerHandler on the I/O thread ----

    void versionReceived(VersionMessage v) {
        remoteVersion = v;
    }

    void establish() {
        established = true;
    }

    void wtxidRelaySent() {
        sentWtxidRelay = true;
    }

    void wtxidRelayReceived() {
        receivedWtxidRelay = true;
    }

    void addrV2Received() {
        addrV2 = true;
    }

    void sendHeadersReceived() {
        sendHeaders = true;
    }

    void compactBlocksReceived(boolean highBandwidth) {
        compactBlocks = true;
        compactHighBandwidth = highBandwidth;
    }

    void feeFilterReceived(long rate) {
        feeFilter = rate;
    }

    void touchReceive() {
        lastReceive = Instant.now();
    }

    /** Starts a ping unless one is outstanding; returns the nonce to send, 0 for none. */
    long startPing(long nonce) {
        if (pingNonce != 0) {
            return 0;
        }
        pingStartNanos = System.nanoTime();
        pingNonce = nonce;
        return nonce;
    }

    /** RPC {@code ping}: sends a ping now unless one is already outstanding (its pong updates the ping times). */
    public void pingNow() {
        if (!isEstablished() || isDisconnecting()) {
            return;
        }
        long nonce = startPing(PeerHandler.nonZeroNonce());
        if (nonce != 0) {
            send(new org.jbitcoind.protocol.message.PingMessage(nonce));
        }
    }

    /**
     * The outstanding ping's wait as the ping timeout counts it: not before the last moment the peer
     * proved alive while we did not read from it for our own reasons (its getdata backlog, our full
     * send buffer, the handler behind): it read our answers (the send buffer drained, getdata items
     * were answered while paused) or we resumed reading. Its pong may sit unread in our socket
     * through no fault of its own then. A peer that reads nothing of ours earns no such credit.
     */
    Optional<Duration> pingWaitForTimeout() {
        long nonce = pingNonce;
        if (nonce == 0) {
            return Optional.empty();
        }
        long from = pingStartNanos;
        if (livenessCredited && livenessCreditNanos - from > 0) {
            from = livenessCreditNanos;
        }
        return Optional.of(Duration.ofNanos(System.nanoTime() - from));
    }

    /** Whether the peer proved alive within {@code window} while we were not reading from it (see above). */
    boolean livenessCreditedWithin(Duration window) {
        return livenessCredited && System.nanoTime() - livenessCreditNanos < window.toNanos();
    }

    /**
     * Called on the I/O thread by the ping timer and the inactivity check: while we are not reading
     * from the peer or our send buffer is full, bytes of ours it took from the socket since the last
     * call (the head of our send buffer moved) prove it alive. Only the socket's consumption counts, not messages we add.
     */
    void sampleOutputProgress() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        int head = buffer == null ? 0 : System.identityHashCode(buffer.current());
        long progress = buffer == null ? 0 : buffer.currentProgress();
        boolean moved = head != outputHead || progress != outputProgress;
        outputHead = head;
        outputProgress = progress;
        // While our send buffer is backed up our ping may still wait behind the answers the peer is
        // reading, so reading those proves it alive even after we resumed reading it.
        if (moved && (!channel.config().isAutoRead() || !channel.isWritable())) {
            creditLiveness();
        }
    }

    private void creditLiveness() {
        livenessCreditNanos = System.nanoTime();
        livenessCredited = true;
    }

    /** Matches a pong; returns the round trip in nanoseconds, or -1 if it answers no outstanding ping. */
    long pongReceived(long nonce) {
        if (pingNonce == 0 || nonce != pingNonce) {
            return -1;
        }
        long rtt = System.nanoTime() - pingStartNanos;
        pingNonce = 0;
        lastPingNanos = rtt;
        if (minPingNanos < 0 || rtt < minPingNanos) {
            minPingNanos = rtt;
        }
        return rtt;
    }

    Channel channel() {
        return channel;
    }

    // ---- dispatcher backpressure ----

    /** {@code message} was queued for the {@link MessageHandler} (on the I/O thread). */
    public void dispatchQueued(Message message) {
        int items = getDataItems(message);
        boolean update = dispatchBacklog.incrementAndGet() == settings.maxDispatchBacklog();
        if (items > 0 && dispatchGetData.addAndGet(items) + servingGetData >= GETDATA_PAUSE_ITEMS) {
            update = true;
        }
        if (update) {
            onEventLoop(this::updateAutoRead);
        }
    }

    /** The {@link MessageHandler} finished {@code message} (the one given to {@link #dispatchQueued}). */
    public void dispatchDone(Message message) {
        int items = getDataItems(message);
        boolean update = dispatchBacklog.decrementAndGet() == settings.maxDispatchBacklog() / 2;
        if (items > 0 && dispatchGetData.addAndGet(-items) + servingGetData <= GETDATA_RESUME_ITEMS
                && getDataPaused) {
            update = true;
        }
        if (update) {
            onEventLoop(this::updateAutoRead);
        }
    }

    // ---- getdata backpressure ----

    /**
     * The getdata server tells how many of this peer's getdata items it holds unanswered (Core's
     * vRecvGetData). Together with those still waiting for the handler this is the peer's getdata
     * backlog: at {@link #GETDATA_PAUSE_ITEMS} reading from the peer pauses, at
     * {@link #GETDATA_RESUME_ITEMS} it resumes. Answers given while paused show the peer is reading
     * ours, which keeps the ping and inactivity timeouts from firing while we do not read it.
     */
    public void getDataServing(int items) {
        int before = servingGetData;
        servingGetData = items;
        boolean paused = getDataPaused;
        if (items < before && paused) {
            creditLiveness();
        }
        int backlog = getDataBacklog();
        if (paused ? backlog <= GETDATA_RESUME_ITEMS : backlog >= GETDATA_PAUSE_ITEMS) {
            onEventLoop(this::updateAutoRead);
        }
    }

    /** getdata items read from this peer and not yet answered (waiting for the handler or in the server's queue). */
    public int getDataBacklog() {
        return dispatchGetData.get() + servingGetData;
    }

    /** How often reading from this peer paused for its getdata backlog. */
    public long getDataPauses() {
        return getDataPauses;
    }

    /** Whether reading from this peer is paused for its getdata backlog. */
    public boolean isPausedForGetData() {
        return getDataPaused;
    }

    private static int getDataItems(Message message) {
        return message instanceof InventoryMessage m && m.kind() == InventoryMessage.Kind.GETDATA ? m.items().size() : 0;
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    // ---- send backpressure ----

    /** Whether our send buffer to this peer is below its high-water mark (Core: not fPauseSend). */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /**
     * Runs {@code action} once when the send buffer is next below its high-water mark: at once
     * (on the caller's thread) if it already is, else on the I/O thread when it drains. A later
     * call replaces an action not yet run.
     */
    public void whenWritable(Runnable action) {
        onWritable.set(action);
        if (channel.isWritable()) {
            runOnWritable();
        }
    }

    /** The send buffer crossed a water mark (on the I/O thread). */
    void writabilityChanged() {
        if (channel.isWritable()) {
            // The peer read what we had queued for it: alive, even if we have not read its pong yet.
            creditLiveness();
        }
        updateAutoRead();
        if (channel.isWritable()) {
            runOnWritable();
        }
    }

    private void runOnWritable() {
        Runnable action = onWritable.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    /**
     * Reading pauses while our replies cannot be written, the handler is behind, or the peer's getdata
     * backlog is over its mark (on the I/O thread).
     */
    void updateAutoRead() {
        if (!getDataPaused && getDataBacklog() >= GETDATA_PAUSE_ITEMS) {
            getDataPaused = true;
            getDataPauses++;
            LOG.debug("{} has {} getdata items unanswered; pausing reading from it", this, getDataBacklog());
        }
        // Read again after setting the flag: the getdata server may have drained the queue meanwhile
        // without seeing the flag, and would then not call us again.
        if (getDataPaused && getDataBacklog() <= GETDATA_RESUME_ITEMS) {
            getDataPaused = false;
            LOG.debug("{} getdata backlog down to {}; reading from it again", this, getDataBacklog());
        }
        boolean read = channel.isWritable() && dispatchBacklog.get() < settings.maxDispatchBacklog()
                && !getDataPaused;
        if (channel.config().isAutoRead() != read) {
            if (read) {
                // Its pong may have waited unread while we paused: count its wait from now.
                creditLiveness();
            }
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public String toString() {
        return "peer=" + id + " " + address.toHostPort() + " " + type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
