package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.testing.CloseAfterEach;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Address gossip between a node and raw peers: relay, getaddr, rate limit, block-relay-only, persistence. */
class AddrRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    @RegisterExtension
    final CloseAfterEach closing = new CloseAfterEach();

    private ConnectionManager startNode(P2pConfig config) throws Exception {
        return TestNodes.start(closing, config, () -> 0, MessageHandler.IGNORE);
    }

    private RawPeer inbound(ConnectionManager node) throws Exception {
        RawPeer p = RawPeer.connect(node.listenAddresses().get(0)).answerPings(true);
        closing.add(p);
        p.handshake();
        return p;
    }

    private static PeerAddress fresh(int a, int b, int c, int d) {
        return new PeerAddress(Instant.now().getEpochSecond(), 9, NetAddress.ipv4(a, b, c, d), 8333);
    }

    private static List<PeerAddress> addressesIn(List<Message> messages) {
        List<PeerAddress> out = new ArrayList<>();
        for (Message m : messages) {
            if (m instanceof AddrMessage a) {
                out.addAll(a.addresses());
            } else if (m instanceof AddrV2Message a) {
                out.addAll(a.addresses());
            }
        }
        return out;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    private static boolean isAddr(Message m) {
        return m instanceof AddrMessage || m instanceof AddrV2Message;
    }

    private static boolean sameEndpoint(PeerAddress x, PeerAddress y) {
        return x.address().equals(y.address()) && x.port() == y.port();
    }

    /** The node dials a socket we hold; returns it after the handshake (we are the accepting side). */
    private RawPeer outboundFromNode(ConnectionManager node, ConnectionType type) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            node.connect(new PeerAddress(0, 0, NetAddress.ipv4(127, 0, 0, 1), server.getLocalPort()), type)
                    .get(10, TimeUnit.SECONDS);
            RawPeer p = RawPeer.wrap(server.accept()).answerPings(true);
            closing.add(p);
            return p;
        }
    }

    @Test
    void smallAddrIsRelayedToTwoPeersStoredAndServedByGetaddrOncePerConnection() throws Exception {
        ConnectionManager node = startNode(TestNodes.regtest(dir).build());
        List<RawPeer> listeners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawPeer l = inbound(node);
            l.send(EmptyMessage.GETADDR); // enables address relay to this inbound peer (as in Core)
            assertTrue(addressesIn(l.drainUntilSynced(AddrRelayTest::isAddr)).isEmpty(), "nothing known yet");
            listeners.add(l);
        }
        RawPeer source = inbound(node);
        PeerAddress x = fresh(9, 9, 9, 9);
        source.send(new AddrMessage(List.of(x)));
        source.sync();

        // Relay is written from the source's I/O thread to other connections, so it is not ordered
        // with those connections' own traffic: wait for it rather than syncing.
        boolean[] received = new boolean[listeners.size()];
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count(received) < 2 && System.nanoTime() < deadline) {
            for (int i = 0; i < listeners.size(); i++) {
                if (!received[i]) {
                    received[i] = listeners.get(i).poll(m -> isAddr(m) && addressesIn(List.of(m)).stream()
                            .anyMatch(a -> sameEndpoint(a, x)), Duration.ofMillis(20)).isPresent();
                }
            }
        }
        assertEquals(2, count(received), "relayed to two peers");
        for (int i = 0; i < listeners.size(); i++) {
            if (!received[i]) {
                assertTrue(listeners.get(i).poll(AddrRelayTest::isAddr, Duration.ofMillis(300)).isEmpty(),
                        "not to a third");
            }
        }
        assertTrue(addressesIn(source.drainUntilSynced(AddrRelayTest::isAddr)).isEmpty(), "not echoed to the source");
        assertTrue(node.addrMan().contains(x));

        // An outbound peer we asked (getaddr) may send many: they are stored, not relayed.
        RawPeer outbound = outboundFromNode(node, ConnectionType.MANUAL);
        outbound.acceptHandshake();
        outbound.expect(m -> m == EmptyMessage.GETADDR, WAIT);
        // The bucketing key is random per node, so pick 20 addresses whose new-table slots differ
        // from each other and from x's: a slot collision would (rightly) keep only one of them.
        NetAddress loopback = NetAddress.ipv4(127, 0, 0, 1);
        java.util.Set<Integer> slots = new java.util.HashSet<>(List.of(node.addrMan().newSlot(x, loopback)));
        List<PeerAddress> batch = new ArrayList<>();
        for (int i = 1; batch.size() < 20 && i < 200; i++) {
            PeerAddress candidate = fresh(20 + i, i, 1, 1);
            if (slots.add(node.addrMan().newSlot(candidate, loopback))) {
                batch.add(candidate);
            }
        }
        assertEquals(20, batch.size());
        outbound.send(new AddrMessage(batch));
        outbound.sync();
        assertEquals(21, node.addrMan().size());
        for (RawPeer l : listeners) {
            assertTrue(l.poll(AddrRelayTest::isAddr, Duration.ofMillis(100)).isEmpty(), "large batch not relayed");
        }

        RawPeer asker = inbound(node);
        asker.send(EmptyMessage.GETADDR);
        List<PeerAddress> answer = addressesIn(asker.drainUntilSynced(AddrRelayTest::isAddr));
        assertEquals(21 * 23 / 100, answer.size(), "at most 23% of known addresses");
        for (PeerAddress a : answer) {
            assertTrue(node.addrMan().contains(a));
        }
        asker.send(EmptyMessage.GETADDR);
        assertTrue(addressesIn(asker.drainUntilSynced(AddrRelayTest::isAddr)).isEmpty(), "answered once");

        // The address manager survives a restart.
        node.close();
        ConnectionManager again = startNode(TestNodes.regtest(dir).build());
        assertEquals(21, again.addrMan().size());
        assertTrue(again.addrMan().contains(x));
    }

    @Test
    void unsolicitedAddressesAreRateLimited() throws Exception {
        ConnectionManager node = startNode(TestNodes.regtest(dir).build());
        RawPeer spammer = inbound(node);
        List<PeerAddress> five = List.of(fresh(31, 1, 1, 1), fresh(32, 1, 1, 1), fresh(33, 1, 1, 1),
                fresh(34, 1, 1, 1), fresh(35, 1, 1, 1));
        spammer.send(new AddrMessage(five));
        spammer.sync();
        assertEquals(1, node.addrMan().size(), "one token at connection, 0.1 per second after (Core)");
    }

    @Test
    void blockRelayOnlyConnectionCarriesNoAddressesOrTransactions() throws Exception {
        ConnectionManager node = startNode(TestNodes.regtest(dir).build());
        RawPeer peer = outboundFromNode(node, ConnectionType.BLOCK_RELAY);
        VersionMessage theirs = peer.acceptHandshake();
        assertFalse(theirs.relay(), "version relay flag is false");
        peer.send(new AddrMessage(List.of(fresh(40, 1, 1, 1))));
        List<Message> seen = peer.drainUntilSynced(m -> m == EmptyMessage.GETADDR || isAddr(m)
                || m.command().equals("feefilter"));
        assertTrue(seen.isEmpty(), "no getaddr, addr or feefilter: " + seen);
        assertEquals(0, node.addrMan().size());
    }

    @Test
    void feelerConnectionHandshakesThenCloses() throws Exception {
        ConnectionManager node = startNode(TestNodes.regtest(dir).build());
        RawPeer peer = outboundFromNode(node, ConnectionType.FEELER);
        VersionMessage theirs = peer.acceptHandshake();
        assertFalse(theirs.relay());
        assertTrue(peer.awaitClosed(WAIT), "feeler closes after the handshake");
        List<Message> seen = new ArrayList<>();
        peer.poll(m -> {
            seen.add(m);
            return false;
        }, Duration.ofMillis(200));
        assertTrue(seen.stream().noneMatch(m -> m == EmptyMessage.GETADDR || isAddr(m)), seen.toString());
        Waits.until(() -> node.peers().isEmpty(), WAIT, "feeler removed");
    }

    @Test
    void listeningNodeAdvertisesItsExternalAddressToOutboundPeers() throws Exception {
        PeerAddress external = new PeerAddress(0, 0, NetAddress.ipv4(5, 6, 7, 8), 0);
        ConnectionManager node = startNode(TestNodes.regtest(dir).externalAddresses(List.of(external)).build());
        RawPeer peer = outboundFromNode(node, ConnectionType.MANUAL);
        peer.acceptHandshake();
        PeerAddress advertised = addressesIn(List.of(peer.expect(AddrRelayTest::isAddr, WAIT))).get(0);
        assertEquals(NetAddress.ipv4(5, 6, 7, 8), advertised.address());
        assertEquals(node.listenAddresses().get(0).getPort(), advertised.port());
        assertEquals(node.config().services(), advertised.services());
    }
}
