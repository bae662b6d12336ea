package org.jbitcoind.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.jbitcoind.node.rpc.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON-RPC over HTTP to a benchmark's daemon on 127.0.0.1, authenticated with the cookie it wrote. */
final class BenchRpc {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String authorization;

    BenchRpc(int port, Path cookie) throws Exception {
        this.port = port;
        String credentials = Files.readString(cookie).trim();
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** The result, or an {@link IllegalStateException} carrying the RPC error. */
    JsonNode call(String method, Object... params) throws Exception {
        ObjectNode request = Json.FACTORY.objectNode();
        request.put("method", method);
        request.put("id", 1);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(Json.MAPPER.valueToTree(p));
        }
        HttpRequest http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofMinutes(5)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))).build();
        JsonNode reply = Json.parse(CLIENT.send(http, HttpResponse.BodyHandlers.ofString()).body());
        if (!reply.get("error").isNull()) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }
}
