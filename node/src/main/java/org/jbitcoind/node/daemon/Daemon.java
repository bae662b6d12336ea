package org.jbitcoind.node.daemon;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.config.ConfigException;
import org.jbitcoind.config.HelpText;
import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.jbitcoind.node.Node;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.node.chain.ChainService;
import org.jbitcoind.node.metrics.Metrics;
import org.jbitcoind.node.metrics.NodeMetrics;
import org.jbitcoind.node.rpc.LoggingControl;
import org.jbitcoind.node.rpc.RpcService;
import org.jbitcoind.node.mempool.MempoolService;
import org.jbitcoind.node.p2p.FileDescriptorCheck;
import org.jbitcoind.node.p2p.OpenFilesLimit;
import org.jbitcoind.node.p2p.P2pService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon process from start to exit: settings, logging, the node and its services, waiting
 * for a shutdown request, and a shutdown bounded in time. Returns the process exit status.
 */
public final class Daemon {
    /** Shutdown must finish within this time; after it the process ends anyway, with status 1. */
    static final long SHUTDOWN_LIMIT_SECONDS = 10;
    static final String USAGE = "Usage: jbitcoind [options]\n"
            + "Settings come from the command line (-key=value, -key, -nokey) and the properties file"
            + " (key=value); see docs/configuration.md.";

    private final PrintStream out;
    private final PrintStream err;

    public Daemon(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(List<String> args) {
        Settings settings;
        Set<String> debugLoggers;
        try {
            settings = SettingsLoader.load(args);
            debugLoggers = LogCategories.loggers(settings.getList("debug"));
        } catch (ConfigException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        if (settings.getBool("help")) {
            out.print(HelpText.render(USAGE, settings.registry()));
            return 0;
        }
        if (settings.getBool("version")) {
            out.println("jbitcoind version " + version());
            return 0;
        }
        if (settings.getBool("daemon")) {
            return Background.launch(args, err);
        }
        LogSetup.configure(settings.getBool("printtoconsole"), debugLoggers);
        try {
            return runNode(settings);
        } finally {
            LogSetup.shutdown();
        }
    }

    private int runNode(Settings settings) {
        Logger log = LoggerFactory.getLogger(Daemon.class);
        NativePreload.start();
        Node node = new Node(settings);
        addServices(node, settings);
        ShutdownSignals.install(node::requestShutdown);
        // Any other way the JVM ends (SIGHUP, System.exit elsewhere) still closes the services.
        Thread hook = new Thread(node::stop, "shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            node.start();
        } catch (StartupException e) {
            log.error(LogSetup.FILE_ONLY, "Error: {}", e.getMessage());
            err.println("Error: " + e.getMessage());
            return 1;
        }
        log.info("jbitcoind {} started on {} (pid {})", version(), settings.network().id(),
                ProcessHandle.current().pid());
        if (Background.isChild()) {
            Background.signalReady(out);
        }
        awaitShutdownRequest(node);
        log.info("Shutdown requested");
        boolean clean = stopWithin(node, SHUTDOWN_LIMIT_SECONDS);
        removeHook(hook);
        if (clean) {
            log.info("Shutdown: done");
        }
        if (node.fatalError().isPresent()) {
            // The error line itself was logged where it happened; the console gets it once more, as at start-up.
            err.println("Error: " + node.fatalError().get());
            return 1;
        }
        return clean ? 0 : 1;
    }

    /**
     * The node's services in start order; each may use the ones before it. The lock comes first
     * so nothing touches a folder another daemon owns.
     */
    private static void addServices(Node node, Settings settings) {
        node.add(new DataDirectory(settings.dataDir()));
        settings.getPath("debuglogfile").ifPresent(file -> node.add(new DebugLogFile(file)));
        node.add(new StartupBanner(settings));
        settings.getPath("pid").ifPresent(file -> node.add(new PidFile(file, ProcessHandle.current().pid())));
        // Before the database opens: a limit too low for even the outbound peers stops start-up here.
        FileDescriptorCheck fds = new FileDescriptorCheck(settings, OpenFilesLimit.current());
        node.add(fds);
        ChainService chain = new ChainService(settings).onFatalError(node::fatalError);
        MempoolService mempool = new MempoolService(settings, chain::chainstate);
        P2pService p2p = new P2pService(settings, chain::chainstate, chain::filterRequests)
                .withMempool(() -> mempool).withMaxConnections(fds::maxConnections);
        // RPC listens before the chain loads, answering -28 until the warm-up service below opens it.
        RpcService rpc = new RpcService(settings, node::requestShutdown, chain::chainstate, () -> mempool,
                () -> p2p, loggingControl(settings)).withBlockFilterIndex(chain::blockFilterIndex);
        // Metrics read each service at scrape time, so they can be registered before the services start.
        Metrics metrics = rpc.metrics();
        NodeMetrics.registerChain(metrics, chain::chainstate);
        NodeMetrics.registerMempool(metrics, mempool::pool);
        NodeMetrics.registerP2p(metrics, p2p::connectionManager);
        node.add(rpc);
        node.add(chain);
        node.add(mempool);
        node.add(p2p);
        node.add(rpc.warmupFinished());
    }

    /** The RPC {@code logging} method's view of the -debug categories, applied to the loggers at once. */
    private static LoggingControl loggingControl(Settings settings) {
        Path logFile = settings.getPath("debuglogfile").orElse(settings.dataDir().resolve("debug.log"));
        org.jbitcoind.node.rpc.LogCategories categories = new org.jbitcoind.node.rpc.LogCategories(
                org.jbitcoind.node.rpc.LogCategories.NODE_CATEGORIES, logFile, LogSetup::setDebugCategory);
        for (String value : settings.getList("debug")) {
            categories.enable(value.trim());
        }
        return categories;
    }

    /** After our own shutdown the hook has nothing left to do, and must not wait on a stuck service. */
    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (e.g. SIGHUP) and runs the hook itself.
        }
    }

    private static void awaitShutdownRequest(Node node) {
        try {
            node.awaitShutdownRequest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the node on another thread so a service stuck in close() cannot hold the process forever. */
    private boolean stopWithin(Node node, long seconds) {
        Thread stopper = new Thread(node::stop, "shutdown");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(TimeUnit.SECONDS.toMillis(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            err.println("Error: shutdown did not finish within " + seconds + " seconds");
            return false;
        }
        return true;
    }

    static String version() {
        return Optional.ofNullable(Daemon.class.getPackage().getImplementationVersion()).orElse("(development build)");
    }
}
