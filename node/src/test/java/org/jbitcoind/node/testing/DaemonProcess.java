package org.jbitcoind.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jbitcoind.node.rpc.Json;

/**
 * The real daemon as a separate process on regtest, for tests: 127.0.0.1 only, P2P and RPC on
 * ephemeral ports read back from its log, no DNS or fixed seeds, cookie-authenticated JSON-RPC.
 * {@link #close} kills it by its own PID if {@link #stop} did not end it.
 */
public final class DaemonProcess implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern P2P_PORT = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    private static final Pattern RPC_PORT = Pattern.compile("Binding RPC on address 127\\.0\\.0\\.1 port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path datadir;
    private final Path console;
    private final int p2pPort;
    private final int rpcPort;
    private final String credentials;
    private int nextId;

    private DaemonProcess(Process process, Path datadir, Path console) throws Exception {
        this.process = process;
        this.datadir = datadir;
        this.console = console;
        try {
            this.p2pPort = Integer.parseInt(awaitLine(P2P_PORT).group(1));
            this.rpcPort = Integer.parseInt(awaitLine(RPC_PORT).group(1));
            awaitLine(Pattern.compile(Pattern.quote("started on regtest")));
            this.credentials = Files.readString(datadir.resolve("regtest").resolve(".cookie")).trim();
        } catch (Exception | AssertionError e) {
            kill();
            throw e;
        }
    }

    /** Starts a daemon in {@code datadir} with the test class path and {@code extra} settings; waits until it runs. */
    public static DaemonProcess start(Path datadir, String... extra) throws Exception {
        Files.createDirectories(datadir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Duser.home=" + datadir.resolve("home"),
                "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-regtest", "-datadir=" + datadir, "-printtoconsole",
                "-dnsseed=0", "-fixedseeds=0", "-listen=1", "-port=0", "-bind=127.0.0.1", "-connect=0",
                "-rpcport=0", "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1", "-dbcache=16"));
        command.addAll(List.of(extra));
        Path console = datadir.resolve("console.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        p.getOutputStream().close();
        return new DaemonProcess(p, datadir, console);
    }

    public InetSocketAddress p2pAddress() {
        return new InetSocketAddress("127.0.0.1", p2pPort);
    }

    public long pid() {
        return process.pid();
    }

    /** A JSON-RPC call; an error answer fails with its code and message. */
    public JsonNode rpc(String method, Object... params) throws Exception {
        JsonNode answer = call(method, params);
        JsonNode error = answer.get("error");
        if (error != null && !error.isNull()) {
            throw new AssertionError(method + " failed: " + error);
        }
        return answer.get("result");
    }

    /** The whole JSON-RPC answer (result and error). */
    public JsonNode call(String method, Object... params) throws Exception {
        ObjectNode request = Json.FACTORY.objectNode();
        request.put("jsonrpc", "1.0");
        request.put("id", ++nextId);
        request.put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(Json.MAPPER.valueToTree(p));
        }
        HttpRequest http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpcPort + "/"))
                .timeout(TIMEOUT)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))).build();
        HttpResponse<String> response = HTTP.send(http, HttpResponse.BodyHandlers.ofString());
        return Json.parse(response.body());
    }

    /** Waits for a line of the daemon's console output; fails if the daemon exits first. */
    public Matcher awaitLine(Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String s = Files.exists(console) ? Files.readString(console) : "";
            Matcher m = pattern.matcher(s);
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited with " + process.exitValue() + " before '" + pattern
                        + "':\n" + s);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + pattern + "' within " + TIMEOUT + ":\n" + Files.readString(console));
    }

    public Path datadir() {
        return datadir;
    }

    /** SIGTERM by PID and wait for an orderly exit; returns the exit status. */
    public int stop() throws Exception {
        signal("-TERM");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("daemon did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    private void kill() throws Exception {
        if (process.isAlive()) {
            signal("-KILL");
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
        k.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}
