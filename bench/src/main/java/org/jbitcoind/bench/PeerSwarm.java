package org.jbitcoind.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.PongMessage;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;

/**
 * Many P2P connections to one node driven by a single selector thread (the caller's): each opens a
 * TCP connection, completes the version/verack handshake as the connecting side, answers the
 * node's pings and getheaders (with an empty headers message: a peer with nothing to offer), and
 * on request pings the node at a fixed interval, recording each round-trip time. Every phase is
 * bounded in time.
 */
final class PeerSwarm implements AutoCloseable {
    private static final int MAGIC = Network.REGTEST.magic();

    private enum State { CONNECTING, VERSION_SENT, READY, CLOSED }

    private final class Conn {
        final int index;
        final SocketChannel channel;
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        ByteBuffer in = ByteBuffer.allocate(4096);
        State state = State.CONNECTING;
        final long startNanos = System.nanoTime();
        boolean gotVersion;
        boolean gotVerack;
        long pingNonce;
        long pingSentNanos;
        long nextPingNanos;
        SelectionKey key;

        Conn(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    private final InetSocketAddress node;
    private final int count;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);
    private final LongList handshakeNanos = new LongList();
    private final LongList pingNanos = new LongList();
    private boolean measuring;
    private long pingsSent;
    private long pingsSkipped;
    private long closedByNode;
    private long decodeErrors;
    private long bytesIn;

    PeerSwarm(InetSocketAddress node, int count) throws IOException {
        this.node = node;
        this.count = count;
        this.selector = Selector.open();
    }

    /**
     * Opens every connection, at most {@code maxPending} handshakes under way at once (so the
     * node's accept backlog never overflows), and waits until all are ready or {@code timeout}.
     *
     * @return the number of connections that completed the handshake
     */
    int connectAll(int maxPending, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int pending = 0;
            int ready = 0;
            for (Conn c : conns) {
                if (c.state == State.CONNECTING || c.state == State.VERSION_SENT) {
                    pending++;
                } else if (c.state == State.READY) {
                    ready++;
                }
            }
            if (ready == count || (conns.size() == count && pending == 0)) {
                return ready;
            }
            while (pending < maxPending && conns.size() < count) {
                open();
                pending++;
            }
            poll(10);
        }
        return ready();
    }

