package org.jbitcoind.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jbitcoind.config.Network;
import org.jbitcoind.testkit.DaemonProcess;
import org.jbitcoind.testkit.RpcClient;

/**
 * The jbitcoind daemon as a separate process for load benchmarks: testkit's {@link DaemonProcess}
 * started for measurement (the JIT as in production), regtest, P2P and RPC on ephemeral 127.0.0.1
 * ports, no seeding, no outbound connections; plus what a benchmark reads of it: resident memory
 * and CPU time from /proc, the live heap through jcmd.
 */
final class BenchDaemon implements AutoCloseable {
    /** Listening on 127.0.0.1 (ephemeral port), no outbound connections. */
    private static final List<String> SETTINGS;
    /** A benchmark's RPC calls (a block template from a full pool, say) may take long on a loaded machine. */
    private static final Duration RPC_TIMEOUT = Duration.ofMinutes(5);

    static {
        List<String> s = new ArrayList<>(DaemonProcess.LISTEN_ON_LOOPBACK);
        s.add("-connect=0");
        SETTINGS = List.copyOf(s);
    }

    private final DaemonProcess process;
    private RpcClient rpc;
    private int p2pPort;

    private BenchDaemon(DaemonProcess process) {
        this.process = process;
    }

    /**
     * Starts the daemon from this JVM's class path (the benchmark jar holds the node) and waits until it
     * listens and answers RPC.
     *
     * @param jvmOptions options for the daemon's JVM (e.g. -Xmx), none for the launcher's defaults
     * @param settings   daemon settings added to the fixed regtest/loopback ones
     */
    static BenchDaemon start(Path datadir, List<String> jvmOptions, List<String> settings, Duration startTimeout)
            throws Exception {
        return launch(datadir, jvmOptions, settings).awaitReady(startTimeout);
    }

    /** Starts the process without waiting for it (several may start in parallel); then {@link #awaitReady}. */
    static BenchDaemon launch(Path datadir, List<String> jvmOptions, List<String> settings) throws IOException {
        List<String> all = new ArrayList<>(SETTINGS);
        all.addAll(settings);
        return new BenchDaemon(DaemonProcess.launchForMeasurement(datadir, Network.REGTEST, jvmOptions, all));
    }

    /** Waits until the daemon has started, listens and answers RPC; kills it on failure. */
    BenchDaemon awaitReady(Duration startTimeout) throws Exception {
        try {
            process.awaitStarted(startTimeout);
            p2pPort = process.p2pAddress().getPort();
            rpc = process.rpc().withTimeout(RPC_TIMEOUT);
            return this;
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    int p2pPort() {
        return p2pPort;
    }

    InetSocketAddress p2pAddress() {
        return new InetSocketAddress("127.0.0.1", p2pPort);
    }

    /** The name of its data directory, for reports. */
    String name() {
        return process.name();
    }

    long pid() {
        return process.pid();
    }

    Path datadir() {
        return process.datadir();
    }

    /** A JSON-RPC call's result; an error answer throws an {@link IllegalStateException} carrying it. */
    JsonNode rpc(String method, Object... params) throws Exception {
        JsonNode reply = rpc.reply(method, params);
        JsonNode error = reply.get("error");
        if (error != null && !error.isNull()) {
            throw new IllegalStateException(method + " failed: " + error);
        }
        return reply.get("result");
    }

    RpcClient rpcClient() {
        return rpc;
    }

    /** Waits for a console line; fails if the daemon exits first or the timeout passes. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws Exception {
        return process.awaitLine(pattern, timeout);
    }

    /** Resident set size in KiB (VmRSS of /proc/PID/status). */
    long rssKib() throws IOException {
        return statusField("VmRSS");
    }

    /** Peak resident set size in KiB (VmHWM). */
    long peakRssKib() throws IOException {
        return statusField("VmHWM");
    }

    long threads() throws IOException {
        return statusField("Threads");
    }

    /** User + system CPU seconds the daemon has used so far. */
    double cpuSeconds() throws IOException {
        return ProcStat.cpuSeconds(Long.toString(pid()));
    }

    /** Open file descriptors of the daemon. */
    long openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return s.count();
        }
    }

    /** Live Java heap in KiB after a full GC in the daemon (jcmd GC.run, then GC.heap_info). */
    long liveHeapKib() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IOException("unexpected GC.heap_info output:\n" + info);
        }
        return Long.parseLong(m.group(1));
    }

    /** Runs a diagnostic command in the daemon (e.g. "JFR.start ..."), returning its output. */
    String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + name + " in /proc/" + pid() + "/status");
    }

    /** SIGTERM by PID and wait (60 s) for the orderly exit, else SIGKILL and an exception; the exit status. */
    int stop() throws Exception {
        try {
            return process.stop();
        } catch (AssertionError e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** SIGKILL if it still runs. */
    @Override
    public void close() throws Exception {
        process.close();
    }

    /** Deletes a benchmark's work folder (stopped daemons' data directories, databases), if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
