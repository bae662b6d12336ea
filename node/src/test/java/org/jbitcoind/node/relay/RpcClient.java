package org.jbitcoind.node.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;

import org.jbitcoind.node.rpc.Json;

/** JSON-RPC over HTTP to a node on 127.0.0.1 with the cookie it wrote. */
final class RpcClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String authorization;

    RpcClient(int port, Path cookie) throws Exception {
        this.port = port;
        String credentials = Files.readString(cookie).trim();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    JsonNode reply(String method, Object... params) throws Exception {
        ObjectNode request = Json.FACTORY.objectNode();
        request.put("method", method);
        request.put("id", 1);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(Json.MAPPER.valueToTree(p));
        }
        HttpRequest http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))).build();
        return Json.parse(CLIENT.send(http, HttpResponse.BodyHandlers.ofString()).body());
    }

    JsonNode call(String method, Object... params) throws Exception {
        JsonNode reply = reply(method, params);
        if (!reply.get("error").isNull()) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    JsonNode error(String method, Object... params) throws Exception {
        JsonNode reply = reply(method, params);
        if (reply.get("error").isNull()) {
            throw new AssertionError(method + " succeeded: " + reply.get("result"));
        }
        return reply.get("error");
    }

    List<String> mempool() throws Exception {
        List<String> out = new ArrayList<>();
        call("getrawmempool").forEach(n -> out.add(n.asText()));
        return out;
    }
}
