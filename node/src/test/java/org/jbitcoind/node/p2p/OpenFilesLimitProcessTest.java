package org.jbitcoind.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.testkit.DaemonProcess;
import org.jbitcoind.testkit.RpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon under a low open-files limit (bash's {@code ulimit -n}, soft and hard, so the JVM cannot
 * raise it): with 760 descriptors it lowers -maxconnections from 125 to 57 with one WARN line, starts,
 * serves RPC and holds no more than the 46 inbound connections that leaves; with 600 it refuses to start.
 */
class OpenFilesLimitProcessTest {
    private static final List<String> JVM = List.of("-Xmx128m");
    private static final List<String> SETTINGS = List.of("-listen=1", "-port=0", "-bind=127.0.0.1", "-dbcache=4");

    @TempDir
    Path dir;

    @Test
    void lowLimitLowersMaxConnectionsAndTheNodeStillServes() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (DaemonProcess d = DaemonProcess.launch(DaemonProcess.withOpenFilesLimit(760), dir.resolve("low"),
                Network.REGTEST, JVM, SETTINGS)) {
            d.awaitStarted();
            String console = d.consoleText();
            String warning = "Reducing -maxconnections from 125 to 57, because of system limitations: the open-files"
                    + " limit is 760";
            assertTrue(console.contains("WARN"), console);
            assertEquals(1, console.split(java.util.regex.Pattern.quote(warning), -1).length - 1,
                    "exactly one WARN line:\n" + DaemonProcess.tail(console));
            RpcClient rpc = d.rpc();
            assertEquals(0, rpc.call("getblockcount").asInt());
            // 60 inbound connections against 57 - 11 outbound slots (kept free: regtest without seeds dials nobody)
            // = 46 inbound: the rest are evicted or refused.
            InetSocketAddress p2p = d.p2pAddress();
            for (int i = 0; i < 60; i++) {
                Socket s = new Socket();
                sockets.add(s);
                s.connect(p2p, 5000);
            }
            Waits.until(() -> inbound(rpc) == 46, Duration.ofSeconds(20), "46 inbound connections");
            Thread.sleep(300);
            JsonNode info = rpc.call("getnetworkinfo");
            assertEquals(46, info.get("connections_in").asInt(), info.toString());
            assertEquals(46, rpc.call("getconnectioncount").asInt());
            assertEquals(46, rpc.call("getpeerinfo").size());
            d.stopCleanly();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void limitBelowTheMinimumStopsStartUpWithOneError() throws Exception {
        try (DaemonProcess d = DaemonProcess.launch(DaemonProcess.withOpenFilesLimit(600), dir.resolve("tiny"),
                Network.REGTEST, JVM, SETTINGS)) {
            assertTrue(d.process().waitFor(DaemonProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "daemon exits");
            assertEquals(1, d.process().exitValue());
            String console = d.consoleText();
            assertTrue(console.contains("Error: Not enough file descriptors available: the open-files limit is 600,"
                    + " jbitcoind needs at least 714"), console);
            // Stopped before the chain state opened anything.
            assertTrue(!console.contains("Chain state at height"), console);
        }
    }

    private static int inbound(RpcClient rpc) {
        try {
            return rpc.call("getnetworkinfo").get("connections_in").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
