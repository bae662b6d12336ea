package org.jbitcoind.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.testkit.RawPeer;
import org.jbitcoind.testkit.RpcClient;

import com.fasterxml.jackson.databind.JsonNode;

import fr.acinq.secp256k1.Secp256k1;

/**
 * Issue 7's target over the network: mempool acceptance throughput of pre-signed transactions of
 * mixed types (those of {@link MempoolAcceptBench}) arriving over P2P at a jbitcoind daemon,
 * against the raw libsecp256k1 verification of the same signatures in this process; then block
 * assembly (getblocktemplate) from the full pool.
 *
 * <p>The daemon (regtest, its own process, 127.0.0.1) mines coinbases to a key the bench holds;
 * the bench pays the coins the transactions spend in large funding transactions (sent over RPC and
 * mined), then connects as a peer and sends every transaction as an unsolicited {@code tx}
 * message, as fast as TCP back-pressure allows, and times until getmempoolinfo counts them all.
 *
 * <p>A warm-up round comes first (as JMH warms up): {@code warmup} more transactions of the same
 * kinds are sent and pooled before the clock starts, so that the timed round measures a node
 * whose code is compiled, as a long-running node's is. The warm-up round's own rate is printed as
 * the cold figure; {@code warmup} 0 times a cold daemon (the figure before the warm-up existed).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.MempoolP2pBench [transactions, default 50000] [rounds of the raw bound, default 3] [warm-up transactions, default 100000]</pre>
 */
