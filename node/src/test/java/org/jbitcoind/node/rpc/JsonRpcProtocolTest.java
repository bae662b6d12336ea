package org.jbitcoind.node.rpc;

import static org.jbitcoind.node.rpc.TestRpc.json;
import static org.jbitcoind.node.rpc.TestRpc.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JSON-RPC request forms, replies and error statuses over real HTTP, against Core's rules. */
class JsonRpcProtocolTest {
    private static RpcServer server;
    private static int port;
    private static final AtomicInteger NOTIFIED = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        RpcRegistry registry = new RpcRegistry();
        registry.register(new RpcMethod("echo", "test",
                List.of(RpcArg.optional("first", RpcArgType.ANY, null, "first"),
                        RpcArg.optional("second|alias", RpcArgType.ANY, null, "second"),
                        RpcArg.optional("third", RpcArgType.ANY, null, "third")),
                "Returns its parameters.", null, call -> {
                    var out = RpcCall.json().arrayNode();
                    for (int i = 0; i < call.size(); i++) {
                        out.add(call.param(i));
                    }
                    return out;
                }));
        registry.register(new RpcMethod("getheight", "test",
                List.of(RpcArg.required("height", RpcArgType.NUM, "a height"),
                        RpcArg.optional("verbose", RpcArgType.BOOL, "false", "details")),
                "Typed arguments.", null, call -> RpcCall.json().numberNode(call.longOr(0, -1))));
        registry.register(new RpcMethod("notfound", "test", List.of(), "Always fails with -5.", null, call -> {
            throw new RpcException(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found");
        }));
        registry.register(new RpcMethod("crash", "test", List.of(), "Throws an unchecked exception.", null, call -> {
            throw new IllegalStateException("boom");
        }));
        registry.register(new RpcMethod("count", "test", List.of(), "Counts calls.", null,
                call -> RpcCall.json().numberNode(NOTIFIED.incrementAndGet())));
        registry.register(new RpcMethod("slow", "test", List.of(), "Answers after 300 ms.", null, call -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RpcCall.json().textNode("slow");
        }));
        registry.register(new RpcMethod("amount", "test", List.of(), "A decimal result.", null,
                call -> RpcCall.json().numberNode(new java.math.BigDecimal("0.00010000"))));
        ControlMethods.register(registry, () -> { }, new LogCategories(LogCategories.NODE_CATEGORIES,
                java.nio.file.Path.of("debug.log"), (c, on) -> { }), Clock.systemUTC());
        server = RpcServer.start(TestRpc.loopback(), registry);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void legacyRequestGetsResultErrorAndId() throws Exception {
        HttpResponse<String> r = post(port, "{\"method\":\"echo\",\"params\":[1,\"x\"],\"id\":\"abc\"}");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"result\":[1,\"x\"],\"error\":null,\"id\":\"abc\"}\n", r.body());
    }

    @Test
    void explicitVersionOneIsLegacy() throws Exception {
        HttpResponse<String> r = post(port, "{\"jsonrpc\":\"1.0\",\"method\":\"echo\",\"id\":7}");
        assertEquals("{\"result\":[],\"error\":null,\"id\":7}\n", r.body());
    }

    @Test
    void version2ReplyHasNoNullMember() throws Exception {
        HttpResponse<String> r = post(port, "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[true],\"id\":3}");
        assertEquals(200, r.statusCode());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":[true],\"id\":3}\n", r.body());
    }

    @Test
    void decimalsKeepTheirScale() throws Exception {
        assertEquals("{\"result\":0.00010000,\"error\":null,\"id\":1}\n",
                post(port, "{\"method\":\"amount\",\"id\":1}").body());
    }

    @Test
    void legacyMethodNotFoundIs404() throws Exception {
        HttpResponse<String> r = post(port, "{\"method\":\"nosuch\",\"id\":1}");
        assertEquals(404, r.statusCode());
        assertEquals("{\"result\":null,\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}\n",
                r.body());
    }

    @Test
    void version2MethodNotFoundIs200() throws Exception {
        HttpResponse<String> r = post(port, "{\"jsonrpc\":\"2.0\",\"method\":\"nosuch\",\"id\":1}");
        assertEquals(200, r.statusCode());
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}\n",
                r.body());
    }

    @Test
    void legacyApplicationErrorIs500() throws Exception {
        HttpResponse<String> r = post(port, "{\"method\":\"notfound\",\"id\":1}");
        assertEquals(500, r.statusCode());
        assertEquals(-5, json(r).get("error").get("code").asInt());
        assertEquals("Block not found", json(r).get("error").get("message").asText());
    }

    @Test
    void uncheckedHandlerFailureIsMiscError() throws Exception {
        JsonNode error = json(post(port, "{\"jsonrpc\":\"2.0\",\"method\":\"crash\",\"id\":1}")).get("error");
        assertEquals(-1, error.get("code").asInt());
        assertEquals("boom", error.get("message").asText());
    }

    @Test
    void notificationIsExecutedAndAnswered204() throws Exception {
        int before = NOTIFIED.get();
        HttpResponse<String> r = post(port, "{\"jsonrpc\":\"2.0\",\"method\":\"count\"}");
        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
        assertEquals(before + 1, NOTIFIED.get());
        assertEquals(204, post(port, "{\"jsonrpc\":\"2.0\",\"method\":\"nosuch\"}").statusCode());
    }

    @Test
    void legacyRequestWithoutIdIsStillAnswered() throws Exception {
        HttpResponse<String> r = post(port, "{\"method\":\"echo\"}");
        assertEquals(200, r.statusCode());
        assertEquals("{\"result\":[],\"error\":null}\n", r.body());
    }

    @Test
    void malformedJsonIsParseError500() throws Exception {
        HttpResponse<String> r = post(port, "{\"method\":");
        assertEquals(500, r.statusCode());
        assertEquals("{\"result\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}\n",
                r.body());
    }

    @Test
    void scalarBodyIsTopLevelParseError() throws Exception {
        HttpResponse<String> r = post(port, "42");
        assertEquals(500, r.statusCode());
        assertEquals("Top-level object parse error", json(r).get("error").get("message").asText());
        assertEquals(-32700, json(r).get("error").get("code").asInt());
    }

    @Test
    void invalidRequestsAre400() throws Exception {
        assertInvalid("{\"id\":1}", "Missing method");
        assertInvalid("{\"method\":5,\"id\":1}", "Method must be a string");
        assertInvalid("{\"method\":\"echo\",\"params\":5,\"id\":1}", "Params must be an array or object");
        assertInvalid("{\"jsonrpc\":2,\"method\":\"echo\",\"id\":1}", "jsonrpc field must be a string");
        assertInvalid("{\"jsonrpc\":\"3.0\",\"method\":\"echo\",\"id\":1}", "JSON-RPC version not supported");
        // A 2.0 request that fails to parse is still an HTTP error, as in Core.
        assertInvalid("{\"jsonrpc\":\"2.0\",\"id\":1}", "Missing method");
    }

    private static void assertInvalid(String body, String message) throws Exception {
        HttpResponse<String> r = post(port, body);
        assertEquals(400, r.statusCode(), body);
        assertEquals(-32600, json(r).get("error").get("code").asInt());
        assertEquals(message, json(r).get("error").get("message").asText());
        assertEquals(1, json(r).get("id").asInt());
    }

    @Test
    void batchAnswersEachNonNotificationInOrder() throws Exception {
        HttpResponse<String> r = post(port, "[{\"method\":\"echo\",\"params\":[1],\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"nosuch\",\"id\":2},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"count\"},"
                + "{\"method\":\"notfound\",\"id\":\"x\"},"
                + "7]");
        assertEquals(200, r.statusCode());
        JsonNode replies = json(r);
        assertEquals(4, replies.size());
        assertEquals("{\"result\":[1],\"error\":null,\"id\":1}", replies.get(0).toString());
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":2}",
                replies.get(1).toString());
        assertEquals(-5, replies.get(2).get("error").get("code").asInt());
        assertEquals("x", replies.get(2).get("id").asText());
        assertEquals(-32600, replies.get(3).get("error").get("code").asInt());
    }

    @Test
    void batchOfNotificationsIs204AndEmptyBatchIsEmptyArray() throws Exception {
        assertEquals(204, post(port, "[{\"jsonrpc\":\"2.0\",\"method\":\"count\"}]").statusCode());
        HttpResponse<String> empty = post(port, "[]");
        assertEquals(200, empty.statusCode());
        assertEquals("[]\n", empty.body());
    }

    @Test
    void namedParametersMapToPositions() throws Exception {
        assertEquals("[null,2]", result("{\"method\":\"echo\",\"params\":{\"second\":2},\"id\":1}"));
        assertEquals("[null,\"a\"]", result("{\"method\":\"echo\",\"params\":{\"alias\":\"a\"},\"id\":1}"));
        assertEquals("[1,null,3]", result("{\"method\":\"echo\",\"params\":{\"third\":3,\"first\":1},\"id\":1}"));
        assertEquals("[]", result("{\"method\":\"echo\",\"params\":{},\"id\":1}"));
        // "args" supplies leading positional values, named ones follow.
        assertEquals("[1,2,3]", result("{\"method\":\"echo\",\"params\":{\"args\":[1,2],\"third\":3},\"id\":1}"));
    }

    @Test
    void unknownNamedParameterIsInvalidParameter() throws Exception {
        JsonNode error = json(post(port, "{\"method\":\"echo\",\"params\":{\"zzz\":1},\"id\":1}")).get("error");
        assertEquals(-8, error.get("code").asInt());
        assertEquals("Unknown named parameter zzz", error.get("message").asText());
        JsonNode twice = json(post(port, "{\"method\":\"echo\",\"params\":{\"args\":[1],\"first\":1},\"id\":1}"))
                .get("error");
        assertEquals(-8, twice.get("code").asInt());
        assertEquals("Parameter first specified twice both as positional and named argument",
                twice.get("message").asText());
    }

    @Test
    void wrongArityReturnsHelpText() throws Exception {
        HttpResponse<String> tooMany = post(port, "{\"method\":\"echo\",\"params\":[1,2,3,4],\"id\":1}");
        assertEquals(500, tooMany.statusCode());
        JsonNode error = json(tooMany).get("error");
        assertEquals(-1, error.get("code").asInt());
        assertTrue(error.get("message").asText().startsWith("echo ( first second third )\n"),
                error.get("message").asText());
        JsonNode missing = json(post(port, "{\"method\":\"getheight\",\"params\":[],\"id\":1}")).get("error");
        assertEquals(-1, missing.get("code").asInt());
        assertTrue(missing.get("message").asText().startsWith("getheight height ( verbose )\n"));
    }

    @Test
    void wrongTypeIsTypeError() throws Exception {
        JsonNode error = json(post(port, "{\"method\":\"getheight\",\"params\":[\"10\",1],\"id\":1}")).get("error");
        assertEquals(-3, error.get("code").asInt());
        assertEquals("Wrong type passed:\n{\n"
                + "    \"Position 1 (height)\": \"JSON value of type string is not of expected type number\",\n"
                + "    \"Position 2 (verbose)\": \"JSON value of type number is not of expected type bool\"\n}",
                error.get("message").asText());
        assertEquals("10", result("{\"method\":\"getheight\",\"params\":[10,null],\"id\":1}"));
    }

    @Test
    void warmupAnswersMinus28UntilFinished() throws Exception {
        server.registry().setWarmupStatus("Loading block index…");
        try {
            HttpResponse<String> r = post(port, "{\"method\":\"help\",\"id\":1}");
            assertEquals(500, r.statusCode());
            assertEquals(-28, json(r).get("error").get("code").asInt());
            assertEquals("Loading block index…", json(r).get("error").get("message").asText());
        } finally {
            server.registry().setWarmupFinished();
        }
        assertEquals(200, post(port, "{\"method\":\"uptime\",\"id\":1}").statusCode());
    }

    @Test
    void onlyPostOnRootPath() throws Exception {
        HttpResponse<String> get = TestRpc.send(port, "/", "GET", null, TestRpc.basic("alice", "secret"));
        assertEquals(405, get.statusCode());
        assertEquals("JSONRPC server handles only POST requests", get.body());
        assertEquals(404, TestRpc.send(port, "/rest/chaininfo.json", "POST", "{}",
                TestRpc.basic("alice", "secret")).statusCode());
    }

    @Test
    void keepAliveConnectionServesSeveralRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(port, "{\"method\":\"echo\",\"id\":" + i + "}").statusCode());
        }
        assertFalse(server.boundAddresses().isEmpty());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String auth = TestRpc.basic(TestRpc.USER, TestRpc.PASSWORD);
        String slow = "{\"method\":\"slow\",\"id\":1}";
        String fast = "{\"method\":\"echo\",\"params\":[\"fast\"],\"id\":2}";
        String requests = "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth + "\r\nContent-Length: "
                + slow.length() + "\r\n\r\n" + slow
                + "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: " + auth
                + "\r\nContent-Length: " + fast.length() + "\r\n\r\n" + fast;
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int first = answer.indexOf("\"result\":\"slow\"");
            int second = answer.indexOf("\"result\":[\"fast\"]");
            assertTrue(first >= 0 && second > first, answer);
        }
    }

    private static String result(String body) throws Exception {
        JsonNode reply = json(post(port, body));
        assertTrue(reply.get("error").isNull(), reply.toString());
        return reply.get("result").toString();
    }
}
