package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import org.jbitcoind.config.Network;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peer that stops reading cannot make the node hold unbounded data for it. */
class SlowPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void peerThatNeverReadsIsDroppedOnceItsSendBufferIsFull() throws Exception {
        try (ConnectionManager node = new ConnectionManager(TestNodes.regtest(dir).build(), () -> 0,
                MessageHandler.IGNORE);
                Socket socket = new Socket()) {
            node.start();
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(node.listenAddresses().get(0), 5000);
            OutputStream out = socket.getOutputStream();
            int magic = Network.REGTEST.magic();
            out.write(Frames.encode(magic, RawPeer.version(123, 0)));
            out.write(Frames.encode(magic, EmptyMessage.VERACK));
            out.flush();
            // ...and never read a byte.
            Waits.until(() -> node.peers().size() == 1 && node.peers().get(0).isEstablished(), WAIT, "established");
            Peer peer = node.peers().get(0);
            UnknownMessage big = new UnknownMessage("bulk", new byte[3_000_000]);
            long deadline = System.nanoTime() + WAIT.toNanos();
            int sent = 0;
            while (!peer.isDisconnecting() && System.nanoTime() < deadline && sent < 200) {
                peer.send(big);
                sent++;
                Thread.sleep(5);
            }
            assertTrue(peer.isDisconnecting(), "dropped after " + sent + " messages");
            String reason = peer.disconnectReason().orElseThrow();
            assertTrue(reason.startsWith("send buffer over"), reason);
            Waits.until(() -> node.peers().isEmpty(), WAIT, "removed");
        }
    }
}
