package org.jbitcoind.node.rpc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.Json;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a real process on regtest with its RPC server: cookie authentication (none and wrong
 * credentials get 401, a client address outside -rpcallowip gets 403), the root ./jbitcoin-cli
 * script and the client class run as processes against it, `stop` ending the process, and a busy
 * RPC port ending start-up with one "Error:" line and status 1. Each process is stopped by its pid.
 */
class RpcDaemonProcessTest {
    private static final long TIMEOUT_MS = 60_000;
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADDRESS = Addresses.fromScript(StandardScripts.witnessProgram(0,
            Hashes.hash160(Signer.publicKey(Hex.decode("02".repeat(32))))), Network.REGTEST).orElseThrow();

    @TempDir
    Path dir;
    @TempDir
    Path console;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEveryProcessThisTestStarted() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void cookieAuthCliAndStopAgainstTheRealDaemon() throws Exception {
        int port = freePort();
        Process daemon = launchDaemon("-rpcport=" + port);
        awaitFile(daemon, console.resolve("daemon0.out"), "started on regtest");
        Path cookie = dir.resolve("regtest").resolve(".cookie");
        String credentials = Files.readString(cookie).trim();
        assertTrue(credentials.startsWith("__cookie__:"), credentials);

        String body = "{\"method\":\"getblockcount\",\"id\":1}";
        assertEquals(401, post(port, body, null).statusCode(), "no credentials");
        HttpResponse<String> wrong = post(port, body, "__cookie__:" + "0".repeat(64));
        assertEquals(401, wrong.statusCode(), "wrong cookie");
        assertEquals("Basic realm=\"jsonrpc\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> ok = post(port, body, credentials);
        assertEquals(200, ok.statusCode());
        assertEquals(0, Json.parse(ok.body()).get("result").asInt());

        // The client class as a process: mines three blocks, then reads the count back.
        Cli generate = runCli(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.cli.JbitcoinCli"), "-regtest", "-datadir=" + dir, "-rpcport=" + port,
                "generatetoaddress", "3", ADDRESS);
        assertEquals(0, generate.status, generate.err);
        JsonNode hashes = Json.parse(generate.out);
        assertEquals(3, hashes.size());

        // The root script, with a jar whose manifest points at the test classpath (the real jar is
        // only packaged after the test phase).
        Path repoCopy = Files.createDirectories(dir.resolve("repo"));
        Files.copy(REPO.resolve("jbitcoin-cli"), repoCopy.resolve("jbitcoin-cli"), StandardCopyOption.COPY_ATTRIBUTES);
        writeClassPathJar(Files.createDirectories(repoCopy.resolve("node/target")).resolve("jbitcoind.jar"));
        Cli count = runCli(List.of(repoCopy.resolve("jbitcoin-cli").toString()), "-regtest", "-datadir=" + dir,
                "-rpcport=" + port, "getblockcount");
        assertEquals(0, count.status, count.err);
        assertEquals("3", count.out.trim());
        Cli best = runCli(List.of(repoCopy.resolve("jbitcoin-cli").toString()), "-regtest", "-datadir=" + dir,
                "-rpcport=" + port, "getblock", hashes.get(2).asText(), "1");
        assertEquals(3, Json.parse(best.out).get("height").asInt(), best.err);
        Cli error = runCli(List.of(repoCopy.resolve("jbitcoin-cli").toString()), "-regtest", "-datadir=" + dir,
                "-rpcport=" + port, "getblockhash", "99");
        assertEquals(8, error.status);
        assertTrue(error.err.contains("Block height out of range"), error.err);

        Cli stop = runCli(List.of(repoCopy.resolve("jbitcoin-cli").toString()), "-regtest", "-datadir=" + dir,
                "-rpcport=" + port, "stop");
        assertEquals("jbitcoind stopping", stop.out.trim(), stop.err);
        assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "stop ends the daemon");
        assertEquals(0, daemon.exitValue());
        assertFalse(Files.exists(cookie), "cookie deleted at shutdown");
    }

    @Test
    void clientOutsideRpcallowipIsRefused() throws Exception {
        Optional<InetAddress> own = nonLoopbackAddress();
        // Needs an address of this machine other than loopback; the connection still goes to 127.0.0.1.
        Assumptions.assumeTrue(own.isPresent(), "no non-loopback IPv4 address on this machine");
        int port = freePort();
        Process daemon = launchDaemon("-rpcport=" + port, "-rpcbind=127.0.0.1", "-rpcallowip=10.255.255.0/24");
        awaitFile(daemon, console.resolve("daemon0.out"), "started on regtest");
        String credentials = Files.readString(dir.resolve("regtest").resolve(".cookie")).trim();
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(own.get(), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            String body = "{\"method\":\"getblockcount\",\"id\":1}";
            String request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))
                    + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 403", status);
        }
        // The same request from loopback is served.
        assertEquals(200, post(port, "{\"method\":\"getblockcount\",\"id\":1}", credentials).statusCode());
        stopByPid(daemon);
    }

    @Test
    void aBusyRpcPortEndsStartUpWithOneErrorLine() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("127.0.0.1", 0));
            Process daemon = launchDaemon("-rpcport=" + busy.getLocalPort(), "-rpcbind=127.0.0.1",
                    "-rpcallowip=127.0.0.1");
            assertTrue(daemon.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertEquals(1, daemon.exitValue());
            List<String> err = Files.readAllLines(console.resolve("daemon0.err"));
            assertEquals(1, err.size(), err.toString());
            assertTrue(err.get(0).startsWith("Error: Unable to bind any endpoint for RPC server"), err.get(0));
            assertFalse(Files.exists(dir.resolve("regtest").resolve(".cookie")), "no cookie left behind");
        }
    }

    private Process launchDaemon(String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + dir.resolve("home"), "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-regtest", "-datadir=" + dir, "-printtoconsole", "-dnsseed=0",
                "-fixedseeds=0", "-listen=0"));
        command.addAll(List.of(extra));
        int n = processes.size();
        Process p = new ProcessBuilder(command)
                .redirectOutput(console.resolve("daemon" + n + ".out").toFile())
                .redirectError(console.resolve("daemon" + n + ".err").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private record Cli(int status, String out, String err) {
    }

    private Cli runCli(List<String> launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        int n = processes.size();
        Path out = console.resolve("cli" + n + ".out");
        Path err = console.resolve("cli" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JBITCOIND_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Duser.home=" + dir.resolve("home"));
        Process p = pb.start();
        processes.add(p);
        assertTrue(p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS), "client finished");
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void stopByPid(Process daemon) throws Exception {
        ProcessHandle handle = ProcessHandle.of(daemon.pid()).orElseThrow();
        handle.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(15, TimeUnit.SECONDS));
        assertEquals(0, daemon.exitValue());
    }

    /** An empty jar whose manifest Class-Path lists the test classpath, standing in for the shaded jar. */
    private static void writeClassPathJar(Path jar) throws IOException {
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            classPath.append(Path.of(entry).toUri().toString()).append(' ');
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static HttpResponse<String> post(int port, String body, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitFile(Process p, Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("daemon exited with " + p.exitValue() + " before '" + text + "'");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in " + file);
    }
}
