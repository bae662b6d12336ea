package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** -rpcthreads / -rpcworkqueue: a request finding the queue full gets HTTP 503 at once. */
class RpcWorkQueueTest {

    @Test
    void fullQueueAnswers503() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RpcRegistry registry = new RpcRegistry();
        registry.register(new RpcMethod("block", "test", List.of(), "Waits until released.", null, call -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RpcCall.json().textNode("done");
        }));
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (RpcServer server = RpcServer.start(TestRpc.loopback().withWorkers(1, 1), registry)) {
            int port = server.port();
            String body = "{\"method\":\"block\",\"id\":1}";
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> post(port, body), clients);
            assertTrue(running.await(10, TimeUnit.SECONDS));
            CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> post(port, body), clients);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.queuedRequests() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, server.queuedRequests());

            HttpResponse<String> third = TestRpc.post(port, body);
            assertEquals(503, third.statusCode());
            assertEquals("Work queue depth exceeded", third.body());

            release.countDown();
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(200, second.get(10, TimeUnit.SECONDS).statusCode());
        } finally {
            release.countDown();
            clients.shutdownNow();
            assertTrue(clients.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static HttpResponse<String> post(int port, String body) {
        try {
            return TestRpc.post(port, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
