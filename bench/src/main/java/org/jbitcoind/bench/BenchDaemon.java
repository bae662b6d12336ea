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

/**
 * The jbitcoind daemon as a separate process for load benchmarks: regtest, 127.0.0.1 only, P2P
 * and RPC on ephemeral ports read back from its console log, no seeding, no outbound
 * connections. Reads the process's resident memory and CPU time from /proc, and stops it by its
 * own PID.
 */
final class BenchDaemon implements AutoCloseable {
    private static final Pattern P2P_PORT = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    private static final Pattern RPC_PORT = Pattern.compile("Binding RPC on address 127\\.0\\.0\\.1 port (\\d+)");

    private final Process process;
    private final Path console;
    private final Path datadir;
    private int p2pPort;
    private BenchRpc rpc;

    private BenchDaemon(Process process, Path datadir, Path console) {
        this.process = process;
        this.datadir = datadir;
        this.console = console;
    }

    /** Waits until the daemon listens and answers RPC (ports read from its console); kills it on failure. */
    BenchDaemon awaitReady(Duration startTimeout) throws Exception {
        try {
            p2pPort = Integer.parseInt(awaitLine(P2P_PORT, startTimeout).group(1));
            int rpcPort = Integer.parseInt(awaitLine(RPC_PORT, startTimeout).group(1));
            awaitLine(Pattern.compile("started on regtest"), startTimeout);
            rpc = new BenchRpc(rpcPort, datadir.resolve("regtest").resolve(".cookie"));
            return this;
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /**
     * Starts the daemon from this JVM's class path (the benchmark jar holds the node).
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
        Files.createDirectories(datadir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.jbitcoind.node.Main",
                "-regtest", "-datadir=" + datadir, "-printtoconsole", "-dnsseed=0", "-fixedseeds=0", "-listen=1",
                "-port=0", "-bind=127.0.0.1", "-connect=0", "-rpcport=0", "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1"));
        command.addAll(settings);
        Path console = datadir.resolve("console.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        p.getOutputStream().close();
        return new BenchDaemon(p, datadir, console);
    }

    int p2pPort() {
        return p2pPort;
    }

    InetSocketAddress p2pAddress() {
        return new InetSocketAddress("127.0.0.1", p2pPort);
    }

    /** The name of its data directory, for reports. */
    String name() {
        return datadir.getFileName().toString();
    }

    long pid() {
        return process.pid();
    }

    Path datadir() {
        return datadir;
    }

    /** A JSON-RPC call's result; an error answer throws. */
    JsonNode rpc(String method, Object... params) throws Exception {
        return rpc.call(method, params);
    }

    BenchRpc rpcClient() {
        return rpc;
    }

    /** Waits for a console line; fails if the daemon exits first or the timeout passes. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String s = Files.exists(console) ? Files.readString(console) : "";
            Matcher m = pattern.matcher(s);
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IOException("daemon exited with " + process.exitValue() + " before '" + pattern + "':\n"
                        + tail(s));
            }
            Thread.sleep(50);
        }
        throw new IOException("no '" + pattern + "' within " + timeout + ":\n" + tail(Files.readString(console)));
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

    /** SIGTERM by PID and wait for the orderly exit; SIGKILL if it does not come. */
    int stop() throws Exception {
        signal("-TERM");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            close();
            throw new IOException("daemon did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("-KILL");
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", signal, Long.toString(pid())).start();
        k.waitFor(10, TimeUnit.SECONDS);
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

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
