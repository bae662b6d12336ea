package org.jbitcoind.node.connmgr;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.jbitcoind.node.addrmgr.AddrMan;
import org.jbitcoind.node.addrmgr.NetGroups;
import org.jbitcoind.node.net.InetAddresses;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side of the connection policy (Core's ThreadOpenConnections and
 * ThreadOpenAddedConnections), run by one scheduler thread: -connect targets only, or -addnode
 * targets plus the automatic full-relay and block-relay-only slots filled from the address
 * manager; -seednode address fetches at start; DNS and fixed seeds when addresses are needed.
 */
final class OutboundConnector {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundConnector.class);
    private static final long MANUAL_RETRY_MS = 10_000;
    private static final int NEW_CONNECTIONS_PER_TICK = 2;

    private final P2pConfig config;
    private final Supplier<Collection<Peer>> peers;
    private final List<String> addedNodes;
    private final AddrMan addrMan;
    private final BanMan banMan;
    private final AddrGossip gossip;
    private final SeedSources.Resolver resolver;
    private final BiFunction<PeerAddress, ConnectionType, CompletableFuture<Peer>> dialer;
    private final Map<String, Long> manualAttempts = new ConcurrentHashMap<>();
    private final Instant startedAt = Instant.now();
    private volatile boolean dnsSeedStarted;
    private boolean fixedSeedsAdded;
    private long nextFeelerMs;

    OutboundConnector(P2pConfig config, Supplier<Collection<Peer>> peers, List<String> addedNodes, AddrMan addrMan,
            BanMan banMan, AddrGossip gossip, SeedSources.Resolver resolver,
            BiFunction<PeerAddress, ConnectionType, CompletableFuture<Peer>> dialer) {
        this.config = config;
        this.peers = peers;
        this.addedNodes = addedNodes;
        this.addrMan = addrMan;
        this.banMan = banMan;
        this.gossip = gossip;
        this.resolver = resolver;
        this.dialer = dialer;
        this.nextFeelerMs = System.currentTimeMillis() + config.feelerInterval().toMillis();
    }

    /** One address-fetch connection to each -seednode. */
    void connectSeedNodes() {
        for (String seed : config.seedNode()) {
            resolveTarget(seed).ifPresent(a -> dialer.apply(a, ConnectionType.ADDR_FETCH));
        }
    }

    /** One pass of the loop; never throws (a throw would stop the scheduled task). */
    void tick() {
        try {
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
            maybeFeel();
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
            long manual = peers.get().stream().filter(p -> p.type() == ConnectionType.MANUAL).count();
            if (config.connect().isEmpty() && manual >= P2pConfig.MAX_ADDNODE_CONNECTIONS) {
                return;
            }
            manualAttempts.put(t, now);
            dialer.apply(target.get(), ConnectionType.MANUAL);
        }
    }

    /** host[:port] with an IP literal or a name (resolved here, off the I/O threads). */
    Optional<PeerAddress> resolveTarget(String text) {
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
                List<InetAddress> found = resolver.resolve(host);
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
        for (Peer p : peers.get()) {
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
        for (Peer p : peers.get()) {
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
            dialer.apply(pick.get(), type);
            have++;
        }
    }

    /**
     * Chooses the next automatic outbound address: reachable (-onlynet), not banned or
     * discouraged, not connected, not our own, and in a network group not in {@code usedGroups}
     * (which gains it): one outbound connection per group.
     */
    Optional<PeerAddress> pickOutbound(Set<String> usedGroups) {
        Optional<PeerAddress> pick = addrMan.select(false, a -> isDialable(a)
                && !usedGroups.contains(NetGroups.groupString(a.address())) && !isConnectedTo(a),
                Instant.now().getEpochSecond());
        pick.ifPresent(p -> usedGroups.add(NetGroups.groupString(p.address())));
        return pick;
    }

    /**
     * Core's feeler: once the full-relay slots are filled, every {@code feelerInterval} probe one
     * address of the new table, so that addresses that work move to tried and dead ones age out.
     * None when -maxconnections leaves no room for it (below 11 with the default slots, as Core).
     */
    private void maybeFeel() {
        long nowMs = System.currentTimeMillis();
        if (nowMs < nextFeelerMs || config.maxFeeler() == 0) {
            return;
        }
        long fullRelay = peers.get().stream()
                .filter(p -> p.type() == ConnectionType.OUTBOUND_FULL_RELAY && !p.isDisconnecting()).count();
        boolean feelerOpen = peers.get().stream().anyMatch(p -> p.type() == ConnectionType.FEELER);
        if (fullRelay < config.maxOutboundFullRelay() || feelerOpen) {
            return;
        }
        nextFeelerMs = nowMs + config.feelerInterval().toMillis();
        Set<String> usedGroups = new HashSet<>();
        for (Peer p : peers.get()) {
            if (p.type().isOutbound()) {
                usedGroups.add(NetGroups.groupString(p.address().address()));
            }
        }
        Optional<PeerAddress> pick = addrMan.select(true, a -> isDialable(a)
                && !usedGroups.contains(NetGroups.groupString(a.address())) && !isConnectedTo(a),
                Instant.now().getEpochSecond());
        pick.ifPresent(a -> {
            addrMan.attempt(a, Instant.now().getEpochSecond());
            dialer.apply(a, ConnectionType.FEELER);
        });
    }

    private boolean isDialable(PeerAddress a) {
        NetAddress n = a.address();
        return gossip.isReachable(n.network()) && !banMan.isBanned(n) && !banMan.isDiscouraged(n)
                && !config.externalAddresses().contains(a);
    }

    private void maybeSeed() {
        long elapsed = Duration.between(startedAt, Instant.now()).toSeconds();
        long fullRelay = peers.get().stream()
                .filter(p -> p.type() == ConnectionType.OUTBOUND_FULL_RELAY && p.isEstablished()).count();
        if (SeedPolicy.shouldQueryDns(config.dnsSeed(), dnsSeedStarted, !config.network().dnsSeeds().isEmpty(),
                addrMan.size(), elapsed, fullRelay)) {
            dnsSeedStarted = true;
            Thread t = new Thread(this::dnsSeed, "p2p-dnsseed");
            t.setDaemon(true);
            t.start();
        }
        if (SeedPolicy.shouldAddFixedSeeds(config.fixedSeeds(), fixedSeedsAdded(), config.dnsSeed(), addrMan.size(),
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

    private synchronized boolean fixedSeedsAdded() {
        return fixedSeedsAdded;
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

    /** A stable made-up source per seeding method, so its entries share bucket groups (as Core's internal addresses). */
    private static NetAddress pseudoSource(String name) {
        byte[] v6 = Arrays.copyOf(Hashes.sha256(name.getBytes(StandardCharsets.US_ASCII)), 16);
        v6[0] = (byte) 0xfd; // unique-local range: never routable, never dialled
        return new NetAddress(NetworkId.IPV6, v6);
    }
}
