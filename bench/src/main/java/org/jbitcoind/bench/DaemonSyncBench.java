package org.jbitcoind.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * The form of the network-path benchmark (docs/benchmarks.md "Sync over P2P against
 * import"): real jbitcoind processes on 127.0.0.1. A fresh daemon imports a regtest blk file (from
 * {@link SyntheticChainGenerator}) with -loadblock, timed as the reference; that daemon (A) is
 * restarted on its database, listening; a fresh daemon B started with -connect=A downloads the
 * same chain from A over P2P, timed until B's tip is the file's last block; then a third fresh
 * daemon imports the file again, so that the reference (the mean of both imports) brackets the
 * sync while the machine's load drifts.
 *
 * <p>Every daemon runs with -assumevalid=0 (every script checked) and, while importing or syncing,
 * Core's default -maxtipage, so it is in initial block download as a real one would be (the
 * synthetic chain is dated 2023). A serves with a -maxtipage large enough that its 2023 tip counts
 * as current: a node in initial download does not answer getheaders. CPU time of each process
 * (and per thread group) comes from /proc/PID/stat. Times run from a process's launch to the tip
 * seen over RPC (polled every {@value #POLL_MILLIS} ms), so both include the JVM start and the
 * database opening; the importer's own time from its log line is printed alongside.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.DaemonSyncBench FILE [dbcache=450] [xmx=2g]
 *     [jar=node/target/jbitcoind.jar] [work=DIR] [timeout=3600] [keep=0] [jvmopts=...] [maxtipage=86400]
 *     [runs=1]</pre>
 *
 * Without a daemon jar the daemons run {@code org.jbitcoind.node.Main} from this benchmark's class
 * path (the same code). "{name}" in jvmopts becomes each daemon's name and start number (a JFR file
 * each, for instance). Every process started here is stopped by its PID (RPC stop, then SIGTERM,
 * then SIGKILL, each wait bounded) and the work folder removed (unless keep=1), also when the run
 * fails.
 */
public final class DaemonSyncBench {
    private static final long POLL_MILLIS = 100;
    private static final long MAX_TIP_AGE = 0xFFFF_FFFFL;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> options;
    private final Path work;
    private final long timeoutNanos;
    private final List<Daemon> started = new ArrayList<>();

    private DaemonSyncBench(Map<String, String> options, Path work) {
        this.options = options;
        this.work = work;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("timeout", "3600")));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DaemonSyncBench FILE [dbcache=450] [xmx=2g] [jar=PATH] [work=DIR]"
                    + " [timeout=SECONDS] [keep=0|1] [jvmopts=OPTS] [maxtipage=SECONDS] [runs=N]");
            System.exit(2);
        }
        Path file = Path.of(args[0]).toAbsolutePath();
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value: " + args[i]);
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Path work = options.containsKey("work") ? Path.of(options.get("work"))
                : Files.createTempDirectory("jbitcoind-daemon-sync");
        DaemonSyncBench bench = new DaemonSyncBench(options, work);
        // Interrupted (Ctrl-C): SIGTERM to every daemon still running, by its PID.
        Thread hook = new Thread(bench::terminateAll, "stop-daemons");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            bench.run(file);
        } finally {
            bench.stopAll();
            if (!options.getOrDefault("keep", "0").equals("1")) {
                BenchDaemon.deleteTree(work);
            }
        }
    }

    private void run(Path file) throws Exception {
        ChainFile chain = ChainFile.scan(file);
        System.out.printf("file %s: %d blocks, %.1f MB, tip %s%n", file, chain.blocks(), chain.bytes() / 1e6,
                chain.tip());
        int runs = Integer.parseInt(options.getOrDefault("runs", "1"));
        List<String> summary = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            summary.add(runOnce(run, chain, file));
        }
        System.out.println("run | import s (before, after) | sync s | sync/import | CPU import s | CPU sync (B) s"
                + " | CPU serving (A) s | load before | load after");
        summary.forEach(System.out::println);
    }

    private String runOnce(int run, ChainFile chain, Path file) throws Exception {
        String maxTipAge = options.getOrDefault("maxtipage", "86400");
        String loadBefore = ProcStat.loadAverage();
        System.out.println("run " + run + ", load average before: " + loadBefore);

        // The reference: a fresh node importing the file, in initial block download as any import is.
        Timed first = importInto("a", chain, file, maxTipAge);

        // A again on its database, now listening, with a -maxtipage that takes the 2023 tip as current.
        Daemon a = launch("a", false, "-listen=1", "-connect=0", "-maxtipage=" + MAX_TIP_AGE);
        awaitTip(a, chain);
        awaitOutOfInitialDownload(a);
        double cpuABefore = a.cpuSeconds();
        Map<String, Double> threadsABefore = a.cpuByThread();
        Daemon b = launch("b", true, "-connect=127.0.0.1:" + a.p2pPort, "-listen=0", "-maxtipage=" + maxTipAge);
        awaitTip(b, chain);
        double syncSecs = b.secondsSinceLaunch();
        double syncCpu = b.cpuSeconds();
        double servingCpu = a.cpuSeconds() - cpuABefore;
        report("B sync over P2P from A", chain, syncSecs, syncCpu);
        System.out.printf("  A serving: %.1f s CPU%n", servingCpu);
        System.out.println("  B's CPU by thread: " + b.cpuByThread());
        System.out.println("  A's CPU by thread while serving: " + minus(a.cpuByThread(), threadsABefore));
        b.stop();
        a.stop();

        // The machine's load drifts: a second import after the sync, so the reference brackets it.
        Timed second = importInto("c", chain, file, maxTipAge);
        double importSecs = (first.secs() + second.secs()) / 2;
        double importCpu = (first.cpu() + second.cpu()) / 2;
        System.out.printf("network path / import (mean of both): %.3f (%+.1f%%); CPU (B + A serving) / import:"
                + " %.3f%n", syncSecs / importSecs, (syncSecs / importSecs - 1) * 100,
                (syncCpu + servingCpu) / importCpu);
        String loadAfter = ProcStat.loadAverage();
        System.out.println("load average after: " + loadAfter + " (cores: "
                + Runtime.getRuntime().availableProcessors() + ")");
        return String.format("%d | %.2f, %.2f | %.2f | %.3f | %.1f, %.1f | %.1f | %.1f | %s | %s", run,
                first.secs(), second.secs(), syncSecs, syncSecs / importSecs, first.cpu(), second.cpu(), syncCpu,
                servingCpu, loadBefore, loadAfter);
    }

    private record Timed(double secs, double cpu) {
    }

    /** A fresh daemon in {@code name} imports the file with -loadblock; launch to tip, then stopped. */
    private Timed importInto(String name, ChainFile chain, Path file, String maxTipAge) throws Exception {
        Daemon importer = launch(name, true, "-loadblock=" + file, "-listen=0", "-connect=0",
                "-maxtipage=" + maxTipAge);
        awaitTip(importer, chain);
        double secs = importer.secondsSinceLaunch();
        double cpu = importer.cpuSeconds();
        report(name.toUpperCase(java.util.Locale.ROOT) + " import (-loadblock)", chain, secs, cpu);
        importer.logLine("Imported ").ifPresent(l -> System.out.println("  importer: "
                + l.substring(l.indexOf("Imported "))));
        System.out.println("  CPU by thread: " + importer.cpuByThread());
        importer.stop();
        return new Timed(secs, cpu);
    }

    private Daemon launch(String name, boolean fresh, String... extra) throws Exception {
        Path datadir = work.resolve(name);
        if (fresh) {
            BenchDaemon.deleteTree(datadir);
        }
        Files.createDirectories(datadir);
        int p2pPort = freePort();
        int rpcPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + options.getOrDefault("xmx", "2g"));
        // "{name}" in jvmopts becomes the daemon's name and start number, e.g. for one JFR file each.
        String jvmOpts = options.getOrDefault("jvmopts", "").replace("{name}", name + "-" + started.size());
        if (!jvmOpts.isBlank()) {
            command.addAll(List.of(jvmOpts.trim().split("\\s+")));
        }
        command.add("-Duser.home=" + datadir);
        Path jar = Path.of(options.getOrDefault("jar", "node/target/jbitcoind.jar"));
        if (Files.isRegularFile(jar)) {
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        } else if (options.containsKey("jar")) {
            throw new IOException("no daemon jar at " + jar);
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.jbitcoind.node.Main"));
        }
        command.addAll(List.of("-regtest", "-datadir=" + datadir, "-dnsseed=0", "-fixedseeds=0",
                "-bind=127.0.0.1", "-port=" + p2pPort, "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1",
                "-rpcport=" + rpcPort, "-assumevalid=0",
                "-dbcache=" + options.getOrDefault("dbcache", "450"), "-printtoconsole=1"));
        command.addAll(List.of(extra));
        Path console = work.resolve(name + "-console-" + started.size() + ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        p.getOutputStream().close();
        Daemon d = new Daemon(name, p, System.nanoTime(), datadir, console, p2pPort, rpcPort);
        synchronized (this) {
            started.add(d);
        }
        return d;
    }

    /** Polls getblockcount until the file's height, then checks the tip's hash. */
    private void awaitTip(Daemon d, ChainFile chain) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Optional<JsonNode> count = d.tryCall("getblockcount");
            if (count.isPresent() && count.get().asLong() >= chain.blocks()) {
                break;
            }
            if (!d.process.isAlive()) {
                throw new IllegalStateException(d.name + " exited with " + d.process.exitValue() + "; see "
                        + d.console);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(d.name + " did not reach height " + chain.blocks() + " in time (at "
                        + count.map(JsonNode::asText).orElse("no answer") + ")");
            }
            Thread.sleep(POLL_MILLIS);
        }
        String best = d.call("getbestblockhash").asText();
        if (!best.equals(chain.tip().toString())) {
            throw new IllegalStateException(d.name + " ended on " + best + ", not the file's tip " + chain.tip());
        }
    }

    /** A serves headers only once out of initial download: the importer's end, with -maxtipage, ends it. */
    private void awaitOutOfInitialDownload(Daemon d) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (d.tryCall("getblockchaininfo").map(i -> i.get("initialblockdownload").asBoolean()).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(d.name + " stayed in initial block download");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private synchronized void terminateAll() {
        for (Daemon d : started) {
            if (d.process.isAlive()) {
                d.process.destroy();
            }
        }
    }

    private void stopAll() {
        List<Daemon> all;
        synchronized (this) {
            all = List.copyOf(started);
        }
        for (Daemon d : all) {
            d.stop();
        }
    }

    private static void report(String what, ChainFile chain, double secs, double cpu) {
        System.out.printf("%s: %d blocks in %.2f s: %.1f blocks/s, %.2f MB/s, %.1f s CPU (%.0f%% of one core)%n",
                what, chain.blocks(), secs, chain.blocks() / secs, chain.bytes() / 1e6 / secs, cpu, cpu / secs * 100);
    }

    private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d >= 0.05) {
                out.put(k, Math.round(d * 10) / 10.0);
            }
        });
        return out;
    }

    /** A port free at the moment of asking (the daemon binds it a second later; a clash fails the run). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }


    /** The blk file's block count, size and last block (blocks are in chain order, as the generator writes them). */
    record ChainFile(int blocks, long bytes, Hash256 tip) {
        static ChainFile scan(Path file) throws IOException {
            int blocks = 0;
            Hash256 tip = null;
            try (InputStream raw = Files.newInputStream(file);
                    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
                byte[] header = new byte[80];
                while (true) {
                    try {
                        in.readInt(); // network magic
                    } catch (EOFException end) {
                        break;
                    }
                    int len = Integer.reverseBytes(in.readInt());
                    if (len < header.length) {
                        throw new IOException("record " + blocks + " is too short for a block: " + len + " bytes");
                    }
                    in.readFully(header);
                    in.skipNBytes(len - header.length);
                    tip = Hashes.hash256Of(header);
                    blocks++;
                }
            }
            if (tip == null) {
                throw new IOException("no blocks in " + file);
            }
            return new ChainFile(blocks, Files.size(file), tip);
        }
    }

    /** One daemon process: its RPC (cookie authentication) and its CPU time. */
    private static final class Daemon {
        final String name;
        final Process process;
        final long launchNanos;
        final Path datadir;
        final Path console;
        final int p2pPort;
        final int rpcPort;

        Daemon(String name, Process process, long launchNanos, Path datadir, Path console, int p2pPort, int rpcPort) {
            this.name = name;
            this.process = process;
            this.launchNanos = launchNanos;
            this.datadir = datadir;
            this.console = console;
            this.p2pPort = p2pPort;
            this.rpcPort = rpcPort;
        }

        double secondsSinceLaunch() {
            return (System.nanoTime() - launchNanos) / 1e9;
        }

        double cpuSeconds() throws IOException {
            return ProcStat.cpuSeconds(Long.toString(process.pid()));
        }

        Map<String, Double> cpuByThread() throws IOException {
            return ProcStat.cpuByThread(process.pid());
        }

        Optional<String> logLine(String text) throws IOException {
            try (Stream<String> lines = Files.lines(console)) {
                return lines.filter(l -> l.contains(text)).findFirst();
            }
        }

        /** The result, or empty while the daemon is not answering yet (not listening, no cookie, warming up). */
        Optional<JsonNode> tryCall(String method) throws InterruptedException {
            try {
                JsonNode reply = send(method);
                return reply.get("error").isNull() ? Optional.of(reply.get("result")) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        JsonNode call(String method) throws IOException, InterruptedException {
            JsonNode reply = send(method);
            if (!reply.get("error").isNull()) {
                throw new IOException(name + ": " + method + " failed: " + reply.get("error"));
            }
            return reply.get("result");
        }

        private JsonNode send(String method) throws IOException, InterruptedException {
            Path cookie = datadir.resolve("regtest").resolve(".cookie");
            if (!Files.exists(cookie)) {
                throw new IOException("no cookie yet");
            }
            String auth = Base64.getEncoder().encodeToString(
                    Files.readString(cookie).trim().getBytes(StandardCharsets.UTF_8));
            ObjectNode request = JSON.createObjectNode().put("jsonrpc", "1.0").put("id", 1).put("method", method);
            request.putArray("params");
            HttpRequest http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpcPort + "/"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + auth)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build();
            HttpResponse<String> response = HTTP.send(http, HttpResponse.BodyHandlers.ofString());
            JsonNode reply = JSON.readTree(response.body());
            if (reply == null || !reply.has("error")) {
                throw new IOException(name + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return reply;
        }

        /** RPC stop, then SIGTERM, then SIGKILL, each by this process's PID and with a bounded wait. */
        void stop() {
            if (!process.isAlive()) {
                return;
            }
            try {
                tryCall("stop");
                if (process.waitFor(60, TimeUnit.SECONDS)) {
                    return;
                }
                process.destroy();
                if (process.waitFor(20, TimeUnit.SECONDS)) {
                    return;
                }
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            if (process.isAlive()) {
                System.err.println("could not stop " + name + " (PID " + process.pid() + ")");
            }
        }
    }
}
