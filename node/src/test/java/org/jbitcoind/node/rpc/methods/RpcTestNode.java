package org.jbitcoind.node.rpc.methods;

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
import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.jbitcoind.node.Node;
import org.jbitcoind.node.chain.ChainService;
import org.jbitcoind.node.daemon.DataDirectory;
import org.jbitcoind.node.mempool.MempoolService;
import org.jbitcoind.node.p2p.P2pService;
import org.jbitcoind.node.rpc.Json;
import org.jbitcoind.node.rpc.LogCategories;
import org.jbitcoind.node.rpc.RpcService;

/**
 * A regtest node in this JVM with the daemon's chain and RPC services (as Daemon.addServices wires
 * them), on an ephemeral loopback port, called over HTTP with the cookie it wrote.
 */
final class RpcTestNode implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Node node;
    final ChainService chain;
    final RpcService rpc;
    final P2pService p2p;
    final Settings settings;
    final int port;
    final String authorization;

    private RpcTestNode(Node node, ChainService chain, RpcService rpc, P2pService p2p, Settings settings)
            throws Exception {
        this.node = node;
        this.p2p = p2p;
        this.chain = chain;
        this.rpc = rpc;
        this.settings = settings;
        this.port = rpc.port();
        String cookie = Files.readString(settings.dataDir().resolve(".cookie")).trim();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(cookie.getBytes(StandardCharsets.UTF_8));
    }

    static RpcTestNode start(Path dir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-regtest", "-datadir=" + dir, "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1", "-rpcport=0", "-dnsseed=0", "-fixedseeds=0"));
        if (List.of(extra).stream().noneMatch(a -> a.startsWith("-listen"))) {
            args.add("-listen=0");
        }
        args.addAll(List.of(extra));
        Settings settings = SettingsLoader.load(args);
        Node node = new Node(settings);
        ChainService chain = new ChainService(settings);
        P2pService p2p = new P2pService(settings, chain::chainstate);
        MempoolService mempool = new MempoolService(settings, chain::chainstate);
        RpcService rpc = new RpcService(settings, node::requestShutdown, chain::chainstate, () -> mempool,
                () -> p2p, new LogCategories(LogCategories.NODE_CATEGORIES, settings.dataDir().resolve("debug.log"), (c, on) -> { }))
                .withBlockFilterIndex(chain::blockFilterIndex);
        node.add(new DataDirectory(settings.dataDir())).add(rpc).add(chain).add(mempool).add(p2p)
                .add(rpc.warmupFinished());
        node.start();
        try {
            return new RpcTestNode(node, chain, rpc, p2p, settings);
        } catch (Exception e) {
            node.stop();
            throw e;
        }
    }

    /** The whole JSON-RPC reply object ({result, error, id}). */
    JsonNode reply(String method, Object... params) throws Exception {
        ObjectNode request = Json.FACTORY.objectNode();
        request.put("method", method);
        request.put("id", 1);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(Json.MAPPER.valueToTree(p));
        }
        HttpRequest http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))).build();
        HttpResponse<String> response = CLIENT.send(http, HttpResponse.BodyHandlers.ofString());
        return Json.parse(response.body());
    }

    /** The result of a call that must succeed. */
    JsonNode call(String method, Object... params) throws Exception {
        JsonNode reply = reply(method, params);
        if (!reply.get("error").isNull()) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** The error object of a call that must fail. */
    JsonNode error(String method, Object... params) throws Exception {
        JsonNode reply = reply(method, params);
        if (reply.get("error").isNull()) {
            throw new AssertionError(method + " succeeded: " + reply.get("result"));
        }
        return reply.get("error");
    }

    @Override
    public void close() {
        node.stop();
    }
}
