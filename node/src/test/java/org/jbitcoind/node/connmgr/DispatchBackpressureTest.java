package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MessageHandler that blocks does not stall the I/O threads and does not let a peer queue
 * unbounded work: reading from that peer pauses, other peers are still served, and everything is
 * delivered in order once the handler catches up.
 */
class DispatchBackpressureTest {
    private static final int MESSAGES = 500;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void slowHandlerPausesReadingFromTheFloodingPeerOnly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        MessageHandler slow = new MessageHandler() {
            @Override
            public void onMessage(Peer peer, Message message) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                InventoryMessage inv = (InventoryMessage) message;
                delivered.add(inv.items().get(0).type());
            }
        };
        try (ConnectionManager node = new ConnectionManager(TestNodes.regtest(dir).build(), () -> 0, slow);
                RawPeer flooder = RawPeer.connect(startAndGet(node))) {
            flooder.handshake();
            Waits.until(() -> node.peers().size() == 1 && node.peers().get(0).isEstablished(), WAIT, "established");
            Peer flooderPeer = node.peers().get(0);
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        flooder.send(bigInv(i));
                    }
                } catch (Exception e) {
                    // the socket closes at the end of the test if the node never reads everything
                }
            }, "flooder");
            sender.setDaemon(true);
            sender.start();

            Waits.until(() -> flooderPeer.traffic().receivedPerMessage().getOrDefault("inv", 0L) > 0, WAIT,
                    "first inv read");
            Thread.sleep(500);
            long readWhileBlocked = flooderPeer.traffic().receivedPerMessage().get("inv");
            long total = (long) MESSAGES * frameSize();
            assertTrue(readWhileBlocked < total * 3 / 4, "reading paused: " + readWhileBlocked + " of " + total);

            try (RawPeer other = RawPeer.connect(node.listenAddresses().get(0))) {
                other.handshake();
                other.sync(); // I/O threads still serve other peers while the handler is stuck
            }

            release.countDown();
            Waits.until(() -> delivered.size() == MESSAGES, WAIT, "all messages delivered after release");
            sender.join(10_000);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add(i);
            }
            assertEquals(expected, delivered, "in the order sent");
        }
    }

    private static java.net.InetSocketAddress startAndGet(ConnectionManager node) throws Exception {
        node.start();
        return node.listenAddresses().get(0);
    }

    /** An inv of 1000 items whose first item's type carries the sequence number. */
    private static InventoryMessage bigInv(int seq) {
        List<InvItem> items = new ArrayList<>();
        items.add(new InvItem(seq, Hash256.ZERO));
        for (int i = 1; i < 1000; i++) {
            items.add(new InvItem(InvItem.MSG_BLOCK, Hash256.ZERO));
        }
        return new InventoryMessage(InventoryMessage.Kind.INV, items);
    }

    private static int frameSize() {
        return 24 + bigInv(0).payload().length;
    }
}
