package org.jbitcoind.node.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.node.rpc.Json;

/**
 * Real jbitcoind processes on regtest for the crash tests: started with -dnsseed=0 -fixedseeds=0
 * -listen=0 and a free RPC port, talked to over JSON-RPC with the cookie, stopped (SIGTERM) or
 * killed (SIGKILL) by their own pid. {@link #close()} kills whatever a test left running.
 */
final class Daemons implements AutoCloseable {
    static final long TIMEOUT_MS = 90_000;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Every daemon still running, killed if the test JVM itself is ended (e.g. Maven stopped) before a test's cleanup. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-test-daemons"));
    }

    private final Path home;
    private final List<Daemon> started = new ArrayList<>();

    Daemons(Path home) {
        this.home = home;
    }

    /** A running (or ended) daemon process with its data folder, RPC port and console file. */
    record Daemon(Process process, Path datadir, int rpcPort, Path console) {
        Path networkDir() {
            return datadir.resolve("regtest");
        }

        long pid() {
            return process.pid();
        }

        String consoleText() throws IOException {
            return Files.exists(console) ? Files.readString(console) : "";
        }
    }

    /** Starts a regtest daemon on {@code datadir} with the given extra arguments. */
    Daemon launch(Path datadir, String... args) throws IOException {
        Files.createDirectories(datadir);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-regtest", "-datadir=" + datadir, "-printtoconsole", "-dnsseed=0",
                "-fixedseeds=0", "-listen=0", "-rpcport=" + port, "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1"));
        command.addAll(List.of(args));
        Path console = datadir.resolveSibling(datadir.getFileName() + "-console-" + started.size() + ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        p.getOutputStream().close();
        Daemon d = new Daemon(p, datadir, port, console);
        started.add(d);
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return d;
    }

    /** Waits (bounded) until the console shows {@code text}; fails if the process ends first. */
    static void awaitLine(Daemon d, String text) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (d.consoleText().contains(text)) {
                return;
            }
            if (!d.process().isAlive()) {
                throw new AssertionError("daemon exited with " + d.process().exitValue() + " before '" + text + "':\n"
                        + tail(d.consoleText()));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' within " + TIMEOUT_MS + " ms:\n" + tail(d.consoleText()));
    }

    /** Waits until the RPC server answers (the warm-up is over). */
    static void awaitRpc(Daemon d) throws Exception {
        awaitLine(d, "started on regtest");
    }

    /** One JSON-RPC call; returns {@code result}, fails on an error. */
    static JsonNode rpc(Daemon d, String method, Object... params) throws Exception {
        JsonNode reply = Json.parse(post(d, request(method, params)));
        if (!reply.path("error").isNull() && !reply.path("error").isMissingNode()) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** A JSON-RPC batch of {@code sendrawtransaction} calls; fails unless every one is accepted. */
    static void sendAll(Daemon d, List<String> rawTxs) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < rawTxs.size(); i++) {
            body.append(i == 0 ? "" : ",").append(request("sendrawtransaction", rawTxs.get(i)));
        }
        JsonNode replies = Json.parse(post(d, body.append(']').toString()));
        assertEquals(rawTxs.size(), replies.size());
        for (JsonNode r : replies) {
            assertTrue(r.path("error").isNull(), "sendrawtransaction failed: " + r.get("error"));
        }
    }

    /** A JSON-RPC batch of one method with each parameter list; returns the replies (result or error) in order. */
    static List<JsonNode> rpcBatch(Daemon d, String method, List<Object[]> paramLists) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < paramLists.size(); i++) {
            body.append(i == 0 ? "" : ",").append(request(method, paramLists.get(i)).replace("\"id\":1", "\"id\":" + i));
        }
        JsonNode replies = Json.parse(post(d, body.append(']').toString()));
        List<JsonNode> out = new ArrayList<>(java.util.Collections.nCopies(paramLists.size(), (JsonNode) null));
        for (JsonNode r : replies) {
            out.set(r.get("id").asInt(), r);
        }
        return out;
    }

    /** Sends a call without waiting for its answer (the process may be killed meanwhile). */
    static CompletableFuture<HttpResponse<String>> rpcAsync(Daemon d, String method, Object... params)
            throws IOException {
        return CLIENT.sendAsync(httpRequest(d, request(method, params)), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM by pid and a bounded wait; the daemon must exit 0. */
    static void stop(Daemon d) throws Exception {
        ProcessHandle.of(d.pid()).ifPresent(ProcessHandle::destroy);
        assertTrue(d.process().waitFor(60, TimeUnit.SECONDS), "daemon did not stop");
        assertEquals(0, d.process().exitValue(), tail(d.consoleText()));
    }

    /** SIGKILL by pid: no shutdown hook, no final flush, no mempool dump. Returns whether it was still running. */
    static boolean kill(Daemon d) throws Exception {
        boolean wasRunning = d.process().isAlive();
        ProcessHandle.of(d.pid()).ifPresent(ProcessHandle::destroyForcibly);
        assertTrue(d.process().waitFor(30, TimeUnit.SECONDS), "killed daemon still running");
        return wasRunning;
    }

    /** The UTXO set as gettxoutsetinfo reports it: tip, height, hash_serialized_3 and muhash. */
    record UtxoState(String bestBlock, int height, String hashSerialized3, String muhash, long txouts) {
    }

    static UtxoState utxoState(Daemon d) throws Exception {
        JsonNode serialized = rpc(d, "gettxoutsetinfo", "hash_serialized_3");
        JsonNode muhash = rpc(d, "gettxoutsetinfo", "muhash");
        assertEquals(serialized.get("bestblock"), muhash.get("bestblock"));
        assertEquals(rpc(d, "getbestblockhash").asText(), serialized.get("bestblock").asText());
        return new UtxoState(serialized.get("bestblock").asText(), serialized.get("height").asInt(),
                serialized.get("hash_serialized_3").asText(), muhash.get("muhash").asText(),
                serialized.get("txouts").asLong());
    }

    /** Copies a (stopped) data folder, e.g. a prepared chain every round starts from. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Daemon d : started) {
            if (d.process().isAlive()) {
                ProcessHandle.of(d.pid()).ifPresent(ProcessHandle::destroyForcibly);
                d.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static String tail(String console) {
        return console.length() <= 6000 ? console : "..." + console.substring(console.length() - 6000);
    }

    private static String request(String method, Object... params) {
        StringBuilder b = new StringBuilder("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"").append(method)
                .append("\",\"params\":[");
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            b.append(i == 0 ? "" : ",").append(p instanceof String s ? "\"" + s + "\"" : String.valueOf(p));
        }
        return b.append("]}").toString();
    }

    private static String post(Daemon d, String body) throws Exception {
        HttpResponse<String> r = CLIENT.send(httpRequest(d, body), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static HttpRequest httpRequest(Daemon d, String body) throws IOException {
        String cookie = Files.readString(d.networkDir().resolve(".cookie")).trim();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.rpcPort() + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(cookie.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
