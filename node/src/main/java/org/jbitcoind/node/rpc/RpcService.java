package org.jbitcoind.node.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.config.Settings;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.node.metrics.Metrics;
import org.jbitcoind.node.metrics.MetricsServer;
import org.jbitcoind.node.p2p.P2pService;
import org.jbitcoind.node.rpc.methods.BlockchainMethods;
import org.jbitcoind.node.mempool.MempoolService;
import org.jbitcoind.node.rpc.methods.MempoolMethods;
import org.jbitcoind.node.rpc.methods.MempoolView;
import org.jbitcoind.node.rpc.methods.MiningMethods;
import org.jbitcoind.node.rpc.methods.NetworkMethods;
import org.jbitcoind.node.rpc.methods.RawTransactionMethods;
import org.jbitcoind.node.rpc.methods.TipWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC server as a node service. It starts before the chain state so that clients get -28
 * ("Loading block index…") rather than "connection refused" while the node loads; the service
 * returned by {@link #warmupFinished()}, added after the chain (and P2P) services, opens it up.
 * Also serves -metricsport.
 *
 * <p>Settings read: server, rpcport, rpcbind, rpcallowip, rpcuser, rpcpassword, rpcauth,
 * rpccookiefile, rpcthreads, rpcworkqueue, rpcservertimeout, metricsport, debuglogfile, debug.
 */
public final class RpcService implements NodeService {
    private static final Logger LOG = LoggerFactory.getLogger(RpcService.class);

    private final Settings settings;
    private final Runnable requestShutdown;
    private final Supplier<ChainstateManager> chain;
    private final Supplier<MempoolService> mempool;
    private final Supplier<P2pService> p2p;
    private final LoggingControl logging;
    private Supplier<java.util.Optional<org.jbitcoind.chain.filterindex.BlockFilterIndex>> filterIndex =
            java.util.Optional::empty;
    private final RpcRegistry registry = new RpcRegistry();
    private final Metrics metrics = new Metrics();
    private TipWatcher tips;
    private RpcServer server;
    private MetricsServer metricsServer;

    /**
     * @param requestShutdown what the {@code stop} method calls (Node::requestShutdown)
     * @param chain           the chain state, valid once the chain service has started
     * @param mempool         the mempool service, or null: then the mempool methods are left out
     * @param p2p             the P2P service for the network methods, or null to leave them out
     * @param logging         what {@code logging} and {@code getrpcinfo} act on
     */
    public RpcService(Settings settings, Runnable requestShutdown, Supplier<ChainstateManager> chain,
            Supplier<MempoolService> mempool, Supplier<P2pService> p2p, LoggingControl logging) {
        this.settings = settings;
        this.p2p = p2p;
        this.requestShutdown = requestShutdown;
        this.chain = chain;
        this.mempool = mempool;
        this.logging = logging;
    }

    @Override
    public String name() {
        return "RPC server";
    }

    /** Where getblockfilter finds the filter index (-blockfilterindex); without it the method reports it off. */
    public RpcService withBlockFilterIndex(
            Supplier<java.util.Optional<org.jbitcoind.chain.filterindex.BlockFilterIndex>> index) {
        this.filterIndex = index;
        return this;
    }

    public RpcRegistry registry() {
        return registry;
    }

    /**
     * The node's metrics registry that -metricsport serves (RPC calls are counted from the start); other
     * services' metrics are registered on it by the daemon (see {@link org.jbitcoind.node.metrics.NodeMetrics}).
     */
    public Metrics metrics() {
        return metrics;
    }

    /** The port the server listens on; only while running with -server. */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("the RPC server is not running");
        }
        return server.port();
    }

    @Override
    public void start() throws StartupException {
        registry.setWarmupStatus("Loading block index…");
        tips = new TipWatcher(() -> chain.get().activeChain().tip());
        registerMethods();
        metrics.instrument(registry);
        int metricsPort = settings.getInt("metricsport");
        if (metricsPort > 0) {
            try {
                metricsServer = MetricsServer.start(metrics, metricsPort);
            } catch (IOException e) {
                throw new StartupException("Unable to start the metrics server on port " + metricsPort + ": "
                        + e.getMessage() + " (is another jbitcoind running?)", e);
            }
        }
        RpcSettings.Source source = this::values;
        if (!RpcSettings.serverEnabled(source)) {
            LOG.info("RPC server disabled (-server=0)");
            return;
        }
        try {
            server = RpcServer.start(RpcSettings.toConfig(source, settings.network(), settings.dataDir()), registry);
        } catch (RpcConfigException e) {
            closeMetrics();
            throw new StartupException(e.getMessage() + portHint(e), e);
        }
    }

    private static String portHint(RpcConfigException e) {
        return e.getMessage().startsWith("Unable to bind")
                ? " (the RPC port is in use: is another jbitcoind running? Choose another with -rpcport)" : "";
    }

    private void registerMethods() {
        ControlMethods.register(registry, requestShutdown, logging, Clock.systemUTC());
        EchoMethods.register(registry);
        Supplier<ChainstateManager> c = chain;
        MempoolView pool = mempool == null ? MempoolView.NONE : new LazyMempool(() -> mempool.get().view());
        LongSupplier diskSize = () -> directorySize(settings.dataDir().resolve("chainstate"));
        BlockchainMethods.register(registry, c, settings.network(), tips, pool, diskSize);
        RawTransactionMethods.register(registry, c, settings.network(), pool);
        org.jbitcoind.node.rpc.methods.BlockFilterMethods.register(registry, c, () -> filterIndex.get());
        MiningMethods.register(registry, c, settings.network(), pool,
                () -> mempool == null ? java.util.Optional.empty() : java.util.Optional.of(mempool.get()));
        if (mempool != null) {
            MempoolMethods.register(registry, c, mempool, settings.network(),
                    () -> p2p == null ? 0 : peerCount(p2p.get()));
        }
        if (p2p != null) {
            NetworkMethods.register(registry, p2p);
        }
    }

    private List<String> values(String key) {
        // Only keys set by the operator count: RpcSettings applies Core's defaults itself.
        if (!settings.isSet(key)) {
            return List.of();
        }
        return switch (key) {
            case "rpcbind", "rpcallowip", "rpcauth" -> settings.getList(key);
            case "server" -> List.of(settings.getBool(key) ? "1" : "0");
            case "rpcport", "rpcthreads", "rpcworkqueue", "rpcservertimeout" -> List.of(Long.toString(settings.getLong(key)));
            case "rpccookiefile" -> List.of(settings.getPath(key).map(Path::toString).orElse("0"));
            default -> List.of(settings.getString(key));
        };
    }

    /** The service that ends the warm-up once everything added before it has started. */
    public NodeService warmupFinished() {
        return new NodeService() {
            @Override
            public String name() {
                return "RPC warm-up";
            }

            @Override
            public void start() {
                chain.get().addListener(tips);
                registry.setWarmupFinished();
                BlockIndex tip = chain.get().activeChain().tip();
                LOG.debug("RPC warm-up finished at height {}", tip == null ? -1 : tip.height());
            }

            @Override
            public void close() {
                registry.setWarmupStatus("Shutting down");
                tips.close();
                try {
                    chain.get().removeListener(tips);
                } catch (IllegalStateException e) {
                    // the chain state is already gone
                }
            }
        };
    }

    @Override
    public void close() {
        if (tips != null) {
            tips.close();
        }
        if (server != null) {
            server.close();
            server = null;
        }
        closeMetrics();
    }

    private void closeMetrics() {
        if (metricsServer != null) {
            metricsServer.close();
            metricsServer = null;
        }
    }

    private static int peerCount(P2pService p2p) {
        try {
            return p2p.peers().size();
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    private static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file compacted away while we walk
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** Reads the mempool supplier on each call, so a mempool service started later is seen. */
    private record LazyMempool(Supplier<MempoolView> source) implements MempoolView {
        @Override
        public boolean available() {
            return source.get().available();
        }

        @Override
        public java.util.Optional<org.jbitcoind.protocol.primitives.Transaction> get(
                org.jbitcoind.protocol.crypto.Hash256 txid) {
            return source.get().get(txid);
        }

        @Override
        public boolean isSpent(org.jbitcoind.protocol.primitives.OutPoint outpoint) {
            return source.get().isSpent(outpoint);
        }

        @Override
        public java.util.Optional<org.jbitcoind.storage.Coin> output(
                org.jbitcoind.protocol.primitives.OutPoint outpoint) {
            return source.get().output(outpoint);
        }

        @Override
        public int size() {
            return source.get().size();
        }
    }

}
