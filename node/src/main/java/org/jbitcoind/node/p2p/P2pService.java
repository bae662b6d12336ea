package org.jbitcoind.node.p2p;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jbitcoind.chain.filterindex.FilterRequestHandler;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.config.Settings;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.node.addrmgr.AddrMan;
import org.jbitcoind.node.connmgr.BanMan;
import org.jbitcoind.node.connmgr.ConnectionManager;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.net.InetAddresses;
import org.jbitcoind.node.mempool.MempoolService;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.relay.RelayConfig;
import org.jbitcoind.node.relay.RelayMempool;
import org.jbitcoind.node.relay.TxRelayHandler;
import org.jbitcoind.node.sync.LightClientServing;
import org.jbitcoind.node.sync.PeerSyncStats;
import org.jbitcoind.node.sync.SyncConfig;
import org.jbitcoind.node.sync.SyncManager;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;

/**
 * The P2P layer and the chain-sync manager as a node service: maps the settings onto a
 * {@link P2pConfig}, starts the {@link SyncManager} on the chain state and the
 * {@link ConnectionManager} with it as message handler. A listening port that cannot be bound
 * (in use, no permission) fails start-up with one clear line.
 *
 * <p>Settings read: listen, port, bind, connect, addnode, seednode, dnsseed, fixedseeds,
 * maxconnections, onlynet, bantime, peertimeout, externalip, blocksonly, minrelaytxfee, prune,
 * peerbloomfilters, peerblockfilters, txannounceinterval.
 *
 * <p>For the RPC methods (getpeerinfo, getconnectioncount, addnode, setban, ...): {@link #connectionManager()},
 * {@link #banMan()}, {@link #addrMan()}, {@link #peers()}, {@link #syncStats(long)}, {@link #sync()}.
 */
public final class P2pService implements NodeService {
    private final Settings settings;
    private final Supplier<ChainstateManager> chain;
    private final SyncConfig syncConfig;
    private final Supplier<FilterRequestHandler> filterRequests;
    private volatile ConnectionManager connman;
    private volatile SyncManager sync;
    private Supplier<MempoolService> mempool;
    private java.util.function.IntSupplier maxConnections;
    private volatile TxRelayHandler relay;

    /** Without compact block filters: every BIP157 request is refused (the daemon passes the handler). */
    public P2pService(Settings settings, Supplier<ChainstateManager> chain) {
        this(settings, chain, () -> FilterRequestHandler.of(chain.get(), null), SyncConfig.defaults());
    }

    /**
     * @param filterRequests BIP157 requests are answered by this ({@code ChainService::filterRequests}), read at start
     */
    public P2pService(Settings settings, Supplier<ChainstateManager> chain,
            Supplier<FilterRequestHandler> filterRequests) {
        this(settings, chain, filterRequests, SyncConfig.defaults());
    }

    public P2pService(Settings settings, Supplier<ChainstateManager> chain, SyncConfig syncConfig) {
        this(settings, chain, () -> FilterRequestHandler.of(chain.get(), null), syncConfig);
    }

    public P2pService(Settings settings, Supplier<ChainstateManager> chain,
            Supplier<FilterRequestHandler> filterRequests, SyncConfig syncConfig) {
        this.settings = settings;
        this.chain = chain;
        this.filterRequests = filterRequests;
        this.syncConfig = syncConfig;
    }

    /**
     * Relays transactions through {@code mempool} (started before this service): announces what
     * enters it, feeds it what peers send. Without this the P2P service relays no transactions.
     */
    public P2pService withMempool(Supplier<MempoolService> mempool) {
        this.mempool = mempool;
        return this;
    }

