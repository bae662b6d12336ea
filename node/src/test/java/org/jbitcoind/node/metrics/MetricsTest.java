package org.jbitcoind.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jbitcoind.node.rpc.Json;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rpcCallsAreCountedPerMethodAndOutcome() throws Exception {
        Metrics metrics = new Metrics();
        RpcRegistry rpc = new RpcRegistry();
        rpc.register(new RpcMethod("ok", "test", List.of(), "Succeeds.", null, call -> RpcCall.json().nullNode()));
        rpc.register(new RpcMethod("bad", "test", List.of(), "Fails.", null, call -> {
            throw new RpcException(RpcErrorCode.MISC_ERROR, "no");
        }));
        metrics.instrument(rpc);
        rpc.execute("ok", Json.parse("[]"), "u");
        rpc.execute("ok", Json.parse("[]"), "u");
        assertThrows(RpcException.class, () -> rpc.execute("bad", Json.parse("[]"), "u"));
        assertThrows(RpcException.class, () -> rpc.execute("missing", Json.parse("[]"), "u"));
        assertEquals(2.0, metrics.counterValue("jbitcoind_rpc_calls", "method", "ok", "outcome", "ok"));
        assertEquals(1.0, metrics.counterValue("jbitcoind_rpc_calls", "method", "bad", "outcome", "error"));
        assertEquals(0.0, metrics.counterValue("jbitcoind_rpc_calls", "method", "missing", "outcome", "error"));
    }

    @Test
    void scrapeIsServedOnLoopback() throws Exception {
        Metrics metrics = new Metrics();
        metrics.counter("jbitcoind_blocks_connected", "Blocks connected").increment(3);
        try (MetricsServer server = MetricsServer.start(metrics, 0)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(r.body().contains("jbitcoind_blocks_connected_total 3.0"), r.body());
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/other")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    /** The registry is made at the first scrape; meters registered before and after it must both appear. */
    @Test
    void metersRegisteredBeforeAndAfterTheFirstScrapeAreAllExposed() {
        Metrics metrics = new Metrics();
        java.util.concurrent.atomic.AtomicLong height = new java.util.concurrent.atomic.AtomicLong(7);
        metrics.gauge("jbitcoind_blocks", "Height of the tip", height::get);
        metrics.functionCounter("jbitcoind_early", "Registered before the registry", () -> 5);
        String first = metrics.scrape();
        assertTrue(first.contains("jbitcoind_blocks 7.0"), first);
        assertTrue(first.contains("jbitcoind_early_total 5.0"), first);
        metrics.functionTimer("jbitcoind_late", "Registered after the registry", () -> 2, () -> 3_000_000_000L);
        height.set(8);
        String second = metrics.scrape();
        assertTrue(second.contains("jbitcoind_blocks 8.0"), second);
        assertTrue(second.contains("jbitcoind_late_seconds_count 2\n"), second);
        assertTrue(second.contains("jbitcoind_late_seconds_sum 3.0"), second);
    }
}