public final class MempoolP2pBench {
    private static final byte[] KEY = Hashes.sha256("jbitcoind mempool p2p bench".getBytes());
    private static final byte[] P2WPKH = StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(KEY)));
    private static final String ADDRESS = Addresses.fromScript(P2WPKH, Network.REGTEST).orElseThrow();
    private static final long COINBASE = 50 * 100_000_000L;
    private static final int OUTPUTS_PER_FUNDING_TX = 2000;
    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofMinutes(2);
    private static final long ACCEPT_TIMEOUT_MS = 30 * 60_000L;
    /** getmempoolinfo polling interval while timing: small against the seconds measured. */
    private static final long POLL_MS = 20;

    private MempoolP2pBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int threads = Runtime.getRuntime().availableProcessors();
        Path root = Files.createTempDirectory("mempool-p2p-bench");
        // -DdaemonJvm="..." adds JVM options to the daemon's (e.g. -XX:StartFlightRecording=... to profile it).
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx2g"));
        String extraJvm = System.getProperty("daemonJvm", "").trim();
        if (!extraJvm.isEmpty()) {
            jvm.addAll(List.of(extraJvm.split("\\s+")));
        }
        BenchDaemon node = BenchDaemon.launch(root.resolve("node"), jvm,
                List.of("-maxmempool=1000", "-persistmempool=0"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                // the daemon is being killed by PID anyway
            }
        }));
        try {
            run(node.awaitReady(START_TIMEOUT), count, rounds, threads, warmup);
        } finally {
            System.out.println("daemon stopped, exit status " + node.stop());
            if (System.getProperty("keep") == null) {
                BenchDaemon.deleteTree(root);
            }
        }
    }

    private static void run(BenchDaemon node, int count, int rounds, int threads, int warmup) throws Exception {
        RpcClient rpc = node.rpcClient();
        int total = warmup + count;
        List<TxOut> coins = MempoolAcceptBench.fundingOutputs(total);
        int fundingTxs = (coins.size() + OUTPUTS_PER_FUNDING_TX - 1) / OUTPUTS_PER_FUNDING_TX;
        long t0 = System.nanoTime();
        rpc.call("generatetoaddress", 100 + fundingTxs, ADDRESS);

        // Funding: transaction f spends the coinbase of block f + 1 and pays coins [2000 f, 2000 (f + 1)).
        List<Transaction> funding = new ArrayList<>();
        for (int f = 0; f < fundingTxs; f++) {
            String block = rpc.call("getblockhash", f + 1).asText();
            Hash256 coinbase = Hash256.fromHex(rpc.call("getblock", block).get("tx").get(0).asText());
            List<TxOut> outs = new ArrayList<>(coins.subList(f * OUTPUTS_PER_FUNDING_TX,
                    Math.min(coins.size(), (f + 1) * OUTPUTS_PER_FUNDING_TX)));
            long paid = outs.stream().mapToLong(TxOut::value).sum();
            long fee = 200_000; // ~2.5 sat/vB for ~75 kvB
            outs.add(new TxOut(COINBASE - paid - fee, P2WPKH));
            Transaction unsigned = new Transaction(2, List.of(new TxIn(new OutPoint(coinbase, 0), new byte[0],
                    0xfffffffdL)), outs, 0);
            funding.add(MempoolAcceptBench.signP2wpkh(unsigned, List.of(new TxOut(COINBASE, P2WPKH)), KEY));
        }
        for (Transaction tx : funding) {
            rpc.call("sendrawtransaction", Hex.encode(tx.serialize()));
        }
        for (int i = 0; i < 20 && rpc.call("getmempoolinfo").get("size").asInt() > 0; i++) {
            rpc.call("generatetoaddress", 1, ADDRESS);
        }
        if (rpc.call("getmempoolinfo").get("size").asInt() > 0) {
            throw new IllegalStateException("funding transactions not all mined");
        }
        List<MempoolAcceptBench.Signed> all = MempoolAcceptBench.presign(total, (j, coin) ->
                new OutPoint(funding.get(j / OUTPUTS_PER_FUNDING_TX).txid(), j % OUTPUTS_PER_FUNDING_TX));
        List<MempoolAcceptBench.Signed> warm = all.subList(0, warmup);
        List<MempoolAcceptBench.Signed> txs = all.subList(warmup, total);
        System.out.printf("funded on chain (height %d) and pre-signed %d transactions in %.1f s%n",
                rpc.call("getblockcount").asInt(), all.size(), (System.nanoTime() - t0) / 1e9);

        // Acceptance over P2P: everything sent unsolicited, the pool size polled.
        double acceptSeconds;
        Map<String, Double> cpu;
        double benchCpu;
        try (RawPeer peer = floodingPeer(node.p2pAddress())) {
            Thread.sleep(1000); // let the node finish its side of the handshake (feefilter, sendheaders...)
            if (warmup > 0) {
                double coldSeconds = sendAndAwait(peer, rpc, frames(warm), warmup);
                System.out.printf("warm-up (cold daemon)       : %8.0f tx/s (%d in %.2f s; load %s)%n",
                        warmup / coldSeconds, warmup, coldSeconds, ProcStat.loadAverage());
            }
            List<byte[]> timed = frames(txs);
            awaitCompilerIdle(node);
            // -Dprofile=FILE records the timed round only with JFR (settings=profile) into FILE.
            String profile = System.getProperty("profile");
            if (profile != null) {
                node.jcmd("JFR.start name=timed settings=" + System.getProperty("profileSettings", "profile") + " filename=" + profile);
            }
            Map<String, Double> cpu0 = ProcStat.exactCpuByThread(node.pid());
            double self0 = ProcStat.cpuSeconds("self");
            System.out.printf("timed round starts, load %s%n", ProcStat.loadAverage());
            acceptSeconds = sendAndAwait(peer, rpc, timed, total);
            cpu = cpuDelta(cpu0, ProcStat.exactCpuByThread(node.pid()));
            benchCpu = ProcStat.cpuSeconds("self") - self0;
            if (profile != null) {
                node.jcmd("JFR.stop name=timed");
            }
        }
        JsonNode info = rpc.call("getmempoolinfo");

        // The raw bound on the same signatures, best of the rounds after one warm-up.
        List<byte[][]> ecdsa = MempoolAcceptBench.ecdsaChecks(txs);
        List<byte[][]> schnorr = MempoolAcceptBench.schnorrChecks(txs);
        Secp256k1 lib = Secp256k1.Companion.get();
        double raw = Double.MAX_VALUE;
        double raw1 = Double.MAX_VALUE;
        for (int round = 0; round <= rounds; round++) {
            double t = MempoolAcceptBench.rawVerifySeconds(lib, threads, ecdsa, schnorr);
            double t1 = MempoolAcceptBench.rawVerifySeconds(lib, 1, ecdsa, schnorr);
            if (round > 0) {
                raw = Math.min(raw, t);
                raw1 = Math.min(raw1, t1);
            }
        }
        System.out.printf("mempool acceptance over P2P : %8.0f tx/s (%d in %.2f s, %s; pool %d txs, %.1f MB vsize)%n",
                count / acceptSeconds, count, acceptSeconds, warmup > 0 ? "warm" : "cold", info.get("size").asInt(),
                info.get("bytes").asLong() / 1e6);
        System.out.printf("daemon CPU seconds by thread over the timed round: %s; this process (sender, polling): %.2f s%n",
                cpu, benchCpu);
        System.out.printf("raw libsecp256k1, %d threads : %8.0f tx/s (%d ECDSA + %d BIP340 in %.2f s)%n", threads,
                count / raw, ecdsa.size(), schnorr.size(), raw);
        System.out.printf("raw libsecp256k1, 1 thread  : %8.0f tx/s (%.2f s)%n", count / raw1, raw1);
        System.out.printf("P2P acceptance time / raw signature time (%d threads) = %.2f (target <= 2);"
                + " against 1 thread = %.2f%n", threads, acceptSeconds / raw, acceptSeconds / raw1);

        System.out.printf("load at the end %s%n", ProcStat.loadAverage());

        // Block assembly from the full pool, through getblocktemplate (includes the JSON of the reply).
        for (int round = 0; round <= rounds; round++) {
            long b0 = System.nanoTime();
            JsonNode t = rpc.call("getblocktemplate", Map.of("rules", List.of("segwit")));
            double ms = (System.nanoTime() - b0) / 1e6;
            System.out.printf("getblocktemplate from %d mempool txs, round %d: %.1f ms, %d txs%n",
                    info.get("size").asInt(), round, ms, t.get("transactions").size());
        }
    }

    /**
     * A peer that has completed the handshake, answers pings and drops whatever the node sends, so
     * that the node never waits on it; it buffers what it sends (TCP back-pressure from the node
     * slows it down).
     */
    private static RawPeer floodingPeer(InetSocketAddress node) throws IOException {
        RawPeer peer = RawPeer.connect(node).answerPings(true);
        try {
            peer.handshake();
        } catch (IOException | RuntimeException | AssertionError e) {
            peer.close();
            throw e;
        }
        return peer.discardReceived();
    }

    /**
     * Sends the {@link #frames} of tx messages from another thread and returns the seconds from
     * the first message until getmempoolinfo counts {@code poolTarget} transactions. The frames
     * are encoded before the clock starts and written in large chunks, so that the sender
     * takes little of the CPU the node is measured on. The pool size is polled every
     * {@link #POLL_MS} ms at most, and more rarely while the end is far off (a quarter of the time
     * the remaining transactions would take at the rate so far, at most 100 ms): fewer RPC calls,
     * with the same resolution at the end.
     */
    private static double sendAndAwait(RawPeer peer, RpcClient rpc, List<byte[]> frames, int poolTarget)
            throws Exception {
        int poolBefore = rpc.call("getmempoolinfo").get("size").asInt();
        long a0 = System.nanoTime();
        Thread sender = new Thread(() -> {
            try {
                for (byte[] chunk : frames) {
                    peer.sendRaw(chunk);
                }
            } catch (Exception e) {
                System.out.println("sending stopped: " + e);
            }
        }, "bench-sender");
        sender.setDaemon(true);
        sender.start();
        long deadline = System.currentTimeMillis() + ACCEPT_TIMEOUT_MS;
        int size = poolBefore;
        int lastPrinted = poolBefore;
        long lastPrint = System.nanoTime();
        long sleepMs = POLL_MS;
        while (size < poolTarget && System.currentTimeMillis() < deadline) {
            Thread.sleep(sleepMs);
            size = rpc.call("getmempoolinfo").get("size").asInt();
            long now = System.nanoTime();
            double rate = (size - poolBefore) / ((now - a0) / 1e9);
            sleepMs = rate <= 0 ? POLL_MS
                    : Math.max(POLL_MS / 4, Math.min(100, (long) ((poolTarget - size) / rate * 1000 / 4)));
            if (now - lastPrint > 10e9) {
                System.out.printf("  %d in the pool (%.0f tx/s over the last 10 s)%n", size,
                        (size - lastPrinted) / ((now - lastPrint) / 1e9));
                lastPrinted = size;
                lastPrint = now;
            }
        }
        double seconds = (System.nanoTime() - a0) / 1e9;
        if (size < poolTarget) {
            throw new IllegalStateException("only " + size + " of " + poolTarget + " in the pool after "
                    + ACCEPT_TIMEOUT_MS / 1000 + " s");
        }
        sender.join(60_000);
        return seconds;
    }

    /** Unsolicited tx messages of {@code txs}, encoded ahead in chunks of about 256 KiB. */
    private static List<byte[]> frames(List<MempoolAcceptBench.Signed> txs) {
        int chunkBytes = 1 << 18;
        List<byte[]> chunks = new ArrayList<>();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(chunkBytes + (1 << 16));
        for (MempoolAcceptBench.Signed s : txs) {
            chunk.writeBytes(Frames.encode(Network.REGTEST.magic(), new TxMessage(s.tx())));
            if (chunk.size() >= chunkBytes) {
                chunks.add(chunk.toByteArray());
                chunk.reset();
            }
        }
        if (chunk.size() > 0) {
            chunks.add(chunk.toByteArray());
        }
        return chunks;
    }

    /** CPU seconds each thread group used between two samples, largest first, under 0.05 s left out. */
    private static Map<String, Double> cpuDelta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new java.util.LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> d.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return d;
    }

    /**
     * Waits (at most a minute) until the daemon's JIT compiler threads are idle, i.e. used under
     * 20 ms of CPU in the last second: a node that has been running a while has its hot code
     * compiled, while on two cores a freshly warmed one keeps compiling for seconds after the load.
     */
    private static void awaitCompilerIdle(BenchDaemon node) throws Exception {
        long w0 = System.nanoTime();
        double last = compilerCpu(node);
        for (int i = 0; i < 60; i++) {
            Thread.sleep(1000);
            double now = compilerCpu(node);
            if (now - last < 0.02) {
                break;
            }
            last = now;
        }
        System.out.printf("JIT compiler idle after %.1f s%n", (System.nanoTime() - w0) / 1e9);
    }

    private static double compilerCpu(BenchDaemon node) throws Exception {
        double sum = 0;
        for (Map.Entry<String, Double> e : ProcStat.exactCpuByThread(node.pid()).entrySet()) {
            if (e.getKey().contains("Compiler")) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
