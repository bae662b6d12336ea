package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound connections beyond the limit: evict the least useful peer, or refuse when all are protected. */
class InboundLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final List<RawPeer> peers = new ArrayList<>();
    private ConnectionManager node;

    @AfterEach
    void closeAll() {
        peers.forEach(RawPeer::close);
        if (node != null) {
            node.close();
        }
    }

    private void fill(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            RawPeer p = RawPeer.connect(node.listenAddresses().get(0)).answerPings(true);
            peers.add(p);
            p.handshake();
        }
        Waits.until(() -> node.peers().size() == n && node.peers().stream().allMatch(Peer::isEstablished), WAIT,
                n + " established inbound peers");
    }

    @Test
    void fullNodeEvictsTheYoungestUnprotectedInboundPeer() throws Exception {
        // 21 slots: Core's rules protect 20 (4 net group, 8 ping, 4 tx, 4 block) plus half the rest.
        node = new ConnectionManager(TestNodes.regtest(dir).maxConnections(21).build(), () -> 0,
                MessageHandler.IGNORE);
        node.start();
        fill(21);
        RawPeer newcomer = RawPeer.connect(node.listenAddresses().get(0));
        peers.add(newcomer);
        newcomer.handshake();
        Waits.until(() -> peers.stream().filter(RawPeer::isClosed).count() == 1, WAIT, "one peer evicted");
        assertTrue(!newcomer.isClosed(), "the newcomer got the slot");
        Waits.until(() -> node.peers().size() == 21, WAIT, "still at the limit");
        assertEquals(21, node.peers().stream().filter(Peer::isInbound).count());
    }

    @Test
    void newcomerIsRefusedWhenEveryPeerIsProtected() throws Exception {
        node = new ConnectionManager(TestNodes.regtest(dir).maxConnections(3).build(), () -> 0,
                MessageHandler.IGNORE);
        node.start();
        fill(3);
        RawPeer refused = RawPeer.connect(node.listenAddresses().get(0));
        peers.add(refused);
        assertTrue(refused.awaitClosed(WAIT), "refused");
        for (int i = 0; i < 3; i++) {
            peers.get(i).sync();
        }
        assertEquals(3, node.peers().size());
    }

    @Test
    void noInboundSlotsRefusesEveryone() throws Exception {
        node = new ConnectionManager(TestNodes.regtest(dir).maxConnections(10).maxOutboundFullRelay(8)
                .maxBlockRelayOnly(2).connect(List.of("127.0.0.1:1")).build(), () -> 0, MessageHandler.IGNORE);
        node.start();
        RawPeer refused = RawPeer.connect(node.listenAddresses().get(0));
        peers.add(refused);
        assertTrue(refused.awaitClosed(WAIT));
    }
}
