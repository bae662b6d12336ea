package org.jbitcoind.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.node.p2p.FileDescriptorBudget;
import org.jbitcoind.node.p2p.OpenFilesLimit;
import org.jbitcoind.storage.ChainDbOptions;

/**
 * Many inbound peers on one daemon (docs/benchmarks.md): starts jbitcoind as a separate process
 * (regtest, 127.0.0.1, -maxconnections above the peer count), opens N connections from this JVM
 * that complete the version/verack handshake, checks getconnectioncount, then lets each peer ping
 * the node at a fixed interval for a bounded period. Reports the daemon's resident memory (and
 * live Java heap after a full GC) before and after, per peer, the ping round-trip percentiles, the
 * handshake time percentiles and the daemon's CPU use while pinging. The daemon is stopped by PID.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.ManyPeersBench [peers=1000] [seconds=60]
 *     [pingIntervalMs=10000] [daemon JVM options...]</pre>
 */
public final class ManyPeersBench {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final int MAX_PENDING_HANDSHAKES = 64;
    /** Descriptors this JVM needs besides one per peer: its jars, modules file, stdio, the RPC client, /proc reads. */
    static final int BENCH_JVM_RESERVE = 100;
    /** -maxconnections beyond the peer count, so that the node never has to evict one of them. */
    static final int SPARE_CONNECTIONS = 100;

    private ManyPeersBench() {
    }

