package org.jbitcoind.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.node.rpc.ControlMethods;
import org.jbitcoind.node.rpc.EchoMethods;
import org.jbitcoind.node.rpc.LogCategories;
import org.jbitcoind.node.rpc.RpcArg;
import org.jbitcoind.node.rpc.RpcArgType;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.node.rpc.RpcServer;
import org.jbitcoind.node.rpc.RpcServerConfig;
import org.jbitcoind.node.rpc.Subnet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client run in-process against an in-process regtest server using cookie auth in a temporary datadir. */
class JbitcoinCliTest {
    @TempDir
    Path datadir;
    private final List<RpcServer> servers = new ArrayList<>();
    private RpcServer server;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = startServer(cookieConfig(0), registry());
    }

    @AfterEach
    void stopAll() {
        servers.forEach(RpcServer::close);
    }

    private RpcServer startServer(RpcServerConfig config, RpcRegistry registry) throws Exception {
        RpcServer started = RpcServer.start(config, registry);
        servers.add(started);
        return started;
    }

    private RpcServerConfig cookieConfig(int port) throws Exception {
        Files.createDirectories(datadir.resolve("regtest"));
        return new RpcServerConfig(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)),
                Subnet.withLocalhost(List.of()), null, null, datadir.resolve("regtest").resolve(".cookie"), List.of(),
                2, 8, Duration.ofSeconds(30), Duration.ofMillis(250));
    }

    private static RpcRegistry registry() {
        RpcRegistry registry = new RpcRegistry();
        EchoMethods.register(registry);
        registry.register(new RpcMethod("getbestblockhash", "blockchain", List.of(), "A string result.", null,
                call -> RpcCall.json().textNode("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")));
        registry.register(new RpcMethod("getblockcount", "blockchain", List.of(), "A number.", null,
                call -> RpcCall.json().numberNode(0)));
        registry.register(new RpcMethod("getnothing", "blockchain", List.of(), "Null.", null, call -> null));
        registry.register(new RpcMethod("getobject", "blockchain", List.of(), "An object.", null, call -> {
            ObjectNode o = RpcCall.json().objectNode();
            o.put("a", 1);
            o.putArray("b").add(1).add("x\"y");
            o.putObject("c");
            o.putArray("d");
            o.put("e", new java.math.BigDecimal("0.00010000"));
            return o;
        }));
        registry.register(new RpcMethod("getblock", "blockchain",
                List.of(RpcArg.required("blockhash", RpcArgType.STR_HEX, "hash")), "Always not found.", null,
                call -> {
                    throw new RpcException(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found");
                }));
        ControlMethods.register(registry, () -> { }, new LogCategories(LogCategories.NODE_CATEGORIES,
                Path.of("debug.log"), (c, on) -> { }), Clock.systemUTC());
        return registry;
    }

    private Run cli(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new JbitcoinCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Duration.ofMillis(100)).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run regtest(String... args) {
        List<String> all = new ArrayList<>(List.of("-datadir=" + datadir, "-regtest", "-rpcport=" + server.port()));
        all.addAll(List.of(args));
        return cli("", all.toArray(new String[0]));
    }

    @Test
    void stringResultIsPrintedBare() {
        Run run = regtest("getbestblockhash");
        assertEquals(0, run.status());
        assertEquals("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206\n", run.out());
        assertEquals("", run.err());
    }

    @Test
    void numberAndNullResults() {
        assertEquals("0\n", regtest("getblockcount").out());
        Run none = regtest("getnothing");
        assertEquals(0, none.status());
        assertEquals("", none.out());
    }

    @Test
    void objectIsPrettyPrintedLikeBitcoinCli() {
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    1,\n    \"x\\\"y\"\n  ],\n  \"c\": {\n  },\n  \"d\": [\n  ],\n"
                + "  \"e\": 0.00010000\n}\n", regtest("getobject").out());
    }

    @Test
    void argumentsAreStringsUnlessTheTableSaysJson() {
        assertEquals("[\n  \"1\",\n  \"true\"\n]\n", regtest("echo", "1", "true").out());
        assertEquals("[\n  1,\n  {\n    \"a\": true\n  },\n  -5\n]\n",
                regtest("echojson", "1", "{\"a\":true}", "-5").out());
    }

    @Test
    void badJsonArgumentIsAClientError() {
        Run run = regtest("echojson", "notjson");
        assertEquals(1, run.status());
        assertEquals("error: Error parsing JSON: notjson\n", run.err());
    }

    @Test
    void namedArguments() {
        assertEquals("[\n  null,\n  5\n]\n", regtest("-named", "echojson", "arg1=5").out());
        assertEquals("[\n  \"x\",\n  \"y\",\n  \"z\"\n]\n", regtest("-named", "echo", "x", "y", "arg2=z").out());
        Run unknown = regtest("-named", "echo", "bogus=1");
        assertEquals(8, unknown.status());
        assertEquals("error code: -8\nerror message:\nUnknown named parameter bogus\n", unknown.err());
    }

    @Test
    void stdinSuppliesExtraArguments() {
        Run run = cli("a b\n{\"k\":1}\n", "-datadir=" + datadir, "-regtest", "-rpcport=" + server.port(), "-stdin",
                "echo", "first");
        assertEquals(0, run.status(), run.err());
        assertEquals("[\n  \"first\",\n  \"a b\",\n  \"{\\\"k\\\":1}\"\n]\n", run.out());
    }

    @Test
    void stdinRpcPassReadsThePassword() throws Exception {
        RpcServerConfig base = cookieConfig(0);
        RpcServer withPassword = startServer(new RpcServerConfig(base.bindAddresses(), base.allowedSubnets(), "alice",
                "s3cret", null, List.of(), 1, 4, base.serverTimeout(), base.authFailureDelay()), registry());
        Run run = cli("s3cret\nextra\n", "-datadir=" + datadir, "-regtest", "-rpcport=" + withPassword.port(),
                "-rpcuser=alice", "-stdinrpcpass", "-stdin", "echo");
        assertEquals(0, run.status(), run.err());
        assertEquals("[\n  \"extra\"\n]\n", run.out());
        Run wrong = cli("nope\n", "-datadir=" + datadir, "-regtest", "-rpcport=" + withPassword.port(),
                "-rpcuser=alice", "-stdinrpcpass", "getblockcount");
        assertEquals(1, wrong.status());
        assertEquals("error: Authorization failed: Incorrect rpcuser or rpcpassword\n", wrong.err());
    }

    @Test
    void rpcErrorGoesToStderrWithCodeAsExitStatus() {
        Run run = regtest("getblock", "00");
        assertEquals(5, run.status());
        assertEquals("", run.out());
        assertEquals("error code: -5\nerror message:\nBlock not found\n", run.err());
        Run missing = regtest("nosuchmethod");
        assertEquals(32601, missing.status());
        assertEquals("error code: -32601\nerror message:\nMethod not found\n", missing.err());
    }

    @Test
    void helpThroughTheServer() {
        Run run = regtest("help");
        assertEquals(0, run.status());
        assertTrue(run.out().startsWith("== Blockchain ==\n"), run.out());
        assertTrue(run.out().contains("== Control ==\ngetrpcinfo\nhelp ( \"command\" )\n"), run.out());
        assertEquals("jbitcoind stopping\n", regtest("stop").out());
    }

    @Test
    void missingCookieMeansNoCredentials() throws Exception {
        Path other = Files.createDirectories(datadir.resolve("other"));
        Run run = cli("", "-datadir=" + other, "-regtest", "-rpcport=" + server.port(), "getblockcount");
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("error: Could not locate RPC credentials. No authentication cookie could be"
                + " found, and RPC password is not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: ("),
                run.err());
    }

    @Test
    void unreachableServer() throws Exception {
        int port = freePort();
        Run run = cli("", "-datadir=" + datadir, "-regtest", "-rpcport=" + port, "getblockcount");
        assertEquals(1, run.status());
        assertEquals("error: timeout on transient error: Could not connect to the server 127.0.0.1:" + port
                + "\n\nMake sure the jbitcoind server is running and that you are connecting to the correct RPC port."
                + "\nUse \"jbitcoin-cli -help\" for more info.\n", run.err());
    }

    @Test
    void rpcWaitWaitsForALateServer() throws Exception {
        int port = freePort();
        CompletableFuture<RpcServer> late = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(700);
                return RpcServer.start(cookieConfig(port), registry());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Run run = cli("", "-datadir=" + datadir, "-regtest", "-rpcport=" + port, "-rpcwait",
                    "-rpcwaittimeout=20", "getblockcount");
            assertEquals(0, run.status(), run.err());
            assertEquals("0\n", run.out());
        } finally {
            late.get(20, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void rpcWaitRetriesThroughWarmup() throws Exception {
        server.registry().setWarmupStatus("Loading block index…");
        Run warming = regtest("getblockcount");
        assertEquals(28, warming.status());
        assertEquals("error code: -28\nerror message:\nLoading block index…\n", warming.err());
        CompletableFuture<Void> finish = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.registry().setWarmupFinished();
        });
        Run run = regtest("-rpcwait", "-rpcwaittimeout=20", "getblockcount");
        finish.join();
        assertEquals(0, run.status(), run.err());
        assertEquals("0\n", run.out());
    }

    @Test
    void rpcWaitGivesUpAtTheTimeout() throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        Run run = cli("", "-datadir=" + datadir, "-regtest", "-rpcport=" + port, "-rpcwait", "-rpcwaittimeout=1",
                "getblockcount");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("error: timeout on transient error: Could not connect"), run.err());
        assertTrue(elapsedMs >= 1000, "gave up after " + elapsedMs + " ms");
    }

    @Test
    void propertiesFileSuppliesNetworkPortAndCredentials() throws Exception {
        RpcServerConfig base = cookieConfig(0);
        RpcServer withPassword = startServer(new RpcServerConfig(base.bindAddresses(), base.allowedSubnets(), "bob",
                "pw", null, List.of(), 1, 4, base.serverTimeout(), base.authFailureDelay()), registry());
        Files.writeString(datadir.resolve(CliSettings.CONF_FILE), "# test\nchain=regtest\nrpcuser=bob\n"
                + "rpcpassword=pw\nregtest.rpcport=" + withPassword.port() + "\nrpcport=1\n");
        Run run = cli("", "-datadir=" + datadir, "getblockcount");
        assertEquals(0, run.status(), run.err());
        assertEquals("0\n", run.out());
        // The command line wins over the file.
        Run override = cli("", "-datadir=" + datadir, "-rpcport=" + server.port(), "-rpcpassword=",
                "getbestblockhash");
        assertEquals(0, override.status(), override.err());
    }

    @Test
    void rpcconnectMayCarryThePort() {
        Run run = cli("", "-datadir=" + datadir, "-regtest", "-rpcconnect=127.0.0.1:" + server.port(),
                "getblockcount");
        assertEquals(0, run.status(), run.err());
        assertEquals("0\n", run.out());
    }

    @Test
    void usageAndOptionErrors() throws Exception {
        Run help = cli("", "-help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("Usage:  jbitcoin-cli [options] <command> [params]"));
        Run none = cli("");
        assertEquals(1, none.status());
        assertEquals("Error: too few parameters\n", none.err());
        Run bad = cli("", "-bogus", "getblockcount");
        assertEquals(1, bad.status());
        assertEquals("Error parsing command line arguments: Invalid parameter -bogus\n", bad.err());
        Run noDir = cli("", "-datadir=" + datadir.resolve("missing"), "getblockcount");
        assertEquals(1, noDir.status());
        assertEquals("Error: Specified data directory \"" + datadir.resolve("missing") + "\" does not exist.\n",
                noDir.err());
        Run twoChains = cli("", "-datadir=" + datadir, "-regtest", "-testnet", "getblockcount");
        assertEquals(1, twoChains.status());
        assertTrue(twoChains.err().startsWith("Error: Invalid combination of -regtest"));
        Run noConf = cli("", "-datadir=" + datadir, "-conf=nope.properties", "getblockcount");
        assertEquals(1, noConf.status());
        assertTrue(noConf.err().startsWith("Error reading configuration file: specified config file"));
        Run noCommand = cli("", "-datadir=" + datadir, "-regtest");
        assertEquals(1, noCommand.status());
        assertEquals("error: too few parameters (need at least command)\n", noCommand.err());
        Run badPort = cli("", "-datadir=" + datadir, "-regtest", "-rpcport=70000", "getblockcount");
        assertEquals(1, badPort.status());
        assertEquals("error: Invalid port provided in -rpcport: 70000\n", badPort.err());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
