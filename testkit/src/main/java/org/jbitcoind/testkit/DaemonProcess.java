package org.jbitcoind.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jbitcoind.config.Network;

/**
 * The real daemon as a separate process for tests and benchmarks (regtest unless told otherwise):
 * {@code org.jbitcoind.node.Main} started by name from this JVM's class path, no DNS or fixed seeds, RPC on an ephemeral 127.0.0.1 port read back from its
 * console, cookie authentication. Its console (stdout and stderr) goes to a file beside the data directory, one
 * per start, so that a full or copied data directory never holds it. It is stopped (SIGTERM) or
 * killed (SIGKILL) by its own PID; {@link #close} kills it if it still runs, and every daemon
 * still running when the test JVM ends is killed too.
 */
public final class DaemonProcess implements AutoCloseable {
    /** How long a wait for the daemon (a console line, an exit) may take unless told otherwise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);
    /**
     * JIT options of a test daemon: C1 only, since a test's daemon lives seconds. A benchmark that
     * measures the daemon starts it with {@link #launchForMeasurement} instead, without them.
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1");
    /** P2P on an ephemeral 127.0.0.1 port, read back with {@link #p2pAddress()}. */
    public static final List<String> LISTEN_ON_LOOPBACK = List.of("-listen=1", "-port=0", "-bind=127.0.0.1");
    private static final Pattern P2P_PORT = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    private static final Pattern RPC_PORT = Pattern.compile("Binding RPC on address 127\\.0\\.0\\.1 port (\\d+)");
    private static final int TAIL = 6000;

    /** Killed if the test JVM itself is ended (e.g. Maven stopped) before a test's cleanup. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-test-daemons"));
    }

    private final Process process;
    private final Path datadir;
    private final Network network;
    private final Path console;
    /** Console polling period: longer for a measured daemon, whose CPU this JVM's polling shares. */
    private final long pollMillis;
    private RpcClient rpc;
    private int p2pPort;

    private DaemonProcess(Process process, Path datadir, Network network, Path console, long pollMillis) {
        this.process = process;
        this.datadir = datadir;
        this.network = network;
        this.console = console;
        this.pollMillis = pollMillis;
    }

    /**
     * The java command line of a test daemon of {@code network} on {@code datadir}: this JVM's class
     * path, {@link #QUICK_START}, no seeds, RPC on an ephemeral 127.0.0.1 port, then {@code settings}
     * (later values win, lists add up).
     */
    public static List<String> command(Path datadir, Network network, List<String> jvmOptions,
            List<String> settings) {
        return command(QUICK_START, datadir, network, jvmOptions, settings);
    }