    public static void main(String[] args) throws Exception {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Duration interval = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 10_000);
        List<String> jvmOptions = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of();
        int maxConnections = peers + SPARE_CONNECTIONS;
        long fdLimit = OpenFilesLimit.current().orElse(Long.MAX_VALUE);
        Optional<String> tooLow = openFilesProblem(fdLimit, peers, maxConnections);
        if (tooLow.isPresent()) {
            System.err.println(tooLow.get());
            System.exit(2);
        }
        System.out.printf("peers %d, ping interval %d ms, %d s of pings, open-files limit %d, daemon JVM %s%n",
                peers, interval.toMillis(), seconds, fdLimit, jvmOptions.isEmpty() ? "(defaults)" : jvmOptions);
        Path work = Files.createTempDirectory("jbitcoind-many-peers");
        boolean held = false;
        try (BenchDaemon daemon = BenchDaemon.start(work.resolve("node"), jvmOptions,
                List.of("-maxconnections=" + maxConnections), START_TIMEOUT)) {
            Thread.sleep(5_000); // let start-up work (JIT, index threads) settle before the baseline
            long rssBefore = daemon.rssKib();
            long heapBefore = daemon.liveHeapKib();
            long threadsBefore = daemon.threads();
            System.out.printf("baseline: RSS %.1f MiB, live heap %.1f MiB, %d threads, %d fds, load %s%n",
                    rssBefore / 1024.0, heapBefore / 1024.0, threadsBefore, daemon.openFiles(),
                    ProcStat.loadAverage());

            try (PeerSwarm swarm = new PeerSwarm(daemon.p2pAddress(), peers)) {
                long t0 = System.nanoTime();
                int ready = swarm.connectAll(MAX_PENDING_HANDSHAKES, Duration.ofMinutes(5));
                double connectSecs = (System.nanoTime() - t0) / 1e9;
                swarm.idle(Duration.ofSeconds(2)); // the node's own post-handshake messages
                int counted = daemon.rpc("getconnectioncount").asInt();
                System.out.printf("handshakes: %d of %d in %.1f s; getconnectioncount %d; handshake time p50 %s,"
                        + " p90 %s, p99 %s, max %s%n", ready, peers, connectSecs, counted,
                        ms(swarm.handshakeNanos(), 50), ms(swarm.handshakeNanos(), 90), ms(swarm.handshakeNanos(), 99),
                        ms(swarm.handshakeNanos(), 100));

                double cpu0 = daemon.cpuSeconds();
                long p0 = System.nanoTime();
                swarm.pingFor(Duration.ofSeconds(seconds), interval);
                double wall = (System.nanoTime() - p0) / 1e9;
                double cpu = daemon.cpuSeconds() - cpu0;
                PeerSwarm.LongList rtt = swarm.pingNanos();
                System.out.printf("pings: %d sent, %d answered, %d skipped (previous unanswered), %.0f/s;"
                        + " round trip p50 %s, p90 %s, p99 %s, max %s%n", swarm.pingsSent(), rtt.size(),
                        swarm.pingsSkipped(), rtt.size() / wall, ms(rtt, 50), ms(rtt, 90), ms(rtt, 99), ms(rtt, 100));
                System.out.printf("daemon CPU while pinging: %.1f s in %.1f s (%.1f%% of one core); load %s%n",
                        cpu, wall, 100 * cpu / wall, ProcStat.loadAverage());

                long rssAfter = daemon.rssKib();
                int countedAfter = daemon.rpc("getconnectioncount").asInt();
                long heapAfter = daemon.liveHeapKib();
                long threadsAfter = daemon.threads();
                System.out.printf("with %d peers: RSS %.1f MiB (peak %.1f MiB), live heap %.1f MiB, %d threads,"
                        + " %d fds; getconnectioncount %d; closed by the node %d%n", ready, rssAfter / 1024.0,
                        daemon.peakRssKib() / 1024.0, heapAfter / 1024.0, threadsAfter, daemon.openFiles(),
                        countedAfter, swarm.closedByNode());
                System.out.printf("per peer: RSS %.1f KiB, live heap %.1f KiB%n",
                        (rssAfter - rssBefore) / (double) Math.max(1, ready),
                        (heapAfter - heapBefore) / (double) Math.max(1, ready));
                held = counted == peers && countedAfter == peers;
            }
            System.out.println("daemon exit status " + daemon.stop());
        } finally {
            BenchDaemon.deleteTree(work);
        }
        if (!held) {
            // Only now: the daemon has been stopped by the try-with-resources above.
            System.out.println("FAILED: the node did not hold " + peers + " connections");
            System.exit(1);
        }
    }

    private static String ms(PeerSwarm.LongList values, double percentile) {
        return String.format("%.2f ms", values.percentile(percentile) / 1e6);
    }

    /**
     * Why {@code limit} open files cannot hold the run, if they cannot. The daemon inherits the limit
     * and plans its descriptors with the node's own {@link FileDescriptorBudget} (the database's
     * default share, one listening socket as {@link BenchDaemon} binds, the node's reserve and the
     * manual connections); were -maxconnections lowered, it would refuse peers mid-bench. This JVM
     * needs one descriptor per peer plus its own.
     */
    static Optional<String> openFilesProblem(long limit, int peers, int maxConnections) {
        String raise = "; raise it (ulimit -Hn, LimitNOFILE=) and run again";
        if (limit < (long) peers + BENCH_JVM_RESERVE) {
            return Optional.of("open-files limit " + limit + " is too low for " + peers + " peers: this JVM needs "
                    + ((long) peers + BENCH_JVM_RESERVE) + raise);
        }
        FileDescriptorBudget budget;
        try {
            budget = FileDescriptorBudget.plan(limit, maxConnections, ChainDbOptions.defaults().fileDescriptors(), 1);
        } catch (FileDescriptorBudget.NotEnoughFileDescriptors e) {
            return Optional.of("open-files limit " + limit + " is too low for " + peers + " peers: the daemon would"
                    + " not start (" + e.getMessage() + ")");
        }
        if (budget.lowered()) {
            return Optional.of("open-files limit " + limit + " is too low for " + peers + " peers: the daemon"
                    + " reserves " + budget.reserved() + " descriptors (docs/operations.md \"Open files\") and would"
                    + " lower -maxconnections from " + maxConnections + " to " + budget.effective() + "; it needs "
                    + ((long) budget.reserved() + maxConnections) + raise);
        }
        return Optional.empty();
    }
}
