package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.PongMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer sends four maximal getdata messages (200,000 items: every tenth one of our blocks, the rest
 * unknown) without reading a byte, then reads slowly. The node stops reading from it while the
 * backlog is over one maximal getdata (Core's fPauseRecv), so its queue and heap stay bounded; once
 * the peer reads, every item is answered (20,000 blocks, 180,000 notfound entries), nothing is
 * dropped, and although the peer's pong sits unread behind its getdata for longer than the
 * 3-second ping and inactivity timeouts, it is not disconnected: it reads our answers.
 */
class GetDataBackpressureTest {
    private static final int MESSAGES = 4;
    private static final int ITEMS = MESSAGES * InventoryMessage.MAX_ENTRIES;
    private static final int BLOCK_EVERY = 10;
    /** The node's ping and inactivity timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Bound of the test's own waits. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Pause at one maximal getdata; at most the read under way adds a second and a third (docs/p2p.md). */
    private static final int BACKLOG_BOUND = 3 * InventoryMessage.MAX_ENTRIES + 2_000;
    private static final long HEAP_LIMIT = 32L * 1024 * 1024;
    private static final int MAGIC = Network.REGTEST.magic();

    @TempDir
    Path dir;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void floodIsPausedNotDroppedAndFullyAnsweredOnceThePeerReads() throws Exception {
        List<Block> chain = RegtestBlocks.chain(Tip.genesis(), 200, 3);
        SyncNode node = SyncNode.start(dir.resolve("node"), SyncNode.TEST_SYNC,
                b -> b.inactivityTimeout(TIMEOUT).pingInterval(Duration.ofMillis(500)));
        opened.add(node);
        node.feed(chain);
        long baselineHeap = usedHeapAfterGc();

        Socket s = new Socket();
        opened.add(s);
        s.setReceiveBufferSize(16 * 1024);
        s.connect(node.address(), 5000);
        OutputStream out = s.getOutputStream();
        out.write(Frames.encode(MAGIC, RawPeer.version(4343, 0)));
        out.write(Frames.encode(MAGIC, EmptyMessage.VERACK));
        out.flush();
        Waits.until(() -> inbound(node, s.getLocalPort()) != null, WAIT, "inbound peer");
        Peer peer = inbound(node, s.getLocalPort());
        Waits.until(peer::isEstablished, WAIT, "established");

        // Only the writer writes: pongs queue behind the getdata, as they would in a real peer's socket.
        Queue<byte[]> pongQueue = new ConcurrentLinkedQueue<>();
        Thread writer = new Thread(() -> writeGetData(out, chain, pongQueue), "getdata-flood");
        writer.setDaemon(true);
        writer.start();
        AtomicInteger maxBacklog = new AtomicInteger();
        Thread monitor = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxBacklog.accumulateAndGet(peer.getDataBacklog(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "backlog-monitor");
        monitor.setDaemon(true);
        monitor.start();
        opened.add(monitor::interrupt);
        opened.add(writer::interrupt);

        // Not reading: the node pauses reading at the first maximal getdata, answers until its send
        // buffer is full (our blocks are small: a few messages' worth), then holds the rest.
        try {
            Waits.until(() -> peer.getDataPauses() > 0 && !peer.isWritable(), WAIT,
                    "reading paused for the getdata backlog, then the send buffer full");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + state(peer), e);
        }
        Thread.sleep(300);
        assertFalse(peer.isWritable());
        assertFalse(peer.isDisconnecting(), "not dropped: " + peer.disconnectReason());
        long peakHeap = usedHeapAfterGc();
        assertTrue(peakHeap - baselineHeap < HEAP_LIMIT, "heap grew by " + (peakHeap - baselineHeap));
        assertTrue(peer.getDataBacklog() <= BACKLOG_BOUND, "backlog " + peer.getDataBacklog());

        // Reading (slowly, so the whole exchange outlasts the timeouts): every item answered.
        AtomicLong blocks = new AtomicLong();
        AtomicLong notFound = new AtomicLong();
        AtomicInteger pongs = new AtomicInteger();
        Thread reader = new Thread(() -> readSlowly(s, pongQueue, blocks, notFound, pongs), "slow-reader");
        reader.setDaemon(true);
        reader.start();
        long start = System.nanoTime();
        try {
            Waits.until(() -> blocks.get() + notFound.get() >= ITEMS || peer.isDisconnecting(),
                    Duration.ofSeconds(90), "all " + ITEMS + " items answered");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (" + blocks.get() + " blocks, " + notFound.get()
                    + " notfound): " + state(peer), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertFalse(peer.isDisconnecting(), "dropped after " + took.toMillis() + " ms: " + state(peer));
        // The exchange outlasted the timeouts while the pong waited unread: the credit for reading our answers held.
        assertTrue(took.compareTo(TIMEOUT) > 0, "reading took only " + took.toMillis() + " ms");
        System.out.println("GetDataBackpressureTest: all answered in " + took.toMillis() + " ms, backlog peaked at "
                + maxBacklog.get() + ", " + peer.getDataPauses() + " pauses, heap +" + (peakHeap - baselineHeap) / 1024
                + " KiB");
        assertEquals(ITEMS / BLOCK_EVERY, blocks.get());
        assertEquals(ITEMS - ITEMS / BLOCK_EVERY, notFound.get());
        Waits.until(() -> pongs.get() > 0 && peer.lastPing().isPresent(), WAIT,
                "the ping answered once the node read again");
        Waits.until(() -> peer.getDataBacklog() == 0 && !peer.isPausedForGetData(), WAIT, "backlog drained");
        assertEquals(0, peer.misbehaviourScore());
        assertTrue(maxBacklog.get() <= BACKLOG_BOUND, "backlog peaked at " + maxBacklog.get());
        assertTrue(peer.getDataPauses() > 0);
    }

    private static void writeGetData(OutputStream out, List<Block> chain, Queue<byte[]> pongs) {
        Random random = new Random(7);
        try {
            for (int m = 0; m < MESSAGES; m++) {
                List<InvItem> items = new ArrayList<>(InventoryMessage.MAX_ENTRIES);
                for (int i = 0; i < InventoryMessage.MAX_ENTRIES; i++) {
                    Hash256 hash;
                    if (i % BLOCK_EVERY == 0) {
                        hash = chain.get((m * InventoryMessage.MAX_ENTRIES + i) / BLOCK_EVERY % chain.size()).hash();
                    } else {
                        byte[] b = new byte[32];
                        random.nextBytes(b);
                        hash = Hash256.wrap(b);
                    }
                    items.add(new InvItem(InvItem.MSG_WITNESS_BLOCK, hash));
                }
                out.write(Frames.encode(MAGIC, InventoryMessage.getData(items))); // blocks while the node does not read
                writePongs(out, pongs);
            }
            while (!Thread.currentThread().isInterrupted()) {
                writePongs(out, pongs);
                Thread.sleep(10);
            }
        } catch (IOException | InterruptedException e) {
            // closed by the test
        }
    }

    private static void writePongs(OutputStream out, Queue<byte[]> pongs) throws IOException {
        for (byte[] pong = pongs.poll(); pong != null; pong = pongs.poll()) {
            out.write(pong);
        }
        out.flush();
    }

    /** Decodes what the node sends at about 0.8 MB/s, counting answers and answering pings. */
    private static void readSlowly(Socket s, Queue<byte[]> pongQueue, AtomicLong blocks, AtomicLong notFound,
            AtomicInteger pongs) {
        try {
            DataInputStream in = new DataInputStream(s.getInputStream());
            long bytes = 0;
            while (true) {
                byte[] head = new byte[MessageHeader.SIZE];
                in.readFully(head);
                MessageHeader h = MessageHeader.decode(head, MAGIC);
                byte[] payload = new byte[h.length()];
                in.readFully(payload);
                Message m = Frames.decodePayload(h, payload);
                if (m instanceof BlockMessage) {
                    blocks.incrementAndGet();
                } else if (m instanceof InventoryMessage inv && inv.kind() == InventoryMessage.Kind.NOTFOUND) {
                    notFound.addAndGet(inv.items().size());
                } else if (m instanceof PingMessage p) {
                    pongQueue.add(Frames.encode(MAGIC, new PongMessage(p.nonce())));
                    pongs.incrementAndGet();
                }
                bytes += MessageHeader.SIZE + payload.length;
                if (bytes >= 16 * 1024) {
                    bytes = 0;
                    Thread.sleep(20);
                }
            }
        } catch (Exception e) {
            // closed
        }
    }

    private static String state(Peer peer) {
        return "paused " + peer.isPausedForGetData() + ", writable " + peer.isWritable() + ", backlog "
                + peer.getDataBacklog() + ", sent " + peer.traffic().sentPerMessage() + ", disconnecting "
                + peer.disconnectReason();
    }

    private static Peer inbound(SyncNode node, int port) {
        return node.connman().peers().stream().filter(p -> p.isInbound() && p.address().port() == port).findFirst()
                .orElse(null);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
