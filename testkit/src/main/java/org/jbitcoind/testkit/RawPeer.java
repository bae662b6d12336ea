package org.jbitcoind.testkit;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.PongMessage;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;

/**
 * A hand-driven regtest peer over a plain socket, for tests that need to send exactly the bytes
 * they choose (hostile data) or watch exactly what the node sends, and for benchmarks that flood
 * the node ({@link #queue}/{@link #flush}). A reader thread decodes frames into a queue (or, after
 * {@link #discardReceived}, only counts them) and, if asked, answers pings. Every wait is bounded.
 */
public final class RawPeer implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final Socket socket;
    private final OutputStream out;
    private final int magic;
    private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final AtomicInteger pongsSent = new AtomicInteger();
    private volatile boolean answerPings;
    private volatile boolean keepReceived = true;
    private volatile boolean closed;

    private RawPeer(Socket socket, int magic) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.magic = magic;
        this.reader = new Thread(this::readLoop, "raw-peer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static RawPeer connect(InetSocketAddress node) throws IOException {
        Socket s = new Socket();
        s.connect(node, 5000);
        s.setTcpNoDelay(true);
        return new RawPeer(s, Network.REGTEST.magic());
    }

    /** Wraps a socket the test accepted (the node dialled us). */
    public static RawPeer wrap(Socket accepted) throws IOException {
        accepted.setTcpNoDelay(true);
        return new RawPeer(accepted, Network.REGTEST.magic());
    }

    /** Our end's port, by which the node's peer for this connection can be found. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public RawPeer answerPings(boolean on) {
        answerPings = on;
        return this;
    }

    public int pongsSent() {
        return pongsSent.get();
    }

    /**
     * From now on received messages are dropped instead of queued (pings are still answered if
     * asked): a benchmark's peer that sends for minutes must not hold everything the node says.
     */
    public RawPeer discardReceived() {
        keepReceived = false;
        received.clear();
        return this;
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                byte[] head = new byte[MessageHeader.SIZE];
                in.readFully(head);
                MessageHeader h = MessageHeader.decode(head, magic);
                byte[] payload = new byte[h.length()];
                in.readFully(payload);
                Message m = Frames.decodePayload(h, payload);
                if (answerPings && m instanceof PingMessage p) {
                    send(new PongMessage(p.nonce()));
                    pongsSent.incrementAndGet();
                }
                if (keepReceived) {
                    received.add(m);
                }
            }
        } catch (IOException | DecodeException e) {
            closed = true;
        }
    }

    public void send(Message m) throws IOException {
        sendRaw(Frames.encode(magic, m));
    }

    public synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Buffers {@code m} without sending it yet: {@link #flush} (or the next {@link #send}) does. */
    public synchronized void queue(Message m) throws IOException {
        out.write(Frames.encode(magic, m));
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    public static VersionMessage version(long nonce, int height) {
        PeerAddress none = new PeerAddress(0, 0, NetAddress.ipv4(0, 0, 0, 0), 0);
        return new VersionMessage(ProtocolVersions.PROTOCOL_VERSION,
                ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_WITNESS, Instant.now().getEpochSecond(), none,
                none, nonce, "/rawpeer:1.0/", height, true);
    }

    /** As the connecting side: version, then wait for the node's version and verack, then verack. */
    public VersionMessage handshake() throws IOException {
        send(version(System.nanoTime() | 1, 0));
        VersionMessage theirs = (VersionMessage) expect(m -> m instanceof VersionMessage, WAIT);
        expect(m -> m == EmptyMessage.VERACK, WAIT);
        send(EmptyMessage.VERACK);
        return theirs;
    }

    /** As the accepting side: wait for the node's version, answer version + verack, wait for its verack. */
    public VersionMessage acceptHandshake() throws IOException {
        VersionMessage theirs = (VersionMessage) expect(m -> m instanceof VersionMessage, WAIT);
        send(version(System.nanoTime() | 1, 0));
        send(EmptyMessage.VERACK);
        expect(m -> m == EmptyMessage.VERACK, WAIT);
        return theirs;
    }

    /** Next received message matching {@code match}, skipping others; fails after {@code timeout}. */
    public Message expect(Predicate<Message> match, Duration timeout) throws IOException {
        return poll(match, timeout).orElseThrow(() -> new AssertionError("expected message not received in "
                + timeout.toMillis() + " ms" + (closed ? " (connection closed)" : "")));
    }

    /** Next received message matching {@code match}, skipping others, or empty after {@code timeout}. */
    public Optional<Message> poll(Predicate<Message> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                boolean wasClosed = closed;
                Message m = received.poll(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS);
                if (m != null && match.test(m)) {
                    return Optional.of(m);
                }
                if (m == null && wasClosed) {
                    return Optional.empty(); // closed and drained: nothing more will come
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Sends a ping and waits for its pong, skipping other messages; everything the node sent
     * before the pong has then been seen (one connection is processed in order).
     */
    public void sync() throws IOException {
        long nonce = System.nanoTime() | 1;
        send(new PingMessage(nonce));
        expect(m -> m instanceof PongMessage p && p.nonce() == nonce, WAIT);
    }

    /** Like {@link #sync}, but returns the messages matching {@code match} seen before the pong. */
    public List<Message> drainUntilSynced(Predicate<Message> match) throws IOException {
        long nonce = System.nanoTime() | 1;
        send(new PingMessage(nonce));
        return collectUntil(m -> m instanceof PongMessage p && p.nonce() == nonce, match, WAIT);
    }

    /** The messages matching {@code match} received before the first matching {@code end} (within {@code timeout}). */
    public List<Message> collectUntil(Predicate<Message> end, Predicate<Message> match, Duration timeout)
            throws IOException {
        List<Message> seen = new ArrayList<>();
        expect(m -> {
            if (end.test(m)) {
                return true;
            }
            if (match.test(m)) {
                seen.add(m);
            }
            return false;
        }, timeout);
        return seen;
    }

    /** Waits until the node closes the connection (read returns end of stream). */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (closed) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return closed;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
