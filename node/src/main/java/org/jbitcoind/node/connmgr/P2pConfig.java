package org.jbitcoind.node.connmgr;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jbitcoind.config.Network;
import org.jbitcoind.node.peer.PeerSettings;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;

/**
 * Everything the P2P layer is configured with. The daemon maps its settings onto this (the
 * Core option each field stands for is named); tests build it directly with {@link #builder}.
 *
 * @param network             which chain ({@code -chain})
 * @param dataDir             the network's data folder: {@code peers.dat} and {@code banlist.json} live here
 * @param bind                listening endpoints ({@code -bind}); empty means all interfaces on {@code port}
 * @param port                listening port ({@code -port}), 0 for an ephemeral one
 * @param listen              accept inbound connections ({@code -listen})
 * @param connect             connect only to these {@code host[:port]} ({@code -connect}); disables automatic outbound
 * @param addNode             keep connections to these as well ({@code -addnode})
 * @param seedNode            ask these for addresses once, then disconnect ({@code -seednode})
 * @param dnsSeed             query the network's DNS seeds when addresses are needed ({@code -dnsseed})
 * @param fixedSeeds          fall back to the compiled-in seed list ({@code -fixedseeds})
 * @param maxConnections      total connection limit ({@code -maxconnections}, default 125)
 * @param maxOutboundFullRelay automatic full-relay outbound connections (Core: 8); cut to
 *                            {@code maxConnections} when that is lower
 * @param maxBlockRelayOnly   automatic block-relay-only outbound connections (Core: 2); cut to what
 *                            the full-relay slots leave of {@code maxConnections}
 * @param onlyNet             make outbound connections only to these networks ({@code -onlynet}); empty = all
 * @param banTime             default duration of a manual ban ({@code -bantime}, default 86400 s)
 * @param services            service bits we advertise (see {@link #servicesFor})
 * @param userAgent           BIP14 user agent
 * @param relayTransactions   false for {@code -blocksonly}
 * @param feeFilterRate       BIP133 rate we announce, sat/kvB ({@code -minrelaytxfee})
 * @param handshakeTimeout    version/verack deadline ({@code -peertimeout})
 * @param inactivityTimeout   silent-peer and pong deadline (Core: 20 minutes)
 * @param pingInterval        ping period (Core: 2 minutes)
 * @param externalAddresses   our public addresses to advertise ({@code -externalip})
 * @param discourageLocal     also discourage misbehaving loopback peers (Core never does; for tests)
 * @param forceNio            use NIO even where epoll loads
 * @param connectInterval     period of the outbound connection loop
 * @param feelerInterval      period of feeler probes of new-table addresses (Core: 2 minutes)
 */
