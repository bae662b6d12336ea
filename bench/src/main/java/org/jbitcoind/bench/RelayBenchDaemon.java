package org.jbitcoind.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regtest jbitcoind daemon in its own process for the multi-process benchmarks: started with
 * this JVM's class path on 127.0.0.1 with ephemeral ports (read back from its console), reached
 * over RPC, measured through /proc, and stopped by its PID.
 */
final class RelayBenchDaemon implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 120_000;
    private static final Pattern P2P_PORT = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    private static final Pattern RPC_PORT = Pattern.compile("Binding RPC on address 127\\.0\\.0\\.1 port (\\d+)");

    final String name;
    final Process process;
    final Path console;
    private final Path datadir;
    private int p2pPort;
    private BenchRpc rpc;

    private RelayBenchDaemon(String name, Process process, Path datadir) {
        this.name = name;
        this.process = process;
        this.datadir = datadir;
        this.console = datadir.resolve("console.txt");
    }

    /** Starts the process (without waiting for it: several start in parallel); then {@link #awaitReady}. */
    static RelayBenchDaemon launch(Path root, String name, List<String> jvmArgs, List<String> args) throws IOException {
        Path datadir = Files.createDirectories(root.resolve(name));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-Duser.home=" + root.resolve("home"), "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-regtest", "-datadir=" + datadir, "-dnsseed=0", "-fixedseeds=0",
                "-listen=1", "-port=0", "-bind=127.0.0.1", "-rpcport=0", "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1", "-printtoconsole", "-persistmempool=0"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(datadir.resolve("console.txt").toFile()).start();
        p.getOutputStream().close();
        return new RelayBenchDaemon(name, p, datadir);
    }

    RelayBenchDaemon awaitReady() throws Exception {
        p2pPort = Integer.parseInt(awaitLine(P2P_PORT).group(1));
        int rpcPort = Integer.parseInt(awaitLine(RPC_PORT).group(1));
        awaitLine(Pattern.compile(Pattern.quote("started on regtest")));
        rpc = new BenchRpc(rpcPort, datadir.resolve("regtest").resolve(".cookie"));
        return this;
    }

    int p2pPort() {
        return p2pPort;
    }

    BenchRpc rpc() {
        return rpc;
    }

    /** Resident set size in kB from /proc/PID/status (VmRSS), or -1 where there is no /proc. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private Matcher awaitLine(Pattern pattern) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            String s = Files.exists(console) ? Files.readString(console) : "";
            Matcher m = pattern.matcher(s);
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before '" + pattern
                        + "'; see " + console);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + ": no '" + pattern + "' within " + START_TIMEOUT_MS + " ms; see "
                + console);
    }

    /** SIGTERM by PID and an orderly exit; after 60 s, SIGKILL by PID. Returns the exit status. */
    int stop() throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Deletes a benchmark's temporary folder (the daemons' data directories), once they are stopped. */
    static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
