package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.node.net.InetAddresses;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.NegotiatedFeatures;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.CloseAfterEach;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two in-process nodes and raw sockets against one node: handshake, negotiation, ping, timeouts, self-connection. */
class HandshakeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    @RegisterExtension
    final CloseAfterEach closing = new CloseAfterEach();

    private ConnectionManager start(P2pConfig config, int height, MessageHandler handler) throws Exception {
        return TestNodes.start(closing, config, () -> height, handler);
    }

    private static PeerAddress listenAddress(ConnectionManager cm) {
        return InetAddresses.fromSocket(cm.listenAddresses().get(0), 0);
    }

    @Test
    void twoNodesHandshakeAndNegotiateFeatures() throws Exception {
        List<Message> seenByA = new CopyOnWriteArrayList<>();
        List<Peer> connectedToA = new CopyOnWriteArrayList<>();
        MessageHandler recorder = new MessageHandler() {
            @Override
            public void onPeerConnected(Peer peer) {
                connectedToA.add(peer);
            }

            @Override
            public void onMessage(Peer peer, Message message) {
                seenByA.add(message);
            }
        };
        long servicesA = P2pConfig.servicesFor(false, true, true);
        ConnectionManager a = start(TestNodes.regtest(dir.resolve("a")).services(servicesA)
                .userAgent("/jbitcoind:a/").pingInterval(Duration.ofMillis(200)).build(), 42, recorder);
        // B runs on NIO so that both transports are exercised when epoll is available.
        ConnectionManager b = start(TestNodes.regtest(dir.resolve("b")).forceNio(true).services(
                P2pConfig.servicesFor(true, false, false)).userAgent("/jbitcoind:b/").feeFilterRate(2500)
                .pingInterval(Duration.ofMillis(200)).build(), 7, MessageHandler.IGNORE);

        Peer bToA = b.connect(listenAddress(a), ConnectionType.MANUAL).get(10, TimeUnit.SECONDS);
        Waits.until(() -> bToA.isEstablished() && a.peers().size() == 1 && a.peers().get(0).isEstablished(), WAIT,
                "handshake");
        Peer aToB = a.peers().get(0);

        assertTrue(aToB.isInbound());
        assertEquals(ConnectionType.MANUAL, bToA.type());
        assertEquals("/jbitcoind:a/", bToA.userAgent());
        assertEquals(42, bToA.startHeight());
        assertEquals(servicesA, bToA.services());
        assertEquals("/jbitcoind:b/", aToB.userAgent());
        assertEquals(7, aToB.startHeight());
        assertEquals(ProtocolVersions.NODE_NETWORK_LIMITED | ProtocolVersions.NODE_WITNESS, aToB.services());
        VersionMessage v = aToB.remoteVersion().orElseThrow();
        assertEquals(ProtocolVersions.PROTOCOL_VERSION, v.version());
        assertTrue(v.relay());

        Waits.until(() -> aToB.features().feeFilter() == 2500 && bToA.features().feeFilter() == 1000, WAIT,
                "feefilter exchanged");
        for (NegotiatedFeatures f : List.of(aToB.features(), bToA.features())) {
            assertTrue(f.sendHeaders(), "sendheaders");
            assertTrue(f.wtxidRelay(), "wtxidrelay");
            assertTrue(f.addrV2(), "sendaddrv2");
            assertTrue(f.compactBlocks(), "sendcmpct version 2");
            assertFalse(f.compactHighBandwidth());
        }

        Waits.until(() -> aToB.lastPing().isPresent() && bToA.lastPing().isPresent(), WAIT, "ping latency");
        assertTrue(aToB.minPing().orElseThrow().compareTo(Duration.ofSeconds(5)) < 0);
        assertTrue(aToB.traffic().receivedPerMessage().get("pong") > 0);
        assertTrue(bToA.traffic().sentPerMessage().get("version") > 0);

        // Messages the P2P layer does not own reach the handler, after onPeerConnected.
        InventoryMessage inv = new InventoryMessage(InventoryMessage.Kind.INV,
                List.of(new InvItem(InvItem.MSG_BLOCK, Hash256.ZERO)));
        bToA.send(inv);
        Waits.until(() -> seenByA.contains(inv), WAIT, "inv delivered to the message handler");
        assertEquals(List.of(aToB), connectedToA);
    }

    @Test
    void connectionToSelfIsDetectedAndDropped() throws Exception {
        ConnectionManager a = start(TestNodes.regtest(dir).build(), 0, MessageHandler.IGNORE);
        Peer out = a.connect(listenAddress(a), ConnectionType.MANUAL).get(10, TimeUnit.SECONDS);
        Waits.until(() -> a.peers().isEmpty(), WAIT, "both ends of the self-connection closed");
        assertFalse(out.isEstablished());
    }

    @Test
    void handshakeThatNeverCompletesTimesOut() throws Exception {
        ConnectionManager a = start(TestNodes.regtest(dir).handshakeTimeout(Duration.ofMillis(300)).build(), 0,
                MessageHandler.IGNORE);
        try (RawPeer silent = RawPeer.connect(a.listenAddresses().get(0))) {
            Waits.until(() -> a.peers().size() == 1, WAIT, "accepted");
            Peer p = a.peers().get(0);
            assertTrue(silent.awaitClosed(WAIT), "closed by handshake timeout");
            assertTrue(p.disconnectReason().orElseThrow().startsWith("handshake not completed"));
        }
    }

    @Test
    void versionWithoutVerackAlsoTimesOut() throws Exception {
        ConnectionManager a = start(TestNodes.regtest(dir).handshakeTimeout(Duration.ofMillis(300)).build(), 0,
                MessageHandler.IGNORE);
        try (RawPeer half = RawPeer.connect(a.listenAddresses().get(0))) {
            half.send(RawPeer.version(99, 0));
            half.expect(m -> m == EmptyMessage.VERACK, WAIT);
            assertTrue(half.awaitClosed(WAIT), "closed by handshake timeout");
        }
    }

    @Test
    void silentPeerIsDisconnectedAfterTheInactivityTimeout() throws Exception {
        ConnectionManager a = start(TestNodes.regtest(dir).inactivityTimeout(Duration.ofMillis(700))
                .pingInterval(Duration.ofMillis(200)).build(), 0, MessageHandler.IGNORE);
        try (RawPeer silent = RawPeer.connect(a.listenAddresses().get(0))) {
            silent.handshake();
            Waits.until(() -> !a.peers().isEmpty() && a.peers().get(0).isEstablished(), WAIT, "established");
            Peer p = a.peers().get(0);
            assertTrue(silent.awaitClosed(WAIT), "silent peer dropped");
            String reason = p.disconnectReason().orElseThrow();
            assertTrue(reason.startsWith("no data received") || reason.startsWith("ping unanswered"), reason);
        }
    }

    @Test
    void peerAnsweringPingsStaysConnectedPastTheInactivityTimeout() throws Exception {
        ConnectionManager a = start(TestNodes.regtest(dir).inactivityTimeout(Duration.ofMillis(1500))
                .pingInterval(Duration.ofMillis(100)).build(), 0, MessageHandler.IGNORE);
        try (RawPeer live = RawPeer.connect(a.listenAddresses().get(0)).answerPings(true)) {
            live.handshake();
            Waits.until(() -> live.pongsSent() >= 30, WAIT, "pings answered for twice the timeout");
            assertFalse(live.isClosed());
            assertEquals(1, a.peers().size());
        }
    }
}
