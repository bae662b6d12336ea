package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.jbitcoind.node.Node;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.node.daemon.DataDirectory;
import org.jbitcoind.node.rpc.Json;
import org.jbitcoind.node.rpc.LogCategories;
import org.jbitcoind.node.rpc.RpcService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RPC service's life in the node: warm-up, the cookie, -server=0, a busy port, -metricsport. */
class RpcServiceTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private Settings settings(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-regtest", "-datadir=" + dir, "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1"));
        args.addAll(List.of(extra));
        return SettingsLoader.load(args);
    }

    private static RpcService service(Settings s, Node node) {
        return new RpcService(s, node::requestShutdown, () -> {
            throw new IllegalStateException("chain state is not running");
        }, null, null, new LogCategories(LogCategories.NODE_CATEGORIES, s.dataDir().resolve("debug.log"),
                (c, on) -> { }));
    }

    @Test
    void answersMinus28UntilTheChainIsLoadedAndDeletesTheCookieAtClose() throws Exception {
        Settings s = settings("-rpcport=0");
        Node node = new Node(s);
        RpcService rpc = service(s, node);
        node.add(new DataDirectory(s.dataDir())).add(rpc);
        node.start();
        Path cookie = s.dataDir().resolve(".cookie");
        try {
            String text = Files.readString(cookie);
            assertTrue(text.matches("__cookie__:[0-9a-f]{64}"), text);
            JsonNode reply = post(rpc.port(), "{\"method\":\"getblockcount\",\"id\":1}", text);
            assertEquals(-28, reply.get("error").get("code").asInt());
            assertEquals("Loading block index…", reply.get("error").get("message").asText());
        } finally {
            node.stop();
        }
        assertFalse(Files.exists(cookie), "cookie deleted at shutdown");
    }

    @Test
    void serverZeroListensNowhereAndWritesNoCookie() throws Exception {
        Settings s = settings("-server=0");
        Node node = new Node(s);
        RpcService rpc = service(s, node);
        node.add(new DataDirectory(s.dataDir())).add(rpc);
        node.start();
        try {
            assertFalse(Files.exists(s.dataDir().resolve(".cookie")));
            assertThrows(IllegalStateException.class, rpc::port);
        } finally {
            node.stop();
        }
    }

    @Test
    void aPortInUseStopsStartUpWithAClearMessage() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Settings s = settings("-rpcport=" + busy.getLocalPort());
            Node node = new Node(s);
            node.add(new DataDirectory(s.dataDir())).add(service(s, node));
            StartupException e = assertThrows(StartupException.class, node::start);
            assertTrue(e.getMessage().startsWith("Unable to bind any endpoint for RPC server"), e.getMessage());
            assertTrue(e.getMessage().contains("-rpcport"), e.getMessage());
            assertFalse(Files.exists(s.dataDir().resolve(".lock")) && isLocked(s.dataDir()),
                    "the data directory lock was released");
        }
    }

    @Test
    void metricsPortServesPrometheusText() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Settings s = settings("-rpcport=0", "-metricsport=" + port);
        Node node = new Node(s);
        RpcService rpc = service(s, node);
        node.add(new DataDirectory(s.dataDir())).add(rpc);
        node.start();
        try {
            rpc.registry().setWarmupFinished(); // no chain here; uptime needs none
            post(rpc.port(), "{\"method\":\"uptime\",\"id\":1}", Files.readString(s.dataDir().resolve(".cookie")));
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("jbitcoind_rpc_calls_total{method=\"uptime\""), r.body());
        } finally {
            node.stop();
        }
    }

    private static boolean isLocked(Path dataDir) {
        try (var channel = java.nio.channels.FileChannel.open(dataDir.resolve(".lock"),
                java.nio.file.StandardOpenOption.WRITE); var lock = channel.tryLock()) {
            return lock == null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static JsonNode post(int port, String body, String userColonPassword) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(userColonPassword.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return Json.parse(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
