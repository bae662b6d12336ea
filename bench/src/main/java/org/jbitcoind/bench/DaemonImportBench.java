package org.jbitcoind.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The import a user compares with Bitcoin Core's {@code -loadblock} (docs/benchmarks.md "The real
 * daemon"): the {@code jbitcoind} launcher script itself, so with its JVM options, on a fresh
 * data directory: {@code -regtest -loadblock=FILE -assumevalid=0 -connect=0 -dnsseed=0
 * -fixedseeds=0 -listen=0}, RPC on an ephemeral 127.0.0.1 port. It waits (bounded) for the
 * daemon's "Block import done" line, then reads the import time from the importer's own line, the
 * times from launch to the import's start and to that line (log timestamps against the launch: the
 * start-up, and what a user waits for in all), the process's CPU in all
 * and per thread group (/proc; the importer thread has ended by then and is only in the total),
 * and the peak RSS; then stops the daemon by its PID and deletes its data directory.
 *
 * <p>Several variants run interleaved (A B A B ...), so that the machine's drift hits each alike:
 * a variant is a launcher path, optionally followed by JVM options for it ({@code
 * $JBITCOIND_JAVA_OPTS}, added to the launcher's defaults), in one argument:
 *
 * <pre>java -XX:TieredStopAtLevel=1 -cp bench/target/benchmarks.jar org.jbitcoind.bench.DaemonImportBench
 *     FILE RUNS LAUNCHER ["LAUNCHER -XX:Flag ..."] ...</pre>
 *
 * To compare two builds, copy the launcher with its {@code node/target/jbitcoind.jar} to a folder of its
 * own. The launcher's jar must exist (this never builds it).
 */
public final class DaemonImportBench {
    private static final long POLL_MILLIS = 20;
    private static final long TIMEOUT_SECONDS = 300;
    private static final Pattern DONE = Pattern.compile(
            "^(\\S+) INFO .*Block import done: height (\\d+)$", Pattern.MULTILINE);
    private static final Pattern IMPORTED = Pattern.compile("Imported .*, in (\\d+) ms$", Pattern.MULTILINE);
    private static final Pattern IMPORTING = Pattern.compile("^(\\S+) INFO .*Importing blocks from ", Pattern.MULTILINE);

    /** One variant to run: a launcher script and extra JVM options for it. */
    record Variant(Path launcher, String jvmOptions) {
        static Variant parse(String arg) {
            String[] words = arg.trim().split("\\s+", 2);
            return new Variant(Path.of(words[0]).toAbsolutePath(), words.length > 1 ? words[1] : "");
        }

        String label() {
            return launcher.getParent().getFileName() + (jvmOptions.isEmpty() ? "" : " " + jvmOptions);
        }
    }

    /** What one import measured. */
    record Run(int height, double startSeconds, double importSeconds, double fromLaunchSeconds, double cpuSeconds,
               Map<String, Double> cpuByThread, long peakRssMib) {
        double threadCpu(String group) {
            return cpuByThread.getOrDefault(group, 0.0);
        }
    }

    private DaemonImportBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DaemonImportBench FILE RUNS LAUNCHER [\"LAUNCHER -XX:Option ...\"] ...");
            System.exit(2);
        }
        Path file = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        List<Variant> variants = Arrays.stream(args, 2, args.length).map(Variant::parse).toList();
        for (Variant v : variants) {
            Path jar = v.launcher().resolveSibling("node/target/jbitcoind.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IOException("no " + jar + " (build it first: mvn -q -DskipTests package -pl node -am)");
            }
        }
        List<List<Run>> results = new ArrayList<>();
        variants.forEach(v -> results.add(new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get(k);
                Run r = importOnce(v, file);
                results.get(k).add(r);
                System.out.printf("run %d [%s]: height %d, import started %.2f s after launch, took %.2f s, done %.2f s"
                                + " after launch, CPU %.2f s, peak RSS %d MB, load %s; by thread group %s%n", i + 1,
                        v.label(), r.height(), r.startSeconds(), r.importSeconds(),
                        r.fromLaunchSeconds(), r.cpuSeconds(), r.peakRssMib(), ProcStat.loadAverage(),
                        rounded(r.cpuByThread()));
            }
        }
        for (int k = 0; k < variants.size(); k++) {
            summarize(variants.get(k), results.get(k));
        }
    }

    /** Launches the daemon on a fresh data directory, waits for the import, measures, stops it. */
    static Run importOnce(Variant variant, Path file) throws Exception {
        Path work = Files.createTempDirectory("jbitcoind-daemon-import");
        Path console = work.resolve("console.txt");
        List<String> command = List.of("bash", variant.launcher().toString(), "-regtest", "-datadir=" + work.resolve("data"),
                "-loadblock=" + file, "-assumevalid=0", "-connect=0", "-dnsseed=0", "-fixedseeds=0", "-listen=0",
                "-rpcport=0", "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1", "-printtoconsole");
        Files.createDirectories(work.resolve("data"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        pb.environment().put("JBITCOIND_JAVA_OPTS", variant.jvmOptions());
        Instant launched = Instant.now();
        Process p = pb.start(); // the launcher execs java: the PID stays the daemon's
        try {
            p.getOutputStream().close();
            Matcher done = awaitDone(p, console);
            double cpu = ProcStat.cpuSeconds(Long.toString(p.pid()));
            Map<String, Double> byThread = ProcStat.exactCpuByThread(p.pid());
            long peakRss = peakRssKib(p.pid()) / 1024;
            String text = Files.readString(console);
            Matcher importing = IMPORTING.matcher(text);
            Matcher imported = IMPORTED.matcher(text);
            if (!importing.find() || !imported.find()) {
                throw new IOException("no importer lines in the console:\n" + text);
            }
            return new Run(Integer.parseInt(done.group(2)), secondsSince(launched, importing.group(1)),
                    Long.parseLong(imported.group(1)) / 1e3, secondsSince(launched, done.group(1)), cpu, byThread,
                    peakRss);
        } finally {
            stop(p);
            BenchDaemon.deleteTree(work);
        }
    }

    /** Seconds from {@code launched} to a log line's timestamp (UTC, milliseconds). */
    private static double secondsSince(Instant launched, String logTimestamp) {
        return (Instant.parse(logTimestamp).toEpochMilli() - launched.toEpochMilli()) / 1e3;
    }

    private static Matcher awaitDone(Process p, Path console) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            Matcher m = DONE.matcher(Files.readString(console));
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                throw new IOException("daemon exited with " + p.exitValue() + " before the import was done:\n"
                        + Files.readString(console));
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IOException("import not done within " + TIMEOUT_SECONDS + " s:\n" + Files.readString(console));
    }

    /** SIGTERM by PID and a bounded wait for the orderly exit; SIGKILL if it does not come. */
    private static void stop(Process p) throws InterruptedException {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long peakRssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmHWM for " + pid);
    }

    private static Map<String, Double> rounded(Map<String, Double> exact) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        exact.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return out;
    }

    private static void summarize(Variant v, List<Run> runs) {
        System.out.printf("[%s] %d runs, mean (min-max): import started after %s s, took %s s, done after %s s, CPU %s s,"
                        + " C2 %s s, C1 %s s, main thread %s s, peak RSS %s MB%n", v.label(), runs.size(),
                stats(runs.stream().mapToDouble(Run::startSeconds).toArray()),
                stats(runs.stream().mapToDouble(Run::importSeconds).toArray()),
                stats(runs.stream().mapToDouble(Run::fromLaunchSeconds).toArray()),
                stats(runs.stream().mapToDouble(Run::cpuSeconds).toArray()),
                stats(runs.stream().mapToDouble(r -> r.threadCpu("C2 CompilerThre")).toArray()),
                stats(runs.stream().mapToDouble(r -> r.threadCpu("C1 CompilerThre")).toArray()),
                stats(runs.stream().mapToDouble(r -> r.threadCpu("java")).toArray()),
                stats(runs.stream().mapToDouble(r -> r.peakRssMib()).toArray()));
    }

    private static String stats(double[] xs) {
        double mean = Arrays.stream(xs).average().orElse(Double.NaN);
        double min = Arrays.stream(xs).min().orElse(Double.NaN);
        double max = Arrays.stream(xs).max().orElse(Double.NaN);
        return String.format("%.2f (%.2f-%.2f)", mean, min, max);
    }
}
