package org.jbitcoind.node.connmgr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
import org.jbitcoind.node.net.Transports;
import org.jbitcoind.node.peer.ChainInfoProvider;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.peer.PeerChannels;
import org.jbitcoind.node.peer.PeerEvents;
import org.jbitcoind.node.peer.PeerSettings;
import org.jbitcoind.protocol.codec.LittleEndian;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;
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
    private static final long MANUAL_RETRY_MS = 10_000;
    private static final long SAVE_INTERVAL_MINUTES = 15;
    private static final int NEW_CONNECTIONS_PER_TICK = 2;
    /** A -seednode that does not answer getaddr is dropped after this. */
    private static final long ADDR_FETCH_TIMEOUT_SECONDS = 60;

    private final P2pConfig config;
    private final PeerSettings settings;
    private final ChainInfoProvider chain;
    private final MessageHandler handler;
    private final SeedSources.Resolver resolver;
    private final Transports transport;
    private final Map<Long, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong nextPeerId = new AtomicLong();
    private final byte[] localKey = new byte[32];
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> manualAttempts = new ConcurrentHashMap<>();
    private final List<String> addedNodes = new CopyOnWriteArrayList<>();
    private final Events events = new Events();

    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ExecutorService dispatcher;
    private ScheduledExecutorService scheduler;
    private AddrMan addrMan;
    private BanMan banMan;
    private AddrGossip gossip;
    private Instant startedAt;
    private volatile boolean dnsSeedStarted;
    private volatile boolean fixedSeedsAdded;
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
        startedAt = Instant.now();
        addrMan = AddrManStore.load(dataDir().resolve(AddrManStore.FILE_NAME));
        banMan = BanMan.load(dataDir(), config.banTime());
        gossip = new AddrGossip(addrMan, peers::values, localKey, config.onlyNet());
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
        for (String seed : config.seedNode()) {
            resolveTarget(seed).ifPresent(a -> connect(a, ConnectionType.ADDR_FETCH));
        }
        long tick = Math.max(10, config.connectInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::connectionTick, 0, tick, TimeUnit.MILLISECONDS);
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
        if (banMan.isBanned(addr) || banMan.isDiscouraged(addr)) {
            LOG.debug("refusing inbound connection from banned or discouraged {}", addr);
            ch.close();
            return;
        }
        if (!makeRoomForInbound()) {
            LOG.info("inbound slots full ({}), refusing connection from {}", config.maxInbound(), addr);
            ch.close();
            return;
        }
        long id = nextPeerId.getAndIncrement();
        Peer peer = PeerChannels.install(ch, id, ConnectionType.INBOUND, InetAddresses.fromSocket(remote, 0),
                settings, chain, events);
        peers.put(id, peer);
        LOG.debug("accepted inbound {}", peer);
    }

    private boolean makeRoomForInbound() {
        List<Peer> inbound = peers.values().stream().filter(p -> p.isInbound() && !p.isDisconnecting()).toList();
        if (inbound.size() < config.maxInbound()) {
            return true;
        }
        if (config.maxInbound() == 0) {
            return false;
        }
        List<InboundEviction.Candidate> candidates = new ArrayList<>();
        for (Peer p : inbound) {
            candidates.add(new InboundEviction.Candidate(p.id(), keyedNetGroup(p.address().address()),
                    p.minPing().map(java.time.Duration::toNanos).orElse(Long.MAX_VALUE),
                    p.lastTxTime().map(Instant::toEpochMilli).orElse(0L),
                    p.lastBlockTime().map(Instant::toEpochMilli).orElse(0L), p.connectedAt().toEpochMilli()));
        }
        Optional<Long> victim = InboundEviction.select(candidates);
        if (victim.isEmpty()) {
            return false;
        }
        Peer evicted = peers.get(victim.get());
        if (evicted == null) {
            return false;
        }
        evicted.disconnect("evicted to make room for a new inbound connection");
        return true;
    }

    private long keyedNetGroup(NetAddress a) {
        byte[] group = NetGroups.group(a);
        byte[] data = new byte[localKey.length + group.length];
        System.arraycopy(localKey, 0, data, 0, localKey.length);
        System.arraycopy(group, 0, data, localKey.length, group.length);
        return LittleEndian.getLong(Hashes.sha256(data), 0);
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
        if (!running || socket.isEmpty()) {
            result.completeExceptionally(new IOException("cannot dial " + target.toHostPort()));
            return result;
        }
        long id = nextPeerId.getAndIncrement();
        AtomicReference<Peer> created = new AtomicReference<>();
        Bootstrap b = new Bootstrap().group(ioGroup).channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Peer p = PeerChannels.install(ch, id, type, target, settings, chain, events);
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
        manualAttempts.remove(hostPort);
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

    // ---- outbound loop (runs on "p2p-conn") ----

    private void connectionTick() {
        try {
            if (!running) {
                return;
            }
            if (!config.connect().isEmpty()) {
                maintainManual(config.connect());
                return;
            }
            maintainManual(addedNodes);
            if (config.maxOutboundFullRelay() + config.maxBlockRelayOnly() == 0) {
                return;
            }
            maybeSeed();
            fillOutbound(ConnectionType.OUTBOUND_FULL_RELAY, config.maxOutboundFullRelay());
            fillOutbound(ConnectionType.BLOCK_RELAY, config.maxBlockRelayOnly());
        } catch (RuntimeException e) {
            LOG.warn("outbound connection loop error", e);
        }
    }

    private void maintainManual(List<String> targets) {
        long now = System.currentTimeMillis();
        for (String t : targets) {
            Long last = manualAttempts.get(t);
            if (last != null && now - last < MANUAL_RETRY_MS) {
                continue;
            }
            Optional<PeerAddress> target = resolveTarget(t);
            if (target.isEmpty() || isConnectedTo(target.get())) {
                continue;
            }
            long manual = peers.values().stream().filter(p -> p.type() == ConnectionType.MANUAL).count();
            if (config.connect().isEmpty() && manual >= P2pConfig.MAX_ADDNODE_CONNECTIONS) {
                return;
            }
            manualAttempts.put(t, now);
            connect(target.get(), ConnectionType.MANUAL);
        }
    }

    /** host[:port] with an IP literal or a name (resolved here, off the I/O threads). */
    private Optional<PeerAddress> resolveTarget(String text) {
        int port = config.network().defaultPort();
        try {
            return Optional.of(PeerAddress.parse(text, port));
        } catch (IllegalArgumentException notLiteral) {
            String host = text.strip();
            int colon = host.lastIndexOf(':');
            if (colon > 0 && host.indexOf(':') == colon) {
                try {
                    port = Integer.parseInt(host.substring(colon + 1));
                } catch (NumberFormatException e) {
                    LOG.warn("bad port in peer address {}", text);
                    return Optional.empty();
                }
                host = host.substring(0, colon);
            }
            try {
                List<java.net.InetAddress> found = resolver.resolve(host);
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new PeerAddress(0, 0, InetAddresses.fromInet(found.get(0)), port));
            } catch (UnknownHostException e) {
                LOG.warn("cannot resolve peer address {}: {}", text, e.getMessage());
                return Optional.empty();
            }
        }
    }

    private boolean isConnectedTo(PeerAddress a) {
        for (Peer p : peers.values()) {
            PeerAddress pa = p.address();
            if (!p.isDisconnecting() && pa.address().equals(a.address()) && pa.port() == a.port()) {
                return true;
            }
        }
        return false;
    }

    private void fillOutbound(ConnectionType type, int slots) {
        Set<String> usedGroups = new HashSet<>();
        int have = 0;
        for (Peer p : peers.values()) {
            if (p.type().isOutbound() && !p.isDisconnecting()) {
                usedGroups.add(NetGroups.groupString(p.address().address()));
                if (p.type() == type) {
                    have++;
                }
            }
        }
        for (int i = 0; i < NEW_CONNECTIONS_PER_TICK && have < slots; i++) {
            Optional<PeerAddress> pick = pickOutbound(usedGroups);
            if (pick.isEmpty()) {
                return;
            }
            addrMan.attempt(pick.get(), Instant.now().getEpochSecond());
            connect(pick.get(), type);
            have++;
        }
    }

    /**
     * Chooses the next automatic outbound address: reachable (-onlynet), not banned or
     * discouraged, not connected, and in a network group not in {@code usedGroups} (which gains it).
     */
    Optional<PeerAddress> pickOutbound(Set<String> usedGroups) {
        Optional<PeerAddress> pick = addrMan.select(false, a -> isDialable(a)
                && !usedGroups.contains(NetGroups.groupString(a.address())) && !isConnectedTo(a),
                Instant.now().getEpochSecond());
        pick.ifPresent(p -> usedGroups.add(NetGroups.groupString(p.address())));
        return pick;
    }

    private boolean isDialable(PeerAddress a) {
        NetAddress n = a.address();
        return gossip.isReachable(n.network()) && !banMan.isBanned(n) && !banMan.isDiscouraged(n)
                && !config.externalAddresses().contains(a);
    }

    private void maybeSeed() {
        long elapsed = java.time.Duration.between(startedAt, Instant.now()).toSeconds();
        if (SeedPolicy.shouldQueryDns(config.dnsSeed(), dnsSeedStarted, !config.network().dnsSeeds().isEmpty(),
                addrMan.size(), elapsed, countOutbound())) {
            dnsSeedStarted = true;
            Thread t = new Thread(this::dnsSeed, "p2p-dnsseed");
            t.setDaemon(true);
            t.start();
        }
        if (SeedPolicy.shouldAddFixedSeeds(config.fixedSeeds(), fixedSeedsAdded, config.dnsSeed(), addrMan.size(),
                elapsed)) {
            addFixedSeeds();
        }
    }

    private void dnsSeed() {
        List<PeerAddress> found = SeedSources.queryDnsSeeds(config.network(), resolver);
        List<PeerAddress> usable = found.stream().filter(a -> gossip.isReachable(a.address().network())).toList();
        int added = addrMan.add(usable, pseudoSource("dnsseed"), Instant.now().getEpochSecond());
        LOG.info("DNS seeding added {} addresses", added);
        if (added == 0 && config.fixedSeeds() && addrMan.size() == 0) {
            addFixedSeeds();
        }
    }

    private synchronized void addFixedSeeds() {
        if (fixedSeedsAdded) {
            return;
        }
        fixedSeedsAdded = true;
        List<PeerAddress> seeds = SeedSources.fixedSeeds(config.network()).stream()
                .filter(a -> gossip.isReachable(a.address().network())).toList();
        int added = addrMan.add(seeds, pseudoSource("fixedseeds"), Instant.now().getEpochSecond());
        LOG.info("added {} fixed seed addresses", added);
    }

    /** A stable made-up source address per seeding method, so its entries share bucket groups (as Core's internal addresses). */
    private static NetAddress pseudoSource(String name) {
        byte[] h = Hashes.sha256(name.getBytes(StandardCharsets.US_ASCII));
        byte[] v6 = java.util.Arrays.copyOf(h, 16);
        v6[0] = (byte) 0xfd; // unique-local range: never routable, never dialled
        return new NetAddress(NetworkId.IPV6, v6);
    }

    private long countOutbound() {
        return peers.values().stream().filter(p -> p.type() == ConnectionType.OUTBOUND_FULL_RELAY
                && p.isEstablished()).count();
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
            LOG.info("peer connected: peer={} {} {} version={} ua={} height={}", peer.id(),
                    peer.address().toHostPort(), peer.isInbound() ? "inbound" : "outbound " + peer.type(),
                    peer.remoteVersion().map(v -> v.version()).orElse(0), peer.userAgent(), peer.startHeight());
            long now = Instant.now().getEpochSecond();
            if (peer.type().isOutbound() && peer.type() != ConnectionType.ADDR_FETCH) {
                addrMan.good(peer.address(), now);
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
                peer.dispatchQueued();
                dispatch(() -> {
                    try {
                        handler.onMessage(peer, message);
                    } finally {
                        peer.dispatchDone();
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
            LOG.info("peer disconnected: peer={} {} {} ua={} reason: {}", peer.id(), peer.address().toHostPort(),
                    peer.isInbound() ? "inbound" : "outbound " + peer.type(), peer.userAgent(), reason);
            if (peer.isEstablished()) {
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
