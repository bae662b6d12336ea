package org.jbitcoind.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.testkit.RpcClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 9's soak: three regtest daemons on 127.0.0.1 in a line (B dials A, C dials B), continuous
 * transaction traffic (signed here, sent round-robin with sendrawtransaction at a steady rate) and
 * a block every few seconds on a rotating node, for a bounded duration. Every minute it samples
 * each daemon's RSS (/proc/PID/status) and mempool; at the end it checks that no transaction was
 * lost (each one sent is in all three mempools or confirmed in the chain), that the three tips are
 * equal, and that RSS grew by less than the stated bound after warm-up. Exit status 1 on a failure.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.SoakBench [minutes, default 30, at most 240]
 *     [transactions/s, default 5] [seconds between blocks, default 20]</pre>
 */
public final class SoakBench {
    private static final byte[] KEY = Hashes.sha256("jbitcoind soak bench".getBytes());
    private static final byte[] P2WPKH = StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(KEY)));
    private static final String ADDRESS = Addresses.fromScript(P2WPKH, Network.REGTEST).orElseThrow();
    private static final long COINBASE = 50 * 100_000_000L;
    private static final int SPLIT_COINBASES = 20;
    private static final int SPLIT_OUTPUTS = 50;
    private static final long FEE = 2_000; // ~18 sat/vB for a one-in one-out P2WPKH spend
    private static final long MAX_MINUTES = 240;
    /** Daemon limits: heap, UTXO cache and mempool are capped, so RSS must level off. */
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private static final List<String> ARGS = List.of("-persistmempool=0", "-dbcache=16", "-maxmempool=50", "-txannounceinterval=500");
    /** Allowed RSS growth per daemon from the end of warm-up to the end. */
    private static final long RSS_GROWTH_BOUND_KB = 64 * 1024;

    private record Utxo(OutPoint outpoint, long value) {
    }

    private SoakBench() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = Math.min(MAX_MINUTES, args.length > 0 ? Double.parseDouble(args[0]) : 30);
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int blockSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path root = Files.createTempDirectory("soak-bench");
        List<BenchDaemon> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(nodes)));
        boolean ok;
        try {
            for (String name : List.of("a", "b", "c")) {
                nodes.add(BenchDaemon.launch(root.resolve(name), JVM, ARGS));
            }
            for (BenchDaemon d : nodes) {
                d.awaitReady(java.time.Duration.ofMinutes(2));
            }
            ok = new SoakBench.Run(nodes, minutes, rate, blockSeconds).run();
        } finally {
            stopAll(nodes);
        }
        if (System.getProperty("keep") == null) {
            BenchDaemon.deleteTree(root);
        }
        System.out.println(ok ? "SOAK PASSED" : "SOAK FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static void stopAll(List<BenchDaemon> nodes) {
        for (BenchDaemon d : nodes) {
            try {
                int status = d.stop();
                System.out.println("node " + d.name() + " (pid " + d.pid() + ") stopped, exit status " + status);
            } catch (Exception e) {
                System.out.println("node " + d.name() + " (pid " + d.pid() + ") did not stop cleanly: " + e.getMessage());
            }
        }
        nodes.clear();
    }

    private static final class Run {
        private final List<BenchDaemon> nodes;
        private final double minutes;
        private final double rate;
        private final int blockSeconds;
        private final ArrayDeque<Utxo> spendable = new ArrayDeque<>();
        /** Outputs of our unconfirmed transactions, by txid: spendable once confirmed. */
        private final Map<String, Utxo> pending = new HashMap<>();
        private final Set<String> sent = new LinkedHashSet<>();
        private final List<long[]> rssSamples = new ArrayList<>();
        private int startHeight;
        private int rejected;
        private int starved;

        Run(List<BenchDaemon> nodes, double minutes, double rate, int blockSeconds) {
            this.nodes = nodes;
            this.minutes = minutes;
            this.rate = rate;
            this.blockSeconds = blockSeconds;
        }

        boolean run() throws Exception {
            BenchDaemon a = nodes.get(0);
            BenchDaemon b = nodes.get(1);
            BenchDaemon c = nodes.get(2);
            b.rpc("addnode", "127.0.0.1:" + a.p2pPort(), "onetry");
            c.rpc("addnode", "127.0.0.1:" + b.p2pPort(), "onetry");
            await(() -> count(a) == 1 && count(b) == 2 && count(c) == 1, 60, "the line A - B - C");
            setUp(a);
            System.out.printf("soak: %.1f min, %.1f tx/s round-robin, a block every %d s on A, B, C in turn;"
                    + " %d coins of %d sat%n", minutes, rate, blockSeconds, spendable.size(), spendable.peek().value());

            long start = System.nanoTime();
            long end = start + (long) (minutes * 60e9);
            long warmUpEnd = start + (long) (Math.min(5, minutes / 3) * 60e9);
            long nextTx = start;
            long nextBlock = start + blockSeconds * 1_000_000_000L;
            long nextSample = start;
            int txIndex = 0;
            int blockIndex = 0;
            long[] warmUpRss = null;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    sample(start);
                    nextSample += 60_000_000_000L;
                    if (warmUpRss == null && now >= warmUpEnd) {
                        warmUpRss = rssSamples.get(rssSamples.size() - 1);
                    }
                }
                if (now >= nextBlock) {
                    mine(nodes.get(blockIndex++ % 3));
                    nextBlock += blockSeconds * 1_000_000_000L;
                } else if (now >= nextTx) {
                    send(nodes.get(txIndex++ % 3));
                    nextTx += (long) (1e9 / rate);
                } else {
                    Thread.sleep(Math.max(1, Math.min(nextTx, nextBlock) - now) / 1_000_000);
                }
            }
            sample(start);
            if (warmUpRss == null) {
                warmUpRss = rssSamples.get(0);
            }
            return check(warmUpRss, rssSamples.get(rssSamples.size() - 1));
        }

        /** 120 blocks on A to our key; 20 coinbases split into 50 coins each, mined and relayed. */
        private void setUp(BenchDaemon a) throws Exception {
            a.rpc("generatetoaddress", 100 + SPLIT_COINBASES, ADDRESS);
            long each = (COINBASE - 20_000) / SPLIT_OUTPUTS;
            for (int h = 1; h <= SPLIT_COINBASES; h++) {
                String block = a.rpc("getblockhash", h).asText();
                Hash256 coinbase = Hash256.fromHex(a.rpc("getblock", block).get("tx").get(0).asText());
                List<TxOut> outs = new ArrayList<>();
                for (int i = 0; i < SPLIT_OUTPUTS; i++) {
                    outs.add(new TxOut(each, P2WPKH));
                }
                Transaction tx = MempoolAcceptBench.signP2wpkh(new Transaction(2, List.of(new TxIn(
                        new OutPoint(coinbase, 0), new byte[0], 0xfffffffdL)), outs, 0),
                        List.of(new TxOut(COINBASE, P2WPKH)), KEY);
                a.rpc("sendrawtransaction", Hex.encode(tx.serialize()));
                for (int i = 0; i < SPLIT_OUTPUTS; i++) {
                    spendable.add(new Utxo(new OutPoint(tx.txid(), i), each));
                }
            }
            String tip = a.rpc("generatetoaddress", 1, ADDRESS).get(0).asText();
            await(() -> allTips(tip) && allMempoolsEmpty(), 120, "the set-up blocks everywhere");
            startHeight = a.rpc("getblockcount").asInt();
        }

        private void send(BenchDaemon node) throws Exception {
            Utxo coin = spendable.poll();
            if (coin == null) {
                starved++;
                return;
            }
            long value = coin.value() - FEE;
            Transaction tx = MempoolAcceptBench.signP2wpkh(new Transaction(2, List.of(new TxIn(coin.outpoint(),
                    new byte[0], 0xfffffffdL)), List.of(new TxOut(value, P2WPKH)), 0),
                    List.of(new TxOut(coin.value(), P2WPKH)), KEY);
            try {
                node.rpc("sendrawtransaction", Hex.encode(tx.serialize()));
            } catch (IllegalStateException e) {
                rejected++;
                spendable.add(coin); // e.g. the block confirming it has not reached this node yet: try later
                System.out.println("  rejected by " + node.name() + ": " + e.getMessage());
                return;
            }
            String txid = tx.txid().toString();
            sent.add(txid);
            pending.put(txid, new Utxo(new OutPoint(tx.txid(), 0), value));
        }

        private void mine(BenchDaemon node) throws Exception {
            String hash = node.rpc("generatetoaddress", 1, ADDRESS).get(0).asText();
            for (JsonNode t : node.rpc("getblock", hash).get("tx")) {
                Utxo confirmed = pending.remove(t.asText());
                if (confirmed != null) {
                    spendable.add(confirmed);
                }
            }
        }

        private void sample(long start) throws Exception {
            long[] rss = new long[3];
            StringBuilder line = new StringBuilder(String.format("  %5.1f min:", (System.nanoTime() - start) / 60e9));
            for (int i = 0; i < 3; i++) {
                BenchDaemon d = nodes.get(i);
                rss[i] = rssKib(d);
                JsonNode pool = d.rpc("getmempoolinfo");
                line.append(String.format(" %s rss %d MB height %d mempool %d (%.1f MB);", d.name(), rss[i] / 1024,
                        d.rpc("getblockcount").asInt(), pool.get("size").asInt(),
                        pool.get("usage").asLong() / 1e6));
            }
            line.append(String.format(" sent %d, unconfirmed %d", sent.size(), pending.size()));
            System.out.println(line);
            rssSamples.add(rss);
        }

        private boolean check(long[] warmUpRss, long[] endRss) throws Exception {
            System.out.printf("sent %d transactions (%d rejected on send, %d sends skipped for want of a coin)%n",
                    sent.size(), rejected, starved);
            // Let the last announcements propagate: equal tips and identical mempools, bounded.
            String tip = nodes.get(0).rpc("getbestblockhash").asText();
            boolean settled = awaitQuietly(() -> allTips(tip) && sameMempools(), 120);
            boolean ok = true;
            for (BenchDaemon d : nodes) {
                String t = call(d, "getbestblockhash").asText();
                if (!t.equals(tip)) {
                    System.out.println("FAIL: node " + d.name() + " tip " + t + " != A's " + tip);
                    ok = false;
                }
            }
            Set<String> confirmed = new HashSet<>();
            RpcClient a = nodes.get(0).rpcClient();
            int height = a.call("getblockcount").asInt();
            for (int h = startHeight + 1; h <= height; h++) {
                a.call("getblock", a.call("getblockhash", h).asText()).get("tx").forEach(t -> confirmed.add(t.asText()));
            }
            List<Set<String>> pools = new ArrayList<>();
            for (BenchDaemon d : nodes) {
                pools.add(mempool(d));
            }
            int lost = 0;
            int inPools = 0;
            for (String txid : sent) {
                if (confirmed.contains(txid)) {
                    continue;
                }
                if (pools.stream().allMatch(p -> p.contains(txid))) {
                    inPools++;
                } else {
                    lost++;
                    if (lost <= 10) {
                        System.out.println("FAIL: lost " + txid);
                    }
                }
            }
            System.out.printf("%d blocks during the soak; of the sent transactions %d confirmed, %d in all three"
                    + " mempools, %d lost; settled=%s%n", height - startHeight, sent.size() - inPools - lost,
                    inPools, lost, settled);
            ok &= lost == 0;
            for (int i = 0; i < 3; i++) {
                long growth = endRss[i] - warmUpRss[i];
                boolean within = growth < RSS_GROWTH_BOUND_KB;
                System.out.printf("%s node %s: RSS %d MB after warm-up, %d MB at the end, growth %+d MB (bound %d MB)%n",
                        within ? "ok  " : "FAIL", nodes.get(i).name(), warmUpRss[i] / 1024, endRss[i] / 1024,
                        growth / 1024, RSS_GROWTH_BOUND_KB / 1024);
                ok &= within;
            }
            return ok;
        }

        private boolean allTips(String tip) {
            return nodes.stream().allMatch(d -> tip.equals(callQuietly(d, "getbestblockhash")));
        }

        private boolean allMempoolsEmpty() {
            return nodes.stream().allMatch(d -> "0".equals(callQuietly(d, "getmempoolinfo", "size")));
        }

        private boolean sameMempools() {
            try {
                Set<String> first = mempool(nodes.get(0));
                return mempool(nodes.get(1)).equals(first) && mempool(nodes.get(2)).equals(first);
            } catch (Exception e) {
                return false;
            }
        }

        private static long rssKib(BenchDaemon d) {
            try {
                return d.rssKib();
            } catch (IOException e) {
                return -1;
            }
        }

        private static Set<String> mempool(BenchDaemon d) throws Exception {
            Set<String> out = new HashSet<>();
            d.rpc("getrawmempool").forEach(t -> out.add(t.asText()));
            return out;
        }

        private static int count(BenchDaemon d) {
            String s = callQuietly(d, "getconnectioncount");
            return s == null ? -1 : Integer.parseInt(s);
        }

        private static JsonNode call(BenchDaemon d, String method) throws Exception {
            return d.rpc(method);
        }

        /** The result as text (or one field of it), null on any error: for polling. */
        private static String callQuietly(BenchDaemon d, String method, String... field) {
            try {
                JsonNode r = d.rpc(method);
                return (field.length == 0 ? r : r.get(field[0])).asText();
            } catch (Exception e) {
                return null;
            }
        }

        private static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
            if (!awaitQuietly(condition, seconds)) {
                throw new IllegalStateException("not reached within " + seconds + " s: " + what);
            }
        }

        private static boolean awaitQuietly(BooleanSupplier condition, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(250);
            }
            return condition.getAsBoolean();
        }
    }
}
