package org.jbitcoind.node.connmgr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jbitcoind.node.addrmgr.AddrMan;
import org.jbitcoind.node.addrmgr.AddrManStore;
import org.jbitcoind.node.addrmgr.NetGroups;
import org.jbitcoind.node.net.InetAddresses;
import org.jbitcoind.node.net.TrafficCounter;
import org.jbitcoind.node.net.Transports;
import org.jbitcoind.node.peer.ChainInfoProvider;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.peer.PeerChannels;
import org.jbitcoind.node.peer.PeerEvents;
import org.jbitcoind.node.peer.PeerSettings;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Owns every P2P connection (Core's CConnman): the listening sockets, inbound admission with
 * bans and eviction, the outbound loop (-connect, -addnode, -seednode, 8 full-relay and 2
 * block-relay-only automatic slots fed by the address manager, DNS and fixed seeds), address
 * gossip, misbehaviour consequences, and the hand-off of all other messages to the
 * {@link MessageHandler}.
 *
 * <p>Threads: Netty I/O threads run the protocol and never block; "p2p-dispatch" (one thread)
 * runs the MessageHandler; "p2p-conn" runs the outbound loop and periodic saves; DNS seeding runs
 * once on "p2p-dnsseed". See docs/p2p.md.
 */
public final class ConnectionManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 4 * 1024 * 1024);
    private static final int CONNECT_TIMEOUT_MS = 5000;
    private static final long SAVE_INTERVAL_MINUTES = 15;
    /** A -seednode that does not answer getaddr is dropped after this. */
    private static final long ADDR_FETCH_TIMEOUT_SECONDS = 60;

    private final P2pConfig config;
    private final PeerSettings settings;
    private final ChainInfoProvider chain;
    private final MessageHandler handler;
    private final SeedSources.Resolver resolver;
    private final Transports transport;
    private final Map<Long, Peer> peers = new ConcurrentHashMap<>();
    private volatile boolean networkActive = true;
    /** Every peer's traffic adds to this too, so getnettotals and the metrics cover the whole run. */
    private final TrafficCounter traffic = new TrafficCounter();
    private final AtomicLong nextPeerId = new AtomicLong();
    private final byte[] localKey = new byte[32];
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final List<String> addedNodes = new CopyOnWriteArrayList<>();
    private final Events events = new Events();

    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ExecutorService dispatcher;
    private ScheduledExecutorService scheduler;
    private AddrMan addrMan;
    private BanMan banMan;
    private AddrGossip gossip;
    private InboundAdmission admission;
    private OutboundConnector outbound;
    private volatile boolean running;

    public ConnectionManager(P2pConfig config, ChainInfoProvider chain, MessageHandler handler) {
        this(config, chain, handler, SeedSources.SYSTEM_RESOLVER);
    }

    public ConnectionManager(P2pConfig config, ChainInfoProvider chain, MessageHandler handler,
            SeedSources.Resolver resolver) {
        this.config = config;
        this.settings = config.peerSettings();
        this.chain = chain;
        this.handler = handler;
        this.resolver = resolver;
        this.transport = Transports.select(config.forceNio());
        this.addedNodes.addAll(config.addNode());
        new SecureRandom().nextBytes(localKey);
    }

    /** Loads peers.dat and banlist.json, binds the listening sockets and starts the outbound loop. */
    public synchronized void start() throws IOException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        addrMan = AddrManStore.load(dataDir().resolve(AddrManStore.FILE_NAME));
        banMan = BanMan.load(dataDir(), config.banTime());
        gossip = new AddrGossip(addrMan, peers::values, localKey, config.onlyNet());
        admission = new InboundAdmission(banMan, config.maxInbound(), peers::values, localKey);
        outbound = new OutboundConnector(config, peers::values, addedNodes, addrMan, banMan, gossip, resolver,
                this::connect);
        acceptGroup = transport.newEventLoopGroup(1, "p2p-accept");
        ioGroup = transport.newEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()), "p2p-io");
        dispatcher = Executors.newSingleThreadExecutor(new DefaultThreadFactory("p2p-dispatch", true));
        scheduler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("p2p-conn", true));
        running = true;
        try {
            if (config.listen()) {
                bindAll();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("P2P started on {} ({} transport), listening on {}", config.network().id(), transport,
                listenAddresses());
        long tick = Math.max(10, config.connectInterval().toMillis());
        scheduler.execute(outbound::connectSeedNodes);
        scheduler.scheduleWithFixedDelay(() -> {
            if (running) {
                outbound.tick();
            }
        }, 0, tick, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::saveState, SAVE_INTERVAL_MINUTES, SAVE_INTERVAL_MINUTES,
                TimeUnit.MINUTES);
    }

    private Path dataDir() {
        return config.dataDir();
    }

    private void bindAll() throws IOException {
        List<InetSocketAddress> endpoints = config.bind().isEmpty() ? List.of(new InetSocketAddress(config.port()))
                : config.bind();
        ServerBootstrap b = new ServerBootstrap().group(acceptGroup, ioGroup).channel(transport.serverChannel())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, org.jbitcoind.node.net.MessageSizeEstimate.INSTANCE)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        acceptInbound(ch);
                    }
                });
        for (InetSocketAddress endpoint : endpoints) {
            ChannelFuture f = b.bind(endpoint).awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new IOException("cannot listen on " + endpoint + ": " + f.cause().getMessage(), f.cause());
            }
            listeners.add(f.channel());
        }
    }

    /** The bound listening addresses (with the real port when 0 was asked for). */
    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : listeners) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    private void acceptInbound(Channel ch) {
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        NetAddress addr = InetAddresses.fromInet(remote.getAddress());
        if (!networkActive) {
            LOG.debug("refusing inbound connection from {}: network activity disabled", addr);
            ch.close();
            return;
        }
        Peer peer;
        // Accepts run on several I/O threads: counting the slots and taking one must be one step,
        // or a burst of connections overshoots -maxconnections.
        synchronized (admission) {
            Optional<String> refused = admission.refusal(addr);
            if (refused.isPresent()) {
                LOG.debug("refusing inbound connection from {}: {}", addr, refused.get());
                ch.close();
                return;
            }
            long id = nextPeerId.getAndIncrement();
            peer = PeerChannels.install(ch, id, ConnectionType.INBOUND, InetAddresses.fromSocket(remote, 0),
                    settings, chain, events, traffic);
            peers.put(id, peer);
        }
        LOG.debug("accepted inbound {}", peer);
    }

    /**
     * Opens an outbound connection. The future completes with the peer once the TCP connection
     * is up (the handshake follows), or exceptionally if it cannot be established.
     */
    public CompletableFuture<Peer> connect(PeerAddress target, ConnectionType type) {
        if (type == ConnectionType.INBOUND) {
            throw new IllegalArgumentException("outbound connection type expected");
        }
        CompletableFuture<Peer> result = new CompletableFuture<>();
        Optional<InetSocketAddress> socket = InetAddresses.toSocket(target);
        if (!running || !networkActive || socket.isEmpty()) {
            result.completeExceptionally(new IOException("cannot dial " + target.toHostPort()));
            return result;
        }
        long id = nextPeerId.getAndIncrement();
        AtomicReference<Peer> created = new AtomicReference<>();
        Bootstrap b = new Bootstrap().group(ioGroup).channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, org.jbitcoind.node.net.MessageSizeEstimate.INSTANCE)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Peer p = PeerChannels.install(ch, id, type, target, settings, chain, events, traffic);
                        created.set(p);
                        peers.put(id, p);
                    }
                });
        LOG.debug("connecting to {} ({})", target.toHostPort(), type);
        b.connect(socket.get()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                result.complete(created.get());
            } else {
                peers.remove(id);
                LOG.debug("connection to {} failed: {}", target.toHostPort(), f.cause().getMessage());
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    public List<Peer> peers() {
        return List.copyOf(peers.values());
    }

    /**
     * RPC setnetworkactive: false disconnects every peer and refuses new connections both ways until
     * it is turned on again (the outbound loop's dials fail at once meanwhile).
     */
    public void setNetworkActive(boolean active) {
        boolean was = networkActive;
        networkActive = active;
        if (was && !active) {
            LOG.info("SetNetworkActive: false");
            peers.values().forEach(p -> p.disconnect("network activity disabled"));
        } else if (!was && active) {
            LOG.info("SetNetworkActive: true");
        }
    }

    public boolean isNetworkActive() {
        return networkActive;
    }

    /** Bytes received from all peers since start, those disconnected included (getnettotals). */
    public long totalBytesReceived() {
        return traffic.totalReceived();
    }

    /** Bytes sent to all peers since start, those disconnected included (getnettotals). */
    public long totalBytesSent() {
        return traffic.totalSent();
    }

    /** The whole run's traffic per message command, all peers (gone ones included); read it, do not update it. */
    public TrafficCounter traffic() {
        return traffic;
    }

    public Optional<Peer> peer(long id) {
        return Optional.ofNullable(peers.get(id));
    }

    /** Disconnects a peer by id (disconnectnode); false if there is no such peer. */
    public boolean disconnect(long id, String reason) {
        Peer p = peers.get(id);
        if (p == null) {
            return false;
        }
        p.disconnect(reason);
        return true;
    }

    /** The addnode RPC's "add": keep this {@code host[:port]} connected; false if already listed. */
    public boolean addNode(String hostPort) {
        if (addedNodes.contains(hostPort)) {
            return false;
        }
        addedNodes.add(hostPort);
        return true;
    }

    /** The addnode RPC's "remove": stop maintaining it (an open connection stays); false if not listed. */
    public boolean removeNode(String hostPort) {
        return addedNodes.remove(hostPort);
    }

    /** -addnode entries plus those added at run time (getaddednodeinfo). */
    public List<String> addedNodes() {
        return List.copyOf(addedNodes);
    }

    public AddrMan addrMan() {
        return addrMan;
    }

    public BanMan banMan() {
        return banMan;
    }

    public P2pConfig config() {
        return config;
    }

    /** Package-private for tests: the next automatic outbound pick (see {@link OutboundConnector#pickOutbound}). */
    Optional<PeerAddress> pickOutbound(Set<String> usedGroups) {
        return outbound.pickOutbound(usedGroups);
    }

    private void saveState() {
        try {
            AddrManStore.save(addrMan, dataDir().resolve(AddrManStore.FILE_NAME));
            banMan.save();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not save peer state to {}: {}", dataDir(), e.getMessage());
        }
    }

    /** Closes every connection, stops all threads and saves peers.dat and banlist.json. */
    @Override
    public synchronized void close() {
        if (!running && acceptGroup == null) {
            return;
        }
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        listeners.clear();
        for (Peer p : peers.values()) {
            p.disconnect("shutting down");
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (dispatcher != null) {
            dispatcher.shutdown();
            try {
                dispatcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (addrMan != null) {
            saveState();
        }
        acceptGroup = null;
        LOG.info("P2P stopped");
    }

    private void dispatch(Runnable task) {
        try {
            dispatcher.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("message handler failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("dispatcher stopped, dropping event");
        }
    }

    /** Our address as we advertise it to {@code peer}: -externalip first, else what the peer sees. */
    private Optional<PeerAddress> ownAddressFor(Peer peer) {
        long now = Instant.now().getEpochSecond();
        if (!config.externalAddresses().isEmpty()) {
            PeerAddress a = config.externalAddresses().get(0);
            int port = a.port() != 0 ? a.port() : advertisedPort();
            return Optional.of(new PeerAddress(now, config.services(), a.address(), port));
        }
        return peer.remoteVersion().map(v -> v.receiver().address())
                .filter(NetGroups::isRoutable)
                .map(a -> new PeerAddress(now, config.services(), a, advertisedPort()));
    }

    private int advertisedPort() {
        List<InetSocketAddress> bound = listenAddresses();
        return bound.isEmpty() ? config.port() : bound.get(0).getPort();
    }

    private static org.slf4j.event.Level operatorLevel(Peer peer) {
        return peer.type() == ConnectionType.FEELER ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO;
    }

    private static String direction(Peer peer) {
        return peer.isInbound() ? "inbound" : "outbound " + peer.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Callbacks from the connections, on their I/O threads. */
    private final class Events implements PeerEvents {
        @Override
        public boolean isLocalNonce(long nonce) {
            for (Peer p : peers.values()) {
                if (p.type().isOutbound() && !p.isEstablished() && p.localNonce() == nonce) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void onHandshakeComplete(Peer peer) {
            // Feelers come and go every two minutes: operators see them at DEBUG only.
            LOG.atLevel(operatorLevel(peer)).log("peer connected: peer={} {} {} version={} ua={} height={}",
                    peer.id(), peer.address().toHostPort(), direction(peer),
                    peer.remoteVersion().map(v -> v.version()).orElse(0), peer.userAgent(), peer.startHeight());
            long now = Instant.now().getEpochSecond();
            if (peer.type().isOutbound() && peer.type() != ConnectionType.ADDR_FETCH) {
                addrMan.good(peer.address(), now);
            }
            if (peer.type() == ConnectionType.FEELER) {
                peer.disconnect("feeler connection completed");
                return;
            }
            if (peer.type() == ConnectionType.ADDR_FETCH) {
                scheduler.schedule(() -> peer.disconnect("address fetch timed out"), ADDR_FETCH_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS);
            }
            if (peer.type().isOutbound() && peer.type().relaysAddresses()) {
                peer.addrRelay().enableRelay();
                if (config.listen() && !listeners.isEmpty() && peer.type() != ConnectionType.ADDR_FETCH) {
                    ownAddressFor(peer).ifPresent(own -> gossip.send(peer, List.of(own)));
                }
                peer.send(EmptyMessage.GETADDR);
                peer.addrRelay().markGetAddrSent();
            }
            dispatch(() -> handler.onPeerConnected(peer));
        }

        @Override
        public void onMessage(Peer peer, Message message) {
            if (message instanceof AddrMessage a) {
                gossip.onAddr(peer, a.addresses());
            } else if (message instanceof AddrV2Message a) {
                gossip.onAddr(peer, a.addresses());
            } else if (message == EmptyMessage.GETADDR) {
                gossip.onGetAddr(peer);
            } else {
                peer.dispatchQueued(message);
                dispatch(() -> {
                    try {
                        handler.onMessage(peer, message);
                    } finally {
                        peer.dispatchDone(message);
                    }
                });
            }
        }

        @Override
        public void onMisbehaving(Peer peer, String reason) {
            NetAddress a = peer.address().address();
            if (a.isLoopback() && !config.discourageLocal()) {
                // Discouraging 127.0.0.1 would shut out every local client (Core behaves the same).
                LOG.warn("disconnecting but not discouraging local peer={} ({}): {}", peer.id(),
                        peer.address().toHostPort(), reason);
                return;
            }
            banMan.discourage(a);
            LOG.info("discouraging {} (peer={}): {}", a, peer.id(), reason);
        }

        @Override
        public void onDisconnected(Peer peer, String reason) {
            peers.remove(peer.id());
            LOG.atLevel(operatorLevel(peer)).log("peer disconnected: peer={} {} {} ua={} reason: {}", peer.id(),
                    peer.address().toHostPort(), direction(peer), peer.userAgent(), reason);
            if (peer.isEstablished() && peer.type() != ConnectionType.FEELER) {
                dispatch(() -> handler.onPeerDisconnected(peer));
            }
        }
    }

    /** For tests and getnetworkinfo: all peers of one connection type. */
    public List<Peer> peers(ConnectionType type) {
        List<Peer> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.type() == type) {
                out.add(p);
            }
        }
        return out;
    }

    Collection<Peer> livePeers() {
        return peers.values();
    }
}