    private static List<String> command(List<String> jit, Path datadir, Network network, List<String> jvmOptions,
            List<String> settings) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(jit);
        command.addAll(List.of(
                // Keeps the default datadir (~/.jbitcoind) inside the test's folder.
                "-Duser.home=" + datadir.resolve("home"),
                "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-chain=" + network.id(), "-datadir=" + datadir, "-dnsseed=0",
                "-fixedseeds=0", "-rpcport=0", "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1"));
        command.addAll(settings);
        return command;
    }

    /** Starts a daemon logging to its console file, without waiting for it (several may start in parallel). */
    public static DaemonProcess launch(Path datadir, Network network, List<String> jvmOptions,
            List<String> settings) throws IOException {
        return launch(List.of(), datadir, network, jvmOptions, settings);
    }

    /**
     * {@link #launch(Path, Network, List, List)} with {@code wrapper} in front of the java command, a
     * program that ends by exec'ing it (so the PID stays the daemon's), e.g. {@link #withOpenFilesLimit}.
     */
    public static DaemonProcess launch(List<String> wrapper, Path datadir, Network network, List<String> jvmOptions,
            List<String> settings) throws IOException {
        return start(wrapper, QUICK_START, datadir, network, jvmOptions, settings);
    }

    /**
     * {@link #launch(Path, Network, List, List)} for a benchmark: the JVM compiles as in production
     * (no {@link #QUICK_START}), so that what is measured is the daemon an operator runs.
     */
    public static DaemonProcess launchForMeasurement(Path datadir, Network network, List<String> jvmOptions,
            List<String> settings) throws IOException {
        return start(List.of(), List.of(), datadir, network, jvmOptions, settings);
    }

    private static DaemonProcess start(List<String> wrapper, List<String> jit, Path datadir, Network network,
            List<String> jvmOptions, List<String> settings) throws IOException {
        Files.createDirectories(datadir);
        List<String> all = new ArrayList<>(settings);
        all.add(0, "-printtoconsole");
        Path console = freeConsoleFile(datadir);
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(command(jit, datadir, network, jvmOptions, all));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(console.toFile()).start();
        p.getOutputStream().close();
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return new DaemonProcess(p, datadir, network, console, jit.isEmpty() ? 50 : 20);
    }

    /** A wrapper for {@link #launch(List, Path, Network, List, List)}: bash sets soft and hard RLIMIT_NOFILE, then execs. */
    public static List<String> withOpenFilesLimit(int files) {
        return List.of("bash", "-c", "ulimit -n " + files + " && exec \"$@\"", "bash");
    }

    /** {@code datadir-console-N.txt} beside the data directory, N the first number not used yet. */
    private static Path freeConsoleFile(Path datadir) {
        for (int n = 0; ; n++) {
            Path p = datadir.resolveSibling(datadir.getFileName() + "-console-" + n + ".txt");
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    /** Waits until the daemon has started (its RPC warm-up is over); kills it and fails if it does not. */
    public DaemonProcess awaitStarted() throws Exception {
        return awaitStarted(TIMEOUT);
    }

    /** {@link #awaitStarted()} waiting at most {@code timeout}. */
    public DaemonProcess awaitStarted(Duration timeout) throws Exception {
        try {
            // The daemon's own line, logged after every service (not the P2P layer's "P2P started on").
            awaitLine(Pattern.compile(Pattern.quote("started on " + network.id() + " (pid")), timeout);
            return this;
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Waits for a line of the console matching {@code pattern}; fails if the daemon exits first. */
    public Matcher awaitLine(Pattern pattern) throws Exception {
        return awaitLine(pattern, TIMEOUT);
    }

    /** {@link #awaitLine(Pattern)} waiting at most {@code timeout}. */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(consoleText());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited with " + process.exitValue() + " before '" + pattern
                        + "':\n" + consoleTail());
            }
            Thread.sleep(pollMillis);
        }
        throw new AssertionError("no '" + pattern + "' within " + timeout + ":\n" + consoleTail());
    }

    /** Waits for {@code text} in the console; fails if the daemon exits first. */
    public void awaitLine(String text) throws Exception {
        awaitLine(Pattern.compile(Pattern.quote(text)));
    }

    /** Its JSON-RPC server, once it has logged the port it bound. */
    public synchronized RpcClient rpc() throws Exception {
        if (rpc == null) {
            int port = Integer.parseInt(awaitLine(RPC_PORT).group(1));
            rpc = new RpcClient(port, networkDir().resolve(".cookie"));
        }
        return rpc;
    }

    /** Its P2P listening address, once it has logged it (started with {@link #LISTEN_ON_LOOPBACK}). */
    public synchronized InetSocketAddress p2pAddress() throws Exception {
        if (p2pPort == 0) {
            p2pPort = Integer.parseInt(awaitLine(P2P_PORT).group(1));
        }
        return new InetSocketAddress("127.0.0.1", p2pPort);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Path datadir() {
        return datadir;
    }

    /** The network's folder in the data directory (the data directory itself for mainnet). */
    public Path networkDir() {
        return datadir.resolve(network.dataSubdir());
    }

    /** The data directory's name, for messages. */
    public String name() {
        return datadir.getFileName().toString();
    }

    public String consoleText() throws IOException {
        return Files.exists(console) ? Files.readString(console) : "";
    }

    /** The end of the console, for failure messages. */
    public String consoleTail() throws IOException {
        return tail(consoleText());
    }

    public static String tail(String console) {
        return console.length() <= TAIL ? console : "..." + console.substring(console.length() - TAIL);
    }

    /** SIGTERM by PID and a bounded wait for the orderly exit (else SIGKILL and a failure); its exit status. */
    public int stop() throws Exception {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            close();
            throw new AssertionError("daemon did not stop within 60 s of SIGTERM:\n" + consoleTail());
        }
        return process.exitValue();
    }

    /** {@link #stop()}, and the daemon must exit with status 0. */
    public void stopCleanly() throws Exception {
        int status = stop();
        if (status != 0) {
            throw new AssertionError("daemon exited with " + status + ":\n" + consoleTail());
        }
    }

    /** SIGKILL by PID: no shutdown hook, no final flush. Returns whether it was still running. */
    public boolean kill() throws Exception {
        boolean wasRunning = process.isAlive();
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("killed daemon still running");
        }
        return wasRunning;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
