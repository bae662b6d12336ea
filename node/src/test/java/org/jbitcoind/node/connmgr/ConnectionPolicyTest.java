package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jbitcoind.node.addrmgr.NetGroups;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.CloseAfterEach;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** -connect, -addnode, -seednode, -onlynet, -listen=0 and automatic outbound selection. */
class ConnectionPolicyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    @RegisterExtension
    final CloseAfterEach closing = new CloseAfterEach();

    private ConnectionManager start(P2pConfig config) throws Exception {
        return TestNodes.start(closing, config, () -> 0, MessageHandler.IGNORE);
    }

    private static String hostPort(ConnectionManager cm) {
        return "127.0.0.1:" + cm.listenAddresses().get(0).getPort();
    }

    @Test
    void connectMakesOnlyThoseConnections() throws Exception {
        ConnectionManager b = start(TestNodes.regtest(dir.resolve("b")).build());
        ConnectionManager a = start(TestNodes.regtest(dir.resolve("a")).connect(List.of(hostPort(b)))
                .maxOutboundFullRelay(8).maxBlockRelayOnly(2).listen(false).build());
        a.addrMan().add(List.of(new PeerAddress(Instant.now().getEpochSecond(), 9, NetAddress.ipv4(1, 2, 3, 4), 8333)),
                NetAddress.ipv4(5, 5, 5, 5), Instant.now().getEpochSecond());
        Waits.until(() -> a.peers().size() == 1 && a.peers().get(0).isEstablished(), WAIT, "-connect peer");
        Thread.sleep(300); // several loop ticks: no automatic connection to the known address
        assertEquals(1, a.peers().size());
        assertEquals(ConnectionType.MANUAL, a.peers().get(0).type());
        assertTrue(a.listenAddresses().isEmpty(), "-listen=0 binds nothing");
    }

    @Test
    void addnodeIsKeptBesideAutomaticConnections() throws Exception {
        ConnectionManager b = start(TestNodes.regtest(dir.resolve("b")).build());
        ConnectionManager a = start(TestNodes.regtest(dir.resolve("a")).addNode(List.of(hostPort(b))).build());
        Waits.until(() -> a.peers(ConnectionType.MANUAL).size() == 1
                && a.peers(ConnectionType.MANUAL).get(0).isEstablished(), WAIT, "-addnode peer");
    }

    @Test
    void addnodeAtRunTimeConnectsAndCanBeRemoved() throws Exception {
        ConnectionManager b = start(TestNodes.regtest(dir.resolve("b")).build());
        ConnectionManager a = start(TestNodes.regtest(dir.resolve("a")).build());
        assertTrue(a.addNode(hostPort(b)));
        assertTrue(!a.addNode(hostPort(b)), "already listed");
        Waits.until(() -> a.peers(ConnectionType.MANUAL).size() == 1
                && a.peers(ConnectionType.MANUAL).get(0).isEstablished(), WAIT, "added node connected");
        assertEquals(List.of(hostPort(b)), a.addedNodes());
        assertTrue(a.removeNode(hostPort(b)));
        assertTrue(a.addedNodes().isEmpty());
    }

    @Test
    void seednodeIsAskedForAddressesThenDropped() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            ConnectionManager a = start(TestNodes.regtest(dir).seedNode(List.of("127.0.0.1:" + server.getLocalPort()))
                    .build());
            try (RawPeer seed = RawPeer.wrap(server.accept())) {
                seed.acceptHandshake();
                seed.expect(m -> m == EmptyMessage.GETADDR, WAIT);
                long now = Instant.now().getEpochSecond();
                seed.send(new AddrMessage(List.of(new PeerAddress(now, 9, NetAddress.ipv4(1, 2, 3, 4), 8333),
                        new PeerAddress(now, 9, NetAddress.ipv4(5, 6, 7, 8), 8333))));
                assertTrue(seed.awaitClosed(WAIT), "addr-fetch connection closed after the answer");
                assertEquals(2, a.addrMan().size());
            }
        }
    }

    @Test
    void automaticOutboundPicksDialableDistinctGroupsRespectingOnlynetAndBans() throws Exception {
        ConnectionManager a = start(TestNodes.regtest(dir).onlyNet(Set.of(NetworkId.IPV6)).build());
        long now = Instant.now().getEpochSecond();
        List<PeerAddress> known = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            known.add(new PeerAddress(now, 9, NetAddress.ipv4(11 + i, 1, 1, 1), 8333));
            known.add(new PeerAddress(now, 9, NetAddress.parseHost("2001:" + Integer.toHexString(0x100 + i) + "::1"),
                    8333));
            known.add(new PeerAddress(now, 9, NetAddress.parseHost("2001:" + Integer.toHexString(0x100 + i) + "::2"),
                    8333));
        }
        known.add(new PeerAddress(now, 9, NetAddress.parseHost(
                "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion"), 8333));
        a.addrMan().add(known, NetAddress.ipv4(5, 5, 5, 5), now);
        NetAddress banned = NetAddress.parseHost("2001:100::1");
        NetAddress banned2 = NetAddress.parseHost("2001:100::2");
        a.banMan().ban(banned, "test");
        a.banMan().discourage(banned2);

        Set<String> groups = new HashSet<>();
        Set<String> pickedGroups = new HashSet<>();
        for (int i = 0; i < 19; i++) {
            Optional<PeerAddress> pick = a.pickOutbound(groups);
            assertTrue(pick.isPresent(), "pick " + i);
            NetAddress n = pick.get().address();
            assertEquals(NetworkId.IPV6, n.network(), "-onlynet=ipv6");
            assertTrue(!n.equals(banned) && !n.equals(banned2), "banned and discouraged are not dialled");
            assertTrue(pickedGroups.add(NetGroups.groupString(n)), "one outbound per network group");
            assertEquals(pickedGroups, groups, "the chosen group is marked used");
        }
        assertEquals(Optional.empty(), a.pickOutbound(groups), "every usable group taken");
        for (Peer p : a.peers()) {
            throw new AssertionError("no connection expected with zero outbound slots: " + p);
        }
    }
}
