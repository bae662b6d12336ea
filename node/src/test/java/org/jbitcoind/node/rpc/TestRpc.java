package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Test helpers: a loopback server config on an ephemeral port and a small HTTP client. */
final class TestRpc {
    static final String USER = "alice";
    static final String PASSWORD = "secret";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestRpc() {
    }

    static RpcServerConfig loopback() {
        return new RpcServerConfig(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                Subnet.withLocalhost(List.of()), USER, PASSWORD, null, List.of(), 2, 4, Duration.ofSeconds(30),
                Duration.ofMillis(250));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(int port, String body, String authorization) throws Exception {
        return send(port, "/", "POST", body, authorization);
    }

    static HttpResponse<String> post(int port, String body) throws Exception {
        return post(port, body, basic(USER, PASSWORD));
    }

    static HttpResponse<String> send(int port, String path, String method, String body, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.parse(response.body());
    }
}
