package org.jbitcoind.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * JSON-RPC 1.0 over HTTP to a node on 127.0.0.1, authenticated with the cookie it wrote. The
 * cookie is read at the first call, so a client may be made before the node has written it. A
 * call that must succeed and does not is an {@link AssertionError}, as in a test.
 */
public final class RpcClient {
    /** How long one call may take before it fails, unless {@link #withTimeout} says otherwise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * Decimals read and written exactly as the node's own JSON (node.rpc.Json, which this module
     * cannot use: node's tests depend on it): an amount such as 0.00010000 keeps its scale.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private final int port;
    private final Path cookie;
    private final Duration timeout;
    private String authorization;

    public RpcClient(int port, Path cookie) {
        this(port, cookie, TIMEOUT);
    }

    private RpcClient(int port, Path cookie, Duration timeout) {
        this.port = port;
        this.cookie = cookie;
        this.timeout = timeout;
    }

    /** The same node, with {@code timeout} per call (a benchmark's long calls). */
    public RpcClient withTimeout(Duration timeout) {
        return new RpcClient(port, cookie, timeout);
    }

    public int port() {
        return port;
    }

    /** The whole reply object ({result, error, id}). */
    public JsonNode reply(String method, Object... params) throws Exception {
        return parse(post(write(request(method, 0, params))));
    }

    /** The result of a call that must succeed. */
    public JsonNode call(String method, Object... params) throws Exception {
        JsonNode reply = reply(method, params);
        if (isError(reply)) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** The error object of a call that must fail. */
    public JsonNode error(String method, Object... params) throws Exception {
        JsonNode reply = reply(method, params);
        if (!isError(reply)) {
            throw new AssertionError(method + " succeeded: " + reply.get("result"));
        }
        return reply.get("error");
    }

    /** The transaction ids in the mempool (getrawmempool). */
    public List<String> mempool() throws Exception {
        List<String> out = new ArrayList<>();
        call("getrawmempool").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** One JSON-RPC batch calling {@code method} with each parameter list; the whole replies, in the same order. */
    public List<JsonNode> batch(String method, List<Object[]> paramLists) throws Exception {
        ArrayNode requests = JSON.createArrayNode();
        for (int i = 0; i < paramLists.size(); i++) {
            requests.add(request(method, i, paramLists.get(i)));
        }
        JsonNode replies = parse(post(write(requests)));
        if (replies.size() != paramLists.size()) {
            throw new AssertionError(paramLists.size() + " calls of " + method + " got " + replies.size() + " replies");
        }
        List<JsonNode> out = new ArrayList<>(Collections.nCopies(paramLists.size(), (JsonNode) null));
        for (JsonNode r : replies) {
            out.set(r.get("id").asInt(), r);
        }
        return out;
    }

    /** A batch of one method with one parameter each, every call of which must succeed. */
    public void callEach(String method, List<?> params) throws Exception {
        List<Object[]> lists = new ArrayList<>();
        for (Object p : params) {
            lists.add(new Object[] {p});
        }
        for (JsonNode r : batch(method, lists)) {
            if (isError(r)) {
                throw new AssertionError(method + " failed: " + r.get("error"));
            }
        }
    }

    /** Sends a call without waiting for its answer (the node may be killed meanwhile). */
    public CompletableFuture<HttpResponse<String>> callAsync(String method, Object... params) throws IOException {
        return HTTP.sendAsync(httpRequest(write(request(method, 0, params))),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean isError(JsonNode reply) {
        JsonNode error = reply.get("error");
        return error != null && !error.isNull();
    }

    private static ObjectNode request(String method, int id, Object... params) {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "1.0");
        request.put("id", id);
        request.put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(JSON.valueToTree(p));
        }
        return request;
    }

    private static JsonNode parse(String text) throws IOException {
        JsonNode node = JSON.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new IOException("no JSON in the reply: '" + text + "'");
        }
        return node;
    }

    private static String write(JsonNode node) throws JsonProcessingException {
        return JSON.writeValueAsString(node);
    }

    private String post(String body) throws Exception {
        return HTTP.send(httpRequest(body), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpRequest httpRequest(String body) throws IOException {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(timeout)
                .header("Authorization", authorization())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private synchronized String authorization() throws IOException {
        if (authorization == null) {
            String credentials = Files.readString(cookie).trim();
            authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }
        return authorization;
    }
}
