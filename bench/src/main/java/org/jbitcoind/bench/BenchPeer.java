package org.jbitcoind.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * The sending side of a P2P benchmark: a plain-socket regtest peer that completes the version
 * handshake, then writes the messages it is given (buffered; TCP back-pressure from the node
 * slows it down). A reader thread keeps draining what the node sends (announcements, pings,
 * which it answers) so that the node never blocks on us.
 */
final class BenchPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final int magic = Network.REGTEST.magic();
    private final CountDownLatch verack = new CountDownLatch(1);
    private final AtomicLong received = new AtomicLong();
    private final Thread reader;

    private BenchPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.reader = new Thread(this::readLoop, "bench-peer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static BenchPeer connect(int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setTcpNoDelay(true);
        BenchPeer peer = new BenchPeer(s);
        PeerAddress none = new PeerAddress(0, 0, NetAddress.ipv4(0, 0, 0, 0), 0);
        peer.send(new VersionMessage(ProtocolVersions.PROTOCOL_VERSION,
                ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_WITNESS, Instant.now().getEpochSecond(), none,
                none, System.nanoTime() | 1, "/jbitcoind-bench:1.0/", 0, true));
        peer.flush();
        if (!peer.verack.await(30, TimeUnit.SECONDS)) {
            peer.close();
            throw new IllegalStateException("no verack from the node within 30 s");
        }
        peer.send(EmptyMessage.VERACK);
        peer.flush();
        return peer;
    }

    /** Messages read from the node so far. */
    long received() {
        return received.get();
    }

    synchronized void send(Message m) throws IOException {
        out.write(Frames.encode(magic, m));
    }

    /**
     * The frames of {@code messages}, encoded ahead (outside any timing) and packed into chunks of
     * about {@code chunkBytes}, for {@link #sendEncoded}: the sender then costs next to nothing
     * while the node is measured.
     */
    List<byte[]> encode(List<? extends Message> messages, int chunkBytes) {
        List<byte[]> chunks = new ArrayList<>();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(chunkBytes + (1 << 16));
        for (Message m : messages) {
            chunk.writeBytes(Frames.encode(magic, m));
            if (chunk.size() >= chunkBytes) {
                chunks.add(chunk.toByteArray());
                chunk.reset();
            }
        }
        if (chunk.size() > 0) {
            chunks.add(chunk.toByteArray());
        }
        return chunks;
    }

    /** Writes frames encoded by {@link #encode}, chunk by chunk (TCP back-pressure may block each). */
    void sendEncoded(List<byte[]> chunks) throws IOException {
        for (byte[] c : chunks) {
            synchronized (this) {
                out.write(c);
                out.flush();
            }
        }
    }

    synchronized void flush() throws IOException {
        out.flush();
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
                received.incrementAndGet();
                if (m == EmptyMessage.VERACK) {
                    verack.countDown();
                } else if (m instanceof PingMessage p) {
                    send(new PongMessage(p.nonce()));
                    flush();
                }
            }
        } catch (IOException | DecodeException e) {
            // closed by either side: nothing more to read
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
