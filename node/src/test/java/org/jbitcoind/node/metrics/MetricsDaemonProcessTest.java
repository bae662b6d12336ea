package org.jbitcoind.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.address.Wif;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.Json;
import org.jbitcoind.node.testing.CloseAfterEach;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.testkit.DaemonProcess;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a real process on regtest with -metricsport: after mining, a mempool transaction and
 * one inbound and one outbound peer, a scrape of /metrics parses as Prometheus text and every value
 * equals what the RPC reports for the same thing (getblockcount, getblockchaininfo, getmempoolinfo,
 * getpeerinfo, getnettotals), the block connect count is the number of connected blocks, and RPC
 * calls are counted. The process is stopped by the test.
 */
class MetricsDaemonProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] KEY = Hex.decode("0707070707070707070707070707070707070707070707070707070707070707");
    private static final String ADDRESS = Addresses.fromScript(StandardScripts.witnessProgram(0,
            Hashes.hash160(Signer.publicKey(KEY))), Network.REGTEST).orElseThrow();
    private static final String WIF = Wif.encode(KEY, true, Network.REGTEST);

    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses daemons = new DaemonProcesses(List.of("-Xmx256m"), DaemonProcess.LISTEN_ON_LOOPBACK);
    @RegisterExtension
    final CloseAfterEach closing = new CloseAfterEach();
    private DaemonProcess daemon;
    private final Map<String, Integer> rpcCalls = new HashMap<>();

    @Test
    void scrapeAgreesWithTheRpc() throws Exception {
        int metricsPort = freePort();
        daemon = daemons.start(dir.resolve("node"), "-metricsport=" + metricsPort);

        // 101 blocks make the first coinbase spendable; its spend waits in the mempool.
        JsonNode hashes = rpc("generatetoaddress", 101, ADDRESS);
        assertEquals(101, hashes.size());
        String coinbase = rpc("getblock", hashes.get(0).asText(), 1).get("tx").get(0).asText();
        String unsigned = rpc("createrawtransaction", List.of(Map.of("txid", coinbase, "vout", 0)),
                List.of(Map.of(ADDRESS, new BigDecimal("49.999")))).asText();
        JsonNode signed = rpc("signrawtransactionwithkey", unsigned, List.of(WIF));
        assertTrue(signed.get("complete").asBoolean(), signed.toString());
        rpc("sendrawtransaction", signed.get("hex").asText());
        assertEquals(1, rpc("getmempoolinfo").get("size").asInt());

        // One peer dials the daemon, and the daemon dials another.
        RawPeer inbound = RawPeer.connect(daemon.p2pAddress()).answerPings(true);
        closing.add(inbound);
        inbound.handshake();
        ServerSocket listener = new ServerSocket();
        closing.add(listener);
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        listener.setSoTimeout((int) WAIT.toMillis());
        rpc("addnode", "127.0.0.1:" + listener.getLocalPort(), "onetry");
        Socket dialled = listener.accept();
        RawPeer outbound = RawPeer.wrap(dialled).answerPings(true);
        closing.add(outbound);
        outbound.acceptHandshake();
        inbound.sync();
        outbound.sync();

        Scrape s = quiescentScrape(metricsPort);
        PrometheusText m = s.metrics;

        // Chain: heights, and one connect per block on the active chain (genesis included: a fresh datadir).
        int blocks = s.blockCount;
        assertEquals(101, blocks);
        assertEquals(blocks, m.value("jbitcoind_blocks").orElseThrow());
        assertEquals(s.chainInfo.get("headers").asDouble(), m.value("jbitcoind_headers").orElseThrow());
        assertEquals(0.0, m.value("jbitcoind_initial_block_download").orElseThrow(), "mined blocks are recent");
        assertEquals(blocks + 1.0, m.value("jbitcoind_block_connect_seconds_count").orElseThrow());
        assertTrue(m.value("jbitcoind_block_connect_seconds_sum").orElseThrow() > 0);
        double coins = m.value("jbitcoind_utxo_cache_coins").orElseThrow();
        assertTrue(coins >= 100, "a coin per mined block at least: " + coins);
        assertTrue(m.value("jbitcoind_utxo_cache_bytes").orElseThrow() > coins * 100);

        // Mempool as getmempoolinfo reports it.
        assertEquals(s.mempoolInfo.get("size").asDouble(), m.value("jbitcoind_mempool_transactions").orElseThrow());
        assertEquals(1.0, m.value("jbitcoind_mempool_transactions").orElseThrow());
        assertEquals(s.mempoolInfo.get("bytes").asDouble(), m.value("jbitcoind_mempool_bytes").orElseThrow());
        assertEquals(s.mempoolInfo.get("usage").asDouble(), m.value("jbitcoind_mempool_usage_bytes").orElseThrow());

        // Peers as getpeerinfo lists them.
        int in = 0;
        int out = 0;
        for (JsonNode peer : s.peerInfo) {
            if (peer.get("inbound").asBoolean()) {
                in++;
            } else {
                out++;
            }
        }
        assertEquals(1, in);
        assertEquals(1, out);
        assertEquals(in, m.value("jbitcoind_peers", "direction", "inbound").orElseThrow());
        assertEquals(out, m.value("jbitcoind_peers", "direction", "outbound").orElseThrow());

        // Bytes: per command, the sum over getpeerinfo's peers (none has left); in total, getnettotals.
        Map<String, Double> received = perMessage(m, "jbitcoind_p2p_received_bytes_total");
        Map<String, Double> sent = perMessage(m, "jbitcoind_p2p_sent_bytes_total");
        assertEquals(sumOverPeers(s.peerInfo, "bytesrecv_per_msg"), received);
        assertEquals(sumOverPeers(s.peerInfo, "bytessent_per_msg"), sent);
        assertTrue(received.getOrDefault("version", 0.0) > 0 && sent.getOrDefault("verack", 0.0) > 0, received.toString());
        assertEquals(s.netTotals.get("totalbytesrecv").asDouble(), sum(received));
        assertEquals(s.netTotals.get("totalbytessent").asDouble(), sum(sent));

        // RPC calls, per method and outcome (the scrape itself is no RPC call).
        assertEquals((double) s.rpcCallsBefore.get("getblockcount"),
                m.value("jbitcoind_rpc_calls_total", "method", "getblockcount", "outcome", "ok").orElseThrow());
        assertEquals(1.0, m.value("jbitcoind_rpc_calls_total", "method", "sendrawtransaction", "outcome", "ok")
                .orElseThrow());

        // Every family is documented in the exposition and named for the node.
        for (PrometheusText.Family f : m.families().values()) {
            assertTrue(f.name().startsWith("jbitcoind_"), f.name());
            assertNotNull(f.help(), "HELP for " + f.name());
            assertFalse(f.samples().isEmpty(), f.name());
        }

        // A peer leaves: its traffic stays in the totals, and the peer gauge drops.
        inbound.close();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (rpc("getpeerinfo").size() != 1) {
            assertTrue(System.nanoTime() < deadline, "the daemon saw the inbound peer leave");
            Thread.sleep(50);
        }
        Scrape later = quiescentScrape(metricsPort);
        assertEquals(0.0, later.metrics.value("jbitcoind_peers", "direction", "inbound").orElseThrow());
        assertEquals(1.0, later.metrics.value("jbitcoind_peers", "direction", "outbound").orElseThrow());
        double receivedLater = sum(perMessage(later.metrics, "jbitcoind_p2p_received_bytes_total"));
        assertEquals(later.netTotals.get("totalbytesrecv").asDouble(), receivedLater);
        assertEquals(later.netTotals.get("totalbytessent").asDouble(),
                sum(perMessage(later.metrics, "jbitcoind_p2p_sent_bytes_total")));
        assertTrue(receivedLater >= sum(received), "counters never go down");
        assertTrue(receivedLater > sum(sumOverPeers(later.peerInfo, "bytesrecv_per_msg")),
                "the departed peer's bytes are still counted");

        daemon.stopCleanly();
    }

    private record Scrape(PrometheusText metrics, int blockCount, JsonNode chainInfo, JsonNode mempoolInfo,
            JsonNode peerInfo, JsonNode netTotals, Map<String, Integer> rpcCallsBefore) {
    }

    /**
     * RPC state, a scrape, and the RPC state again, until the two RPC readings agree (peers may still be
     * exchanging a message): then the scrape saw that same state. Bounded in tries.
     */
    private Scrape quiescentScrape(int metricsPort) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            String before = rpcState();
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            Map<String, Integer> calls = Map.copyOf(rpcCalls);
            String after = rpcState();
            if (before.equals(after)) {
                JsonNode state = Json.parse(after);
                return new Scrape(PrometheusText.parse(r.body()), state.get("blocks").asInt(), state.get("chain"),
                        state.get("mempool"), state.get("peers"), state.get("totals"), calls);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the node never stood still for a scrape");
    }

    private String rpcState() throws Exception {
        ObjectNode o = Json.FACTORY.objectNode();
        o.put("blocks", rpc("getblockcount").asInt());
        o.set("chain", Json.FACTORY.objectNode().set("headers", rpc("getblockchaininfo").get("headers")));
        o.set("mempool", rpc("getmempoolinfo"));
        ArrayNode peers = Json.FACTORY.arrayNode();
        for (JsonNode p : rpc("getpeerinfo")) {
            // Only what the metrics carry: ping times and clocks move without traffic.
            ObjectNode kept = Json.FACTORY.objectNode();
            kept.set("inbound", p.get("inbound"));
            kept.set("bytesrecv_per_msg", p.get("bytesrecv_per_msg"));
            kept.set("bytessent_per_msg", p.get("bytessent_per_msg"));
            peers.add(kept);
        }
        o.set("peers", peers);
        JsonNode totals = rpc("getnettotals");
        ObjectNode t = Json.FACTORY.objectNode();
        t.set("totalbytesrecv", totals.get("totalbytesrecv"));
        t.set("totalbytessent", totals.get("totalbytessent"));
        o.set("totals", t);
        return Json.write(o);
    }

    private static Map<String, Double> perMessage(PrometheusText m, String sample) {
        Map<String, Double> out = new TreeMap<>();
        for (PrometheusText.Sample s : m.samples(sample)) {
            if (s.value() > 0) {
                out.put(s.labels().get("msg"), s.value());
            }
        }
        return out;
    }

    private static Map<String, Double> sumOverPeers(JsonNode peers, String field) {
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode p : peers) {
            for (Iterator<Map.Entry<String, JsonNode>> it = p.get(field).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.merge(e.getKey(), e.getValue().asDouble(), Double::sum);
            }
        }
        return out;
    }

    private static double sum(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** A call through the daemon's RPC server, counted for the comparison with its RPC metrics. */
    private JsonNode rpc(String method, Object... params) throws Exception {
        rpcCalls.merge(method, 1, Integer::sum);
        return daemon.rpc().call(method, params);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