public record P2pConfig(Network network, Path dataDir, List<InetSocketAddress> bind, int port, boolean listen,
        List<String> connect, List<String> addNode, List<String> seedNode, boolean dnsSeed, boolean fixedSeeds,
        int maxConnections, int maxOutboundFullRelay, int maxBlockRelayOnly, Set<NetworkId> onlyNet,
        Duration banTime, long services, String userAgent, boolean relayTransactions, long feeFilterRate,
        Duration handshakeTimeout, Duration inactivityTimeout, Duration pingInterval,
        List<PeerAddress> externalAddresses, boolean discourageLocal, boolean forceNio, Duration connectInterval,
        Duration feelerInterval) {

    /** Core's MAX_OUTBOUND_FULL_RELAY_CONNECTIONS: the default full-relay outbound slots. */
    public static final int MAX_OUTBOUND_FULL_RELAY = 8;
    /** Core's MAX_BLOCK_RELAY_ONLY_CONNECTIONS: the default block-relay-only outbound slots. */
    public static final int MAX_BLOCK_RELAY_ONLY = 2;
    /** Core's MAX_FEELER_CONNECTIONS. */
    public static final int MAX_FEELER = 1;
    /** Core's MAX_ADDNODE_CONNECTIONS: manual connections have their own slots. */
    public static final int MAX_ADDNODE_CONNECTIONS = 8;
    /** Bytes pending to one peer beyond which it is dropped. */
    public static final long MAX_SEND_BUFFER = 64L * 1024 * 1024;
    /** Messages queued for the MessageHandler per peer before reading from it pauses. */
    public static final int MAX_DISPATCH_BACKLOG = 200;

    public P2pConfig {
        bind = List.copyOf(bind);
        connect = List.copyOf(connect);
        addNode = List.copyOf(addNode);
        seedNode = List.copyOf(seedNode);
        onlyNet = onlyNet.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(onlyNet));
        externalAddresses = List.copyOf(externalAddresses);
        if (maxConnections < 0 || maxOutboundFullRelay < 0 || maxBlockRelayOnly < 0) {
            throw new IllegalArgumentException("connection limits must not be negative");
        }
        // Core (CConnman::Init) fits the outbound slots into -maxconnections, full-relay first: a
        // limit below 8 + 2 loses block-relay-only slots before full-relay ones.
        maxOutboundFullRelay = Math.min(maxOutboundFullRelay, maxConnections);
        maxBlockRelayOnly = Math.min(maxBlockRelayOnly, maxConnections - maxOutboundFullRelay);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        for (Duration d : List.of(handshakeTimeout, inactivityTimeout, pingInterval, connectInterval, banTime,
                feelerInterval)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts and intervals must be positive, got " + d);
            }
        }
        if (userAgent.getBytes(StandardCharsets.UTF_8).length
                > org.jbitcoind.protocol.message.VersionMessage.MAX_USER_AGENT_LENGTH) {
            throw new IllegalArgumentException("user agent longer than 256 bytes");
        }
    }

    /** {@code /jbitcoind:VERSION/} as BIP14 formats it. */
    public static String defaultUserAgent(String version) {
        return "/jbitcoind:" + version + "/";
    }

    /** Our service bits: full (or, when pruned, limited BIP159) block serving, segwit, and the optional filters. */
    public static long servicesFor(boolean pruned, boolean bloomFilters, boolean compactFilters) {
        long s = ProtocolVersions.NODE_WITNESS | (pruned ? ProtocolVersions.NODE_NETWORK_LIMITED
                : ProtocolVersions.NODE_NETWORK);
        if (bloomFilters) {
            s |= ProtocolVersions.NODE_BLOOM;
        }
        if (compactFilters) {
            s |= ProtocolVersions.NODE_COMPACT_FILTERS;
        }
        return s;
    }

    /**
     * The feeler slot: one while the automatic outbound slots leave room for it within
     * {@link #maxConnections}, as Core's outbound semaphore (min(8 + 2 + 1, -maxconnections)) allows;
     * none below 11 connections or without automatic outbound connections.
     */
    public int maxFeeler() {
        return feelerSlots(maxOutboundFullRelay + maxBlockRelayOnly, maxConnections);
    }

    /** The automatic outbound slots: full-relay, block-relay-only and the feeler. */
    public int maxAutomaticOutbound() {
        return maxOutboundFullRelay + maxBlockRelayOnly + maxFeeler();
    }

    /**
     * Inbound slots: what the automatic outbound slots leave of {@link #maxConnections}, as Core's
     * m_max_inbound (125 - 11 = 114; none below 11).
     */
    public int maxInbound() {
        return Math.max(0, maxConnections - maxAutomaticOutbound());
    }

    /**
     * The automatic outbound slots Core's defaults give a connection limit: min(maxConnections, 8 + 2 + 1).
     * {@code p2p.FileDescriptorBudget} keeps this many whatever the open-files limit.
     */
    public static int defaultOutboundSlots(int maxConnections) {
        int fullRelay = Math.min(MAX_OUTBOUND_FULL_RELAY, maxConnections);
        int blockRelayOnly = Math.min(MAX_BLOCK_RELAY_ONLY, maxConnections - fullRelay);
        return fullRelay + blockRelayOnly + feelerSlots(fullRelay + blockRelayOnly, maxConnections);
    }

    private static int feelerSlots(int automatic, int maxConnections) {
        return automatic > 0 && automatic + MAX_FEELER <= maxConnections ? MAX_FEELER : 0;
    }

    public PeerSettings peerSettings() {
        return new PeerSettings(network.magic(), services, userAgent, relayTransactions, feeFilterRate,
                handshakeTimeout, inactivityTimeout, pingInterval, MAX_SEND_BUFFER, MAX_DISPATCH_BACKLOG);
    }

    public static Builder builder(Network network, Path dataDir) {
        return new Builder(network, dataDir);
    }

    /** Core's defaults; every setter returns the builder. */
    public static final class Builder {
        private final Network network;
        private final Path dataDir;
        private List<InetSocketAddress> bind = new ArrayList<>();
        private int port;
        private boolean listen = true;
        private List<String> connect = List.of();
        private List<String> addNode = List.of();
        private List<String> seedNode = List.of();
        private boolean dnsSeed = true;
        private boolean fixedSeeds = true;
        private int maxConnections = 125;
        private int maxOutboundFullRelay = MAX_OUTBOUND_FULL_RELAY;
        private int maxBlockRelayOnly = MAX_BLOCK_RELAY_ONLY;
        private Set<NetworkId> onlyNet = Set.of();
        private Duration banTime = Duration.ofSeconds(86400);
        private long services = servicesFor(false, false, false);
        private String userAgent = defaultUserAgent("0.1.0");
        private boolean relayTransactions = true;
        private long feeFilterRate = 1000;
        private Duration handshakeTimeout = Duration.ofSeconds(60);
        private Duration inactivityTimeout = Duration.ofMinutes(20);
        private Duration pingInterval = Duration.ofMinutes(2);
        private List<PeerAddress> externalAddresses = List.of();
        private boolean discourageLocal;
        private boolean forceNio;
        private Duration connectInterval = Duration.ofMillis(500);
        private Duration feelerInterval = Duration.ofMinutes(2);

        private Builder(Network network, Path dataDir) {
            this.network = network;
            this.dataDir = dataDir;
            this.port = network.defaultPort();
        }

        public Builder bind(List<InetSocketAddress> v) { bind = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder listen(boolean v) { listen = v; return this; }
        public Builder connect(List<String> v) { connect = v; return this; }
        public Builder addNode(List<String> v) { addNode = v; return this; }
        public Builder seedNode(List<String> v) { seedNode = v; return this; }
        public Builder dnsSeed(boolean v) { dnsSeed = v; return this; }
        public Builder fixedSeeds(boolean v) { fixedSeeds = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxOutboundFullRelay(int v) { maxOutboundFullRelay = v; return this; }
        public Builder maxBlockRelayOnly(int v) { maxBlockRelayOnly = v; return this; }
        public Builder onlyNet(Set<NetworkId> v) { onlyNet = v; return this; }
        public Builder banTime(Duration v) { banTime = v; return this; }
        public Builder services(long v) { services = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder relayTransactions(boolean v) { relayTransactions = v; return this; }
        public Builder feeFilterRate(long v) { feeFilterRate = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder inactivityTimeout(Duration v) { inactivityTimeout = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder externalAddresses(List<PeerAddress> v) { externalAddresses = v; return this; }
        public Builder discourageLocal(boolean v) { discourageLocal = v; return this; }
        public Builder forceNio(boolean v) { forceNio = v; return this; }
        public Builder connectInterval(Duration v) { connectInterval = v; return this; }
        public Builder feelerInterval(Duration v) { feelerInterval = v; return this; }

        public P2pConfig build() {
            return new P2pConfig(network, dataDir, bind, port, listen, connect, addNode, seedNode, dnsSeed, fixedSeeds,
                    maxConnections, maxOutboundFullRelay, maxBlockRelayOnly, onlyNet, banTime, services, userAgent,
                    relayTransactions, feeFilterRate, handshakeTimeout, inactivityTimeout, pingInterval,
                    externalAddresses, discourageLocal, forceNio, connectInterval, feelerInterval);
        }
    }
}
