package org.jbitcoind.bench;

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
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

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
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.MempoolP2pBench [transactions, default 50000] [rounds of the raw bound, default 3]</pre>
 */
public final class MempoolP2pBench {
    private static final byte[] KEY = Hashes.sha256("jbitcoind mempool p2p bench".getBytes());
    private static final byte[] P2WPKH = StandardScripts.witnessProgram(0, Hashes.hash160(Signer.publicKey(KEY)));
    private static final String ADDRESS = Addresses.fromScript(P2WPKH, Network.REGTEST).orElseThrow();
    private static final long COINBASE = 50 * 100_000_000L;
    private static final int OUTPUTS_PER_FUNDING_TX = 2000;
    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofMinutes(2);
    private static final long ACCEPT_TIMEOUT_MS = 30 * 60_000L;

    private MempoolP2pBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
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
            run(node.awaitReady(START_TIMEOUT), count, rounds, threads);
        } finally {
            System.out.println("daemon stopped, exit status " + node.stop());
            if (System.getProperty("keep") == null) {
                BenchDaemon.deleteTree(root);
            }
        }
    }

    private static void run(BenchDaemon node, int count, int rounds, int threads) throws Exception {
        BenchRpc rpc = node.rpcClient();
        List<TxOut> coins = MempoolAcceptBench.fundingOutputs(count);
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
        List<MempoolAcceptBench.Signed> txs = MempoolAcceptBench.presign(count, (j, coin) ->
                new OutPoint(funding.get(j / OUTPUTS_PER_FUNDING_TX).txid(), j % OUTPUTS_PER_FUNDING_TX));
        System.out.printf("funded on chain (height %d) and pre-signed %d transactions in %.1f s%n",
                rpc.call("getblockcount").asInt(), txs.size(), (System.nanoTime() - t0) / 1e9);

        // Acceptance over P2P: everything sent unsolicited, the pool size polled.
        double acceptSeconds;
        try (BenchPeer peer = BenchPeer.connect(node.p2pPort())) {
            Thread.sleep(1000); // let the node finish its side of the handshake (feefilter, sendheaders...)
            long a0 = System.nanoTime();
            Thread sender = new Thread(() -> {
                try {
                    for (MempoolAcceptBench.Signed s : txs) {
                        peer.send(new TxMessage(s.tx()));
                    }
                    peer.flush();
                } catch (Exception e) {
                    System.out.println("sending stopped: " + e);
                }
            }, "bench-sender");
            sender.setDaemon(true);
            sender.start();
            long deadline = System.currentTimeMillis() + ACCEPT_TIMEOUT_MS;
            int size = 0;
            int lastPrinted = 0;
            long lastPrint = System.nanoTime();
            while (size < count && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                size = rpc.call("getmempoolinfo").get("size").asInt();
                if (System.nanoTime() - lastPrint > 10e9) {
                    System.out.printf("  %d in the pool (%.0f tx/s over the last 10 s)%n", size,
                            (size - lastPrinted) / ((System.nanoTime() - lastPrint) / 1e9));
                    lastPrinted = size;
                    lastPrint = System.nanoTime();
                }
            }
            acceptSeconds = (System.nanoTime() - a0) / 1e9;
            if (size < count) {
                throw new IllegalStateException("only " + size + " of " + count + " in the pool after "
                        + ACCEPT_TIMEOUT_MS / 1000 + " s");
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
        System.out.printf("mempool acceptance over P2P : %8.0f tx/s (%d in %.2f s; pool %d txs, %.1f MB vsize)%n",
                count / acceptSeconds, count, acceptSeconds, info.get("size").asInt(),
                info.get("bytes").asLong() / 1e6);
        System.out.printf("raw libsecp256k1, %d threads : %8.0f tx/s (%d ECDSA + %d BIP340 in %.2f s)%n", threads,
                count / raw, ecdsa.size(), schnorr.size(), raw);
        System.out.printf("raw libsecp256k1, 1 thread  : %8.0f tx/s (%.2f s)%n", count / raw1, raw1);
        System.out.printf("P2P acceptance time / raw signature time (%d threads) = %.2f (target <= 2);"
                + " against 1 thread = %.2f%n", threads, acceptSeconds / raw, acceptSeconds / raw1);

        // Block assembly from the full pool, through getblocktemplate (includes the JSON of the reply).
        for (int round = 0; round <= rounds; round++) {
            long b0 = System.nanoTime();
            JsonNode t = rpc.call("getblocktemplate", Map.of("rules", List.of("segwit")));
            double ms = (System.nanoTime() - b0) / 1e6;
            System.out.printf("getblocktemplate from %d mempool txs, round %d: %.1f ms, %d txs%n",
                    info.get("size").asInt(), round, ms, t.get("transactions").size());
        }
    }
}
