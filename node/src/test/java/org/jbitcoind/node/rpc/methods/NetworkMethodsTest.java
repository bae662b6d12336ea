package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jbitcoind.node.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network methods on two regtest nodes in this JVM, B dialling A on 127.0.0.1: what getpeerinfo,
 * getnetworkinfo and getnettotals report matches the real connection; addnode, disconnectnode,
 * ping, setban/listbanned/clearbanned and getnodeaddresses act on the P2P layer.
 */
class NetworkMethodsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void twoNodesSeeEachOtherThroughTheRpc() throws Exception {
        try (RpcTestNode a = RpcTestNode.start(Files.createDirectories(dir.resolve("a")), "-listen=1", "-port=0",
                "-bind=127.0.0.1", "-minrelaytxfee=0.00002");
                RpcTestNode b = RpcTestNode.start(Files.createDirectories(dir.resolve("b")), "-listen=0")) {
            int portA = ((InetSocketAddress) a.p2p.listenAddresses().get(0)).getPort();
            String target = "127.0.0.1:" + portA;
            assertEquals(0, b.call("getconnectioncount").asInt());
            assertTrue(b.call("addnode", target, "onetry").isNull());
            Waits.until(() -> count(a) == 1 && count(b) == 1 && established(b), WAIT, "B connected to A");

            JsonNode fromB = b.call("getpeerinfo").get(0);
            assertEquals(target, fromB.get("addr").asText());
            assertEquals("manual", fromB.get("connection_type").asText());
            assertFalse(fromB.get("inbound").asBoolean());
            assertEquals("ipv4", fromB.get("network").asText());
            assertEquals(70016, fromB.get("version").asInt());
            assertTrue(fromB.get("subver").asText().startsWith("/jbitcoind"), fromB.get("subver").asText());
            assertTrue(fromB.get("bytesrecv_per_msg").has("version"), fromB.toString());
            // A sends feefilter (BIP133) with its -minrelaytxfee after the handshake; B shows it in BTC/kvB.
            Waits.until(() -> minFeeFilter(b).signum() > 0, WAIT,
                    "A's feefilter received");
            assertEquals(0, new java.math.BigDecimal("0.00002").compareTo(minFeeFilter(b)));
            JsonNode fromA = a.call("getpeerinfo").get(0);
            assertTrue(fromA.get("inbound").asBoolean());
            assertEquals("inbound", fromA.get("connection_type").asText());

            JsonNode info = b.call("getnetworkinfo");
            assertEquals(1, info.get("connections").asInt());
            assertEquals(1, info.get("connections_out").asInt());
            assertEquals(0, info.get("connections_in").asInt());
            assertEquals(70016, info.get("protocolversion").asInt());
            assertEquals(5, info.get("networks").size());
            JsonNode totals = b.call("getnettotals");
            assertTrue(totals.get("totalbytesrecv").asLong() > 0 && totals.get("totalbytessent").asLong() > 0);

            assertTrue(b.call("ping").isNull());
            Waits.until(() -> has(b, "pingtime"), WAIT, "a ping answered");

            // addnode add/remove and getaddednodeinfo
            assertTrue(b.call("addnode", "192.0.2.7:18444", "add").isNull());
            assertEquals(-23, b.error("addnode", "192.0.2.7:18444", "add").get("code").asInt());
            JsonNode added = b.call("getaddednodeinfo", "192.0.2.7:18444");
            assertEquals("192.0.2.7:18444", added.get(0).get("addednode").asText());
            assertTrue(b.call("addnode", "192.0.2.7:18444", "remove").isNull());
            assertEquals(-24, b.error("addnode", "192.0.2.7:18444", "remove").get("code").asInt());
            assertEquals(-24, b.error("getaddednodeinfo", "192.0.2.7:18444").get("code").asInt());

            // bans
            assertTrue(a.call("setban", "192.0.2.1", "add", 3600).isNull());
            assertEquals(-23, a.error("setban", "192.0.2.1/32", "add").get("code").asInt());
            JsonNode banned = a.call("listbanned");
            assertEquals(1, banned.size());
            assertEquals("192.0.2.1/32", banned.get(0).get("address").asText());
            assertEquals(3600, banned.get(0).get("ban_duration").asLong());
            assertTrue(a.call("setban", "192.0.2.1", "remove").isNull());
            assertEquals(-30, a.error("setban", "192.0.2.1", "remove").get("code").asInt());
            assertEquals(-30, a.error("setban", "192.0.2.0/24", "add").get("code").asInt());
            a.call("setban", "192.0.2.2", "add");
            assertTrue(a.call("clearbanned").isNull());
            assertEquals(0, a.call("listbanned").size());

            assertTrue(b.call("getnodeaddresses", 0).isArray());
            assertEquals(-8, b.error("getnodeaddresses", 1, "tor").get("code").asInt());

            long id = b.call("getpeerinfo").get(0).get("id").asLong();
            assertEquals(-32602, b.error("disconnectnode", target, id).get("code").asInt());
            assertTrue(b.call("disconnectnode", "", id).isNull());
            Waits.until(() -> count(b) == 0, WAIT, "B disconnected");
            assertEquals(-29, b.error("disconnectnode", "", id).get("code").asInt());

            // setnetworkactive false drops the connection and refuses a new one; true allows it again.
            b.call("addnode", target, "onetry");
            Waits.until(() -> count(a) == 1 && count(b) == 1, WAIT, "B reconnected");
            assertFalse(a.call("setnetworkactive", false).asBoolean());
            assertFalse(a.call("getnetworkinfo").get("networkactive").asBoolean());
            Waits.until(() -> count(a) == 0 && count(b) == 0, WAIT, "A dropped its peers");
            b.call("addnode", target, "onetry");
            Thread.sleep(300);
            assertEquals(0, count(a), "A refuses inbound while inactive");
            assertTrue(a.call("setnetworkactive", true).asBoolean());
            b.call("addnode", target, "onetry");
            Waits.until(() -> count(a) == 1, WAIT, "A accepts again");
        }
    }

    private static int count(RpcTestNode n) {
        try {
            return n.call("getconnectioncount").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean established(RpcTestNode n) {
        try {
            JsonNode peers = n.call("getpeerinfo");
            return peers.size() == 1 && peers.get(0).get("version").asInt() > 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean has(RpcTestNode n, String field) {
        try {
            JsonNode peers = n.call("getpeerinfo");
            return peers.size() == 1 && peers.get(0).has(field);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.math.BigDecimal minFeeFilter(RpcTestNode n) {
        try {
            return n.call("getpeerinfo").get(0).get("minfeefilter").decimalValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