    /**
     * For {@code duration}, every ready connection pings the node every {@code interval} (the
     * connections' first pings spread evenly over one interval), recording round-trip times. A
     * connection whose previous ping is still unanswered when the next is due skips it.
     */
    void pingFor(Duration duration, Duration interval) throws IOException {
        long now = System.nanoTime();
        long end = now + duration.toNanos();
        for (Conn c : conns) {
            c.nextPingNanos = now + interval.toNanos() * c.index / count;
        }
        measuring = true;
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            for (Conn c : conns) {
                if (c.state != State.READY || t < c.nextPingNanos) {
                    continue;
                }
                c.nextPingNanos += interval.toNanos();
                if (c.pingSentNanos != 0) {
                    pingsSkipped++;
                    continue;
                }
                c.pingNonce = random.nextLong() | 1;
                c.pingSentNanos = System.nanoTime();
                send(c, new PingMessage(c.pingNonce));
                pingsSent++;
            }
            poll(2);
        }
        measuring = false;
    }

    /** Keeps the connections served (pongs, getheaders answers) for {@code duration}. */
    void idle(Duration duration) throws IOException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            poll(10);
        }
    }

    int ready() {
        int n = 0;
        for (Conn c : conns) {
            if (c.state == State.READY) {
                n++;
            }
        }
        return n;
    }

    LongList handshakeNanos() {
        return handshakeNanos;
    }

    LongList pingNanos() {
        return pingNanos;
    }

    long pingsSent() {
        return pingsSent;
    }

    long pingsSkipped() {
        return pingsSkipped;
    }

    long closedByNode() {
        return closedByNode;
    }

    long decodeErrors() {
        return decodeErrors;
    }

    long bytesIn() {
        return bytesIn;
    }

    private void open() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(conns.size(), ch);
        conns.add(c);
        c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
        if (ch.connect(node)) {
            connected(c);
        }
    }

    private void connected(Conn c) {
        c.state = State.VERSION_SENT;
        c.key.interestOps(SelectionKey.OP_READ);
        PeerAddress none = new PeerAddress(0, 0, NetAddress.ipv4(0, 0, 0, 0), 0);
        send(c, new VersionMessage(ProtocolVersions.PROTOCOL_VERSION,
                ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_WITNESS, Instant.now().getEpochSecond(), none,
                none, random.nextLong(), "/jbitcoind-bench:1.0/", 0, true));
    }

    private void poll(long timeoutMillis) throws IOException {
        selector.select(timeoutMillis);
        for (SelectionKey key : selector.selectedKeys()) {
            Conn c = (Conn) key.attachment();
            try {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isConnectable()) {
                    if (c.channel.finishConnect()) {
                        connected(c);
                    }
                    continue;
                }
                if (key.isWritable()) {
                    flush(c);
                }
                if (key.isReadable()) {
                    read(c);
                }
            } catch (IOException e) {
                closeConn(c);
                closedByNode++;
            }
        }
        selector.selectedKeys().clear();
    }

    private void read(Conn c) throws IOException {
        if (!c.in.hasRemaining()) {
            c.in = grow(c.in, c.in.capacity() * 2);
        }
        int n = c.channel.read(c.in);
        if (n < 0) {
            throw new IOException("closed by the node");
        }
        bytesIn += n;
        c.in.flip();
        while (c.in.remaining() >= MessageHeader.SIZE && c.state != State.CLOSED) {
            byte[] head = new byte[MessageHeader.SIZE];
            c.in.get(c.in.position(), head);
            MessageHeader h;
            try {
                h = MessageHeader.decode(head, MAGIC);
            } catch (DecodeException e) {
                throw new IOException("bad frame from the node: " + e.getMessage(), e);
            }
            if (c.in.remaining() < MessageHeader.SIZE + h.length()) {
                if (c.in.capacity() < MessageHeader.SIZE + h.length()) {
                    c.in.compact();
                    c.in = grow(c.in, MessageHeader.SIZE + h.length());
                    c.in.flip();
                }
                break;
            }
            c.in.position(c.in.position() + MessageHeader.SIZE);
            byte[] payload = new byte[h.length()];
            c.in.get(payload);
            try {
                handle(c, Frames.decodePayload(h, payload));
            } catch (DecodeException e) {
                decodeErrors++;
            }
        }
        c.in.compact();
    }

    private void handle(Conn c, Message m) {
        if (m instanceof VersionMessage) {
            c.gotVersion = true;
        } else if (m == EmptyMessage.VERACK) {
            c.gotVerack = true;
        } else if (m instanceof PingMessage p) {
            send(c, new PongMessage(p.nonce()));
        } else if (m instanceof PongMessage p && c.pingSentNanos != 0 && p.nonce() == c.pingNonce) {
            if (measuring) {
                pingNanos.add(System.nanoTime() - c.pingSentNanos);
            }
            c.pingSentNanos = 0;
        } else if (m instanceof LocatorMessage l && l.kind() == LocatorMessage.Kind.GETHEADERS) {
            send(c, new HeadersMessage(List.of()));
        }
        if (c.state == State.VERSION_SENT && c.gotVersion && c.gotVerack) {
            send(c, EmptyMessage.VERACK);
            c.state = State.READY;
            handshakeNanos.add(System.nanoTime() - c.startNanos);
        }
    }

    private void send(Conn c, Message m) {
        if (c.state == State.CLOSED) {
            return;
        }
        c.out.add(ByteBuffer.wrap(Frames.encode(MAGIC, m)));
        try {
            flush(c);
        } catch (IOException e) {
            closeConn(c);
            closedByNode++;
        }
    }

    private void flush(Conn c) throws IOException {
        while (!c.out.isEmpty()) {
            ByteBuffer b = c.out.peek();
            c.channel.write(b);
            if (b.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            c.out.poll();
        }
        if (c.key.isValid()) {
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private void closeConn(Conn c) {
        c.state = State.CLOSED;
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        for (Conn c : conns) {
            if (c.state != State.CLOSED) {
                closeConn(c);
            }
        }
        selector.close();
    }

    /** A growable list of primitive longs with percentiles. */
    static final class LongList {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        /** The {@code p}-th percentile (nearest rank), 0 when empty. */
        long percentile(double p) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * size);
            return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
        }
    }
}