    /**
     * Caps the connections at {@code maxConnections} (read at start) instead of -maxconnections: the
     * daemon passes {@link FileDescriptorCheck#maxConnections()}, -maxconnections fitted to the open-files limit.
     */
    public P2pService withMaxConnections(java.util.function.IntSupplier maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    @Override
    public String name() {
        return "P2P";
    }

    @Override
    public void start() throws StartupException {
        P2pConfig config = maxConnections == null ? config(settings)
                : config(settings, maxConnections.getAsInt());
        LightClientServing serving = new LightClientServing(settings.getBool("peerbloomfilters"),
                filterRequests.get());
        SyncManager s = new SyncManager(chain.get(), syncConfig, serving);
        TxRelayHandler r = null;
        MessageHandler handler = s;
        if (mempool != null) {
            MempoolService m = mempool.get();
            RelayConfig relayConfig = RelayConfig.defaults()
                    .withOutboundInterval(Duration.ofMillis(settings.getLong("txannounceinterval")));
            r = new TxRelayHandler(s, chain.get(), m.pool(), RelayMempool.of(m.pool(), m::context), m.orphans(),
                    relayConfig, !settings.getBool("blocksonly"), serving.bloomFilters());
            handler = r;
        }
        ConnectionManager c = new ConnectionManager(config, s::bestHeight, handler);
        try {
            c.start();
        } catch (IOException e) {
            if (r != null) {
                r.close();
            }
            s.close();
            throw new StartupException(e.getMessage() + " (is another jbitcoind running?)", e);
        }
        relay = r;
        sync = s;
        connman = c;
    }

    /** The P2P configuration the settings ask for. Bad addresses are reported naming the key. */
    public static P2pConfig config(Settings settings) throws StartupException {
        return config(settings, settings.getInt("maxconnections"));
    }

    /** The P2P configuration the settings ask for, with the connection limit {@code maxConnections}. */
    public static P2pConfig config(Settings settings, int maxConnections) throws StartupException {
        int port = settings.getInt("port");
        List<String> connect = settings.getList("connect");
        boolean connectNowhere = settings.isNegated("connect") || connect.equals(List.of("0"));
        P2pConfig.Builder b = P2pConfig.builder(settings.network(), settings.dataDir())
                .port(port)
                .listen(settings.getBool("listen"))
                .bind(bindAddresses(settings.getList("bind"), port))
                .connect(connectNowhere ? List.of() : connect)
                .addNode(settings.getList("addnode"))
                .seedNode(settings.getList("seednode"))
                .dnsSeed(settings.getBool("dnsseed"))
                .fixedSeeds(settings.getBool("fixedseeds"))
                .maxConnections(maxConnections)
                .onlyNet(onlyNet(settings.getList("onlynet")))
                .banTime(Duration.ofSeconds(settings.getLong("bantime")))
                .handshakeTimeout(Duration.ofSeconds(settings.getLong("peertimeout")))
                .externalAddresses(externalAddresses(settings.getList("externalip"), port))
                .relayTransactions(!settings.getBool("blocksonly"))
                // -minrelaytxfee is BTC/kvB, read as satoshis per kvB: the BIP133 unit.
                .feeFilterRate(settings.getAmount("minrelaytxfee"))
                .services(P2pConfig.servicesFor(settings.getLong("prune") > 0, settings.getBool("peerbloomfilters"),
                        settings.getBool("peerblockfilters")))
                .userAgent(P2pConfig.defaultUserAgent(version()));
        if (connectNowhere) {
            b.maxOutboundFullRelay(0).maxBlockRelayOnly(0);
        }
        return b.build();
    }

    private static List<InetSocketAddress> bindAddresses(List<String> binds, int port) throws StartupException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String bind : binds) {
            Optional<InetSocketAddress> a;
            try {
                a = InetAddresses.toSocket(PeerAddress.parse(bind, port));
            } catch (IllegalArgumentException e) {
                throw new StartupException("-bind=" + bind + ": " + e.getMessage());
            }
            out.add(a.orElseThrow(() -> new StartupException("-bind=" + bind + ": not an IP address")));
        }
        return out;
    }

    private static List<PeerAddress> externalAddresses(List<String> values, int port) throws StartupException {
        List<PeerAddress> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(PeerAddress.parse(v, port));
            } catch (IllegalArgumentException e) {
                throw new StartupException("-externalip=" + v + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static Set<NetworkId> onlyNet(List<String> nets) {
        if (nets.isEmpty()) {
            return Set.of();
        }
        Set<NetworkId> out = EnumSet.noneOf(NetworkId.class);
        for (String n : nets) {
            out.add(n.equals("ipv6") ? NetworkId.IPV6 : NetworkId.IPV4);
        }
        return out;
    }

    private static String version() {
        return Optional.ofNullable(P2pService.class.getPackage().getImplementationVersion()).orElse("0.1.0");
    }

    /** The connection manager (peers, addnode, disconnectnode); only between start and close. */
    public ConnectionManager connectionManager() {
        ConnectionManager c = connman;
        if (c == null) {
            throw new IllegalStateException("P2P is not running");
        }
        return c;
    }

    public BanMan banMan() {
        return connectionManager().banMan();
    }

    public AddrMan addrMan() {
        return connectionManager().addrMan();
    }

    /** Connected peers; their getters give getpeerinfo's fields (docs/p2p.md). */
    public List<Peer> peers() {
        return connectionManager().peers();
    }

    /** A peer's sync state (synced_headers, inflight) for getpeerinfo. */
    public Optional<PeerSyncStats> syncStats(long peerId) {
        SyncManager s = sync;
        return s == null ? Optional.empty() : s.peerStats(peerId);
    }

    public SyncManager sync() {
        SyncManager s = sync;
        if (s == null) {
            throw new IllegalStateException("P2P is not running");
        }
        return s;
    }

    /** The bound listening addresses (the real port when -port=0). */
    public List<InetSocketAddress> listenAddresses() {
        return connectionManager().listenAddresses();
    }

    @Override
    public void close() {
        ConnectionManager c = connman;
        connman = null;
        if (c != null) {
            c.close();
        }
        TxRelayHandler r = relay;
        relay = null;
        if (r != null) {
            r.close();
        }
        SyncManager s = sync;
        sync = null;
        if (s != null) {
            s.close();
        }
    }
}
