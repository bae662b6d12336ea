package org.jbitcoind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.PongMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two RawPeers over a loopback socket: buffered sending, answered pings, dropped messages. */
class RawPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(200);

    private ServerSocket server;
    private RawPeer dialer;
    private RawPeer acceptor;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        dialer = RawPeer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        acceptor = RawPeer.wrap(server.accept());
    }

    @AfterEach
    void close() throws Exception {
        dialer.close();
        acceptor.close();
        server.close();
    }

    @Test
    void queuedMessagesLeaveOnlyWithFlushInOrder() throws Exception {
        dialer.queue(new PingMessage(1));
        dialer.queue(new PingMessage(2));
        assertTrue(acceptor.poll(m -> true, SHORT).isEmpty(), "nothing sent before flush");
        dialer.flush();
        assertEquals(new PingMessage(1), acceptor.expect(m -> true, WAIT));
        assertEquals(new PingMessage(2), acceptor.expect(m -> true, WAIT));
    }

    @Test
    void sendFlushesAtOnce() throws Exception {
        dialer.send(EmptyMessage.VERACK);
        assertEquals(EmptyMessage.VERACK, acceptor.expect(m -> true, WAIT));
    }

    @Test
    void discardingPeerStillAnswersPingsButKeepsNothing() throws Exception {
        dialer.answerPings(true).discardReceived();
        acceptor.send(EmptyMessage.VERACK);
        acceptor.send(new PingMessage(42));
        assertEquals(new PongMessage(42), acceptor.expect(m -> m instanceof PongMessage, WAIT));
        assertEquals(1, dialer.pongsSent());
        assertTrue(dialer.poll(m -> true, SHORT).isEmpty(), "received messages dropped");
    }

    @Test
    void closingOneSideIsSeenByTheOther() throws Exception {
        acceptor.close();
        assertTrue(dialer.awaitClosed(WAIT));
        assertTrue(dialer.isClosed());
    }
}
