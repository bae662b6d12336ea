package org.jbitcoind.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.PongMessage;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;

/**
 * Serving a chain to several downloading peers at once (docs/benchmarks.md): starts jbitcoind as a
 * separate process, imports a blk file (from {@link SyntheticChainGenerator}) with -loadblock,
 * then N clients in this JVM connect at the same moment and each downloads every block with
 * getdata (MSG_WITNESS_BLOCK, 16 in flight per client as Core's MAX_BLOCKS_IN_TRANSIT_PER_PEER).
 * The block hashes come from the file, so the clients need neither getheaders (which a node does
 * not answer during initial download, and a chain dated 2023 keeps it there) nor getblocks. Each
 * block received is checked to be the one asked for (its header hashes to the requested hash).
 * Reports aggregate MB/s and blocks/s, and the daemon's CPU use from /proc. The daemon is stopped
 * by PID. With rounds above 1 each client fetches the chain that many times, for a longer measurement.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.jbitcoind.bench.ServePeersBench FILE [clients=8]
 *     [rounds=1] [daemon JVM options...]</pre>
 */
public final class ServePeersBench {
    private static final int MAGIC = Network.REGTEST.magic();
    private static final int IN_FLIGHT = 16;
    private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);

    private ServePeersBench() {
    }

    /** One block of the file: its hash and serialized size. */
    private record BlockRef(Hash256 hash, int size) {
    }

    /** What one client downloaded. */
    private record ClientResult(int blocks, long bytes, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<String> jvmOptions = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of();
        List<BlockRef> blocks = readBlocks(file);
        long fileBytes = blocks.stream().mapToLong(BlockRef::size).sum();
        System.out.printf("%s: %d blocks, %.1f MB of blocks; %d clients, each fetching the chain %d time(s);"
                + " daemon JVM %s%n", file, blocks.size(), fileBytes / 1e6, clients, rounds,
                jvmOptions.isEmpty() ? "(defaults)" : jvmOptions);
        Path work = Files.createTempDirectory("jbitcoind-serve-peers");
        try (BenchDaemon daemon = BenchDaemon.start(work.resolve("node"), jvmOptions,
                List.of("-loadblock=" + file), Duration.ofMinutes(3))) {
            long t0 = System.nanoTime();
            daemon.awaitLine(Pattern.compile("Block import done: height " + blocks.size()), IMPORT_TIMEOUT);
            System.out.printf("import: %.1f s; load %s%n", (System.nanoTime() - t0) / 1e9, ProcStat.loadAverage());
            int height = daemon.rpc("getblockcount").asInt();
            if (height != blocks.size()) {
                throw new IOException("daemon at height " + height + ", expected " + blocks.size());
            }
            Thread.sleep(3_000); // let the import's final flush and compactions settle

            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CountDownLatch ready = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ClientResult>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> download(daemon.p2pAddress(), blocks, rounds, ready, go)));
            }
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IOException("clients did not complete their handshakes");
            }
            double cpu0 = daemon.cpuSeconds();
            double ownCpu0 = ProcStat.cpuSeconds("self");
            long start = System.nanoTime();
            go.countDown();
            long totalBytes = 0;
            long totalBlocks = 0;
            List<String> perClient = new ArrayList<>();
            for (Future<ClientResult> f : results) {
                ClientResult r = f.get(DOWNLOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                totalBytes += r.bytes();
                totalBlocks += r.blocks();
                perClient.add(String.format("%.1f", r.seconds()));
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = daemon.cpuSeconds() - cpu0;
            double ownCpu = ProcStat.cpuSeconds("self") - ownCpu0;
            pool.shutdown();
            System.out.printf("served %d blocks, %.1f MB to %d clients in %.1f s (per client: %s s)%n", totalBlocks,
                    totalBytes / 1e6, clients, wall, String.join(", ", perClient));
            System.out.printf("aggregate: %.1f MB/s, %.0f blocks/s; daemon CPU %.1f s (%.0f%% of one core),"
                    + " clients' CPU %.1f s; daemon RSS %.0f MiB; load %s%n", totalBytes / 1e6 / wall,
                    totalBlocks / wall, cpu, 100 * cpu / wall, ownCpu, daemon.rssKib() / 1024.0,
                    ProcStat.loadAverage());
            System.out.println("daemon exit status " + daemon.stop());
        } finally {
            BenchDaemon.deleteTree(work);
        }
    }

    /** One client: handshake, wait for the start signal, then fetch every block in order with a window of getdata. */
    private static ClientResult download(InetSocketAddress node, List<BlockRef> chain, int rounds,
            CountDownLatch ready, CountDownLatch go) throws Exception {
        List<BlockRef> blocks = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            blocks.addAll(chain);
        }
        try (Socket s = new Socket()) {
            s.connect(node, 10_000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(120_000);
            s.setReceiveBufferSize(1 << 20);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream(), 1 << 16));
            handshake(in, out);
            ready.countDown();
            go.await();
            long t0 = System.nanoTime();
            long bytes = 0;
            int requested = 0;
            int received = 0;
            while (received < blocks.size()) {
                if (requested - received <= IN_FLIGHT / 2 && requested < blocks.size()) {
                    int n = Math.min(IN_FLIGHT - (requested - received), blocks.size() - requested);
                    List<InvItem> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(new InvItem(InvItem.MSG_WITNESS_BLOCK, blocks.get(requested + i).hash()));
                    }
                    out.write(Frames.encode(MAGIC, InventoryMessage.getData(items)));
                    out.flush();
                    requested += n;
                }
                Frame f = readFrame(in);
                if (f.header.command().equals("block")) {
                    Hash256 got = Hashes.hash256Of(f.payload, 0, 80);
                    BlockRef want = blocks.get(received);
                    if (!got.equals(want.hash()) || f.payload.length != want.size()) {
                        throw new IOException("block " + received + ": got " + got + " (" + f.payload.length
                                + " bytes), asked for " + want.hash() + " (" + want.size() + " bytes)");
                    }
                    bytes += f.payload.length;
                    received++;
                } else if (f.header.command().equals("notfound")) {
                    throw new IOException("the node answered notfound at block " + received);
                } else {
                    answerPing(f, out);
                }
            }
            return new ClientResult(received, bytes, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void handshake(DataInputStream in, OutputStream out) throws Exception {
        PeerAddress none = new PeerAddress(0, 0, NetAddress.ipv4(0, 0, 0, 0), 0);
        // NODE_WITNESS without NODE_NETWORK: a peer that downloads and has nothing to offer.
        out.write(Frames.encode(MAGIC, new VersionMessage(ProtocolVersions.PROTOCOL_VERSION,
                ProtocolVersions.NODE_WITNESS, Instant.now().getEpochSecond(), none, none, System.nanoTime(),
                "/jbitcoind-bench:1.0/", 0, false)));
        out.flush();
        boolean version = false;
        boolean verack = false;
        for (int i = 0; i < 50 && !(version && verack); i++) {
            Frame f = readFrame(in);
            version |= f.header.command().equals("version");
            verack |= f.header.command().equals("verack");
        }
        if (!(version && verack)) {
            throw new IOException("no version/verack from the node");
        }
        out.write(Frames.encode(MAGIC, EmptyMessage.VERACK));
        out.flush();
    }

    private static void answerPing(Frame f, OutputStream out) throws IOException {
        if (!f.header.command().equals("ping")) {
            return;
        }
        try {
            Message m = Frames.decodePayload(f.header, f.payload);
            if (m instanceof PingMessage p) {
                out.write(Frames.encode(MAGIC, new PongMessage(p.nonce())));
                out.flush();
            }
        } catch (DecodeException e) {
            throw new IOException("bad ping from the node", e);
        }
    }

    private record Frame(MessageHeader header, byte[] payload) {
    }

    private static Frame readFrame(DataInputStream in) throws IOException {
        byte[] head = new byte[MessageHeader.SIZE];
        in.readFully(head);
        try {
            MessageHeader h = MessageHeader.decode(head, MAGIC);
            byte[] payload = new byte[h.length()];
            in.readFully(payload);
            return new Frame(h, payload);
        } catch (DecodeException e) {
            throw new IOException("bad frame from the node: " + e.getMessage(), e);
        }
    }

    /** Every block of a blk*.dat file in order: magic, size, block (the header's hash is the block's). */
    private static List<BlockRef> readBlocks(Path file) throws IOException {
        List<BlockRef> out = new ArrayList<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            byte[] prefix = new byte[8];
            while (in.readNBytes(prefix, 0, 8) == 8) {
                int size;
                try {
                    ByteReader r = new ByteReader(prefix);
                    r.readBytes(4); // network magic
                    size = (int) r.readU32LE();
                } catch (DecodeException e) {
                    throw new IOException(e);
                }
                byte[] block = in.readNBytes(size);
                if (block.length != size) {
                    throw new IOException("truncated block " + out.size() + " in " + file);
                }
                out.add(new BlockRef(Hashes.hash256Of(block, 0, 80), size));
            }
        }
        return out;
    }
}
