package org.jbitcoind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RpcClient against a fake JSON-RPC server on 127.0.0.1: cookie auth, request shape, exact decimals. */
class RpcClientTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile String answer;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private RpcClient client() throws IOException {
        Path cookie = Files.writeString(dir.resolve(".cookie"), "__cookie__:secret\n");
        return new RpcClient(server.getAddress().getPort(), cookie);
    }

    @Test
    void callSendsAnAuthenticatedRequestAndKeepsTheAmountsScale() throws Exception {
        answer = "{\"result\":0.00010000,\"error\":null,\"id\":0}";
        JsonNode result = client().call("getbalance", "*", new BigDecimal("1E-8"));
        assertEquals(new BigDecimal("0.00010000"), result.decimalValue(), "scale kept, as the node wrote it");
        assertEquals("Basic " + Base64.getEncoder().encodeToString("__cookie__:secret".getBytes(StandardCharsets.UTF_8)),
                authorizations.get(0));
        assertEquals("{\"jsonrpc\":\"1.0\",\"id\":0,\"method\":\"getbalance\",\"params\":[\"*\",0.00000001]}",
                bodies.get(0), "decimals written plain");
    }

    @Test
    void anErrorReplyFailsCallAndIsWhatErrorReturns() throws Exception {
        answer = "{\"result\":null,\"error\":{\"code\":-8,\"message\":\"bad\"},\"id\":0}";
        RpcClient rpc = client();
        AssertionError e = assertThrows(AssertionError.class, () -> rpc.call("getblockhash", 99));
        assertTrue(e.getMessage().contains("getblockhash failed") && e.getMessage().contains("-8"), e.getMessage());
        assertEquals(-8, rpc.error("getblockhash", 99).get("code").asInt());
        answer = "{\"result\":7,\"error\":null,\"id\":0}";
        assertThrows(AssertionError.class, () -> rpc.error("getblockcount"));
    }

    @Test
    void anEmptyReplyIsAnIoError() throws Exception {
        answer = "";
        RpcClient rpc = client().withTimeout(java.time.Duration.ofSeconds(5));
        assertThrows(IOException.class, () -> rpc.reply("getblockcount"));
    }
}
