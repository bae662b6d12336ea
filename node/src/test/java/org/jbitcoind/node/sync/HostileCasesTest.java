package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.node.rpc.RpcServer;
import org.jbitcoind.node.rpc.RpcServerConfig;
import org.jbitcoind.node.rpc.Subnet;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.AlertMessage;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.MerkleTree;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9's hostile peers, one case each. For every case a fresh node ("victim") starts syncing a
 * 404-block chain from an honest node over loopback; right after, a hostile peer connects to the
 * victim and misbehaves. Each case then checks:
 * <ul>
 * <li>the hostile peer gets what Core gives it (disconnected and discouraged, disconnected by a
 *     timeout, or, for unknown commands, alert and low-work headers, nothing at all);</li>
 * <li>the honest sync completes to the same tip and the honest peer is never punished;</li>
 * <li>the victim's JSON-RPC server (real HTTP on 127.0.0.1) answers getblockcount within
 *     {@link #RPC_BOUND} during and after the attack;</li>
 * <li>heap in use (after {@code System.gc()}) measured at the attack's peak and at the end stays
 *     within {@link #HEAP_LIMIT} of the baseline taken before any victim started.</li>
 * </ul>
 * Limits are stated in docs/testing.md ("Hostile peers").
 */
class HostileCasesTest {
    /** Heap growth over the baseline allowed at any measurement, victim node included. */
    static final long HEAP_LIMIT = 32L * 1024 * 1024;
    /** getblockcount must answer within this while under attack. */
    static final Duration RPC_BOUND = Duration.ofSeconds(2);
    /** Blocks sent to a peer that never reads may not exceed this (send buffer high-water mark plus slack). */
    static final long GETDATA_SENT_LIMIT = 12L * 1024 * 1024;
    static final int SLOWLORIS = 1000;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAGIC = Network.REGTEST.magic();
    /** The victim is in initial download until height 300: headers chains below that are presynced, not stored. */
    private static final BigInteger MINIMUM_WORK = BigInteger.valueOf(2 * 301);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static SyncNode source;
    private static List<Block> chain;
    /** Three blocks of about 900 kB each, at heights 151-153. */
    private static List<Block> bigBlocks;
    /** The tip: three transactions, so duplicating the last one keeps its merkle root (CVE-2012-2459). */
    private static Block mutable;
    private static long baselineHeap;
    private static int caseNumber;

    @BeforeAll
    static void startSource() throws Exception {
        chain = new ArrayList<>(RegtestBlocks.spendingChain(150));
        Tip t = RegtestBlocks.tipOf(Tip.genesis(), chain);
        bigBlocks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Block parent = chain.get(50 + i); // its coinbase is mature and unspent by spendingChain
            Block big = RegtestBlocks.block(t, 700 + i, List.of(bigTransaction(parent)), 0, 0);
            bigBlocks.add(big);
            chain.add(big);
            t = RegtestBlocks.next(t, big);
        }
        List<Block> tail = RegtestBlocks.chain(t, 250, 7);
        chain.addAll(tail);
        t = RegtestBlocks.tipOf(t, tail);
        mutable = RegtestBlocks.block(t, 9, List.of(
                RegtestBlocks.spend(RegtestBlocks.coinbaseOut(chain.get(60)), RegtestBlocks.coinbaseValue(chain.get(60)), 2, 0),
                RegtestBlocks.spend(RegtestBlocks.coinbaseOut(chain.get(61)), RegtestBlocks.coinbaseValue(chain.get(61)), 2, 0)),
                0, 0);
        chain.add(mutable);
        source = SyncNode.start(dir.resolve("source"));
        source.feed(chain);
        baselineHeap = usedHeapAfterGc();
    }

    @AfterAll
    static void stopSource() {
        if (source != null) {
            source.close();
        }
    }

    /** Spends a coinbase into one OP_TRUE output and an unspendable output carrying 900 kB. */
    private static Transaction bigTransaction(Block parent) {
        byte[] script = new byte[900_000];
        script[0] = 0x6a; // OP_RETURN, then OP_0s: never executed, never a coin
        return new Transaction(2, List.of(new TxIn(RegtestBlocks.coinbaseOut(parent), new byte[0], TxIn.SEQUENCE_FINAL)),
                List.of(new TxOut(RegtestBlocks.coinbaseValue(parent), RegtestBlocks.OP_TRUE), new TxOut(0, script)), 0);
    }

    // ---- the cases ---------------------------------------------------------------------------------

    /** What happened to the hostile peer, checked by {@link #checkOutcome}. */
    sealed interface Outcome {
        /** Disconnected and (but for being local) discouraged: Core's Misbehaving. */
        record Punished(Peer peer) implements Outcome {
        }

        /** Disconnected without a misbehaviour score: a timeout. */
        record TimedOut(Peer peer, String reasonPrefix) implements Outcome {
        }

        /** Left alone: still connected, score 0. */
        record Ignored(Peer peer) implements Outcome {
        }
    }

    interface Attack {
        Outcome run(Victim v) throws Exception;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("wrong magic", (Attack) HostileCasesTest::wrongMagic),
                Arguments.of("bad checksum", (Attack) HostileCasesTest::badChecksum),
                Arguments.of("header claiming a 4 GB payload", (Attack) HostileCasesTest::fourGigabyteHeader),
                Arguments.of("payload that stops half-way", (Attack) HostileCasesTest::halfPayload),
                Arguments.of("unknown commands", (Attack) HostileCasesTest::unknownCommands),
                Arguments.of("message before version", (Attack) HostileCasesTest::beforeVersion),
                Arguments.of("second version", (Attack) HostileCasesTest::secondVersion),
                Arguments.of("oversized inv", (Attack) v -> oversizedInventory(v, "inv")),
                Arguments.of("oversized getdata", (Attack) v -> oversizedInventory(v, "getdata")),
                Arguments.of("oversized headers", (Attack) HostileCasesTest::oversizedHeaders),
                Arguments.of("oversized addr", (Attack) HostileCasesTest::oversizedAddr),
                Arguments.of("flood of low-work headers", (Attack) HostileCasesTest::lowWorkFlood),
                Arguments.of("headers that do not connect", (Attack) HostileCasesTest::unconnectingHeaders),
                Arguments.of("block with invalid proof of work", (Attack) HostileCasesTest::invalidPowBlock),
                Arguments.of("block with invalid transactions", (Attack) HostileCasesTest::invalidTxBlock),
                Arguments.of("mutated block (CVE-2012-2459)", (Attack) HostileCasesTest::mutatedBlock),
                Arguments.of("never-ending getdata for large blocks", (Attack) HostileCasesTest::endlessGetData),
                Arguments.of(SLOWLORIS + " connections without handshake", (Attack) HostileCasesTest::slowloris),
                Arguments.of("retired alert message", (Attack) HostileCasesTest::alert));
    }

    private static Outcome wrongMagic(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.sendRaw(Frames.encode(Network.MAIN.magic(), RawPeer.version(5, 0)));
        return new Outcome.Punished(h.peer);
    }

    private static Outcome badChecksum(Victim v) throws Exception {
        Hostile h = v.hostile();
        byte[] frame = Frames.encode(MAGIC, RawPeer.version(5, 0));
        frame[21] ^= 0x40;
        h.raw.sendRaw(frame);
        return new Outcome.Punished(h.peer);
    }

    private static Outcome fourGigabyteHeader(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        h.raw.sendRaw(header("block", 0xFFFF_FFFFL, 0));
        return new Outcome.Punished(h.peer);
    }

    /** Core waits for the rest of a frame; only the inactivity/ping timeout ends it. Nothing is buffered beyond it. */
    private static Outcome halfPayload(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        byte[] payload = new byte[100_000];
        byte[] frame = frame("inv", payload);
        h.raw.sendRaw(Arrays.copyOf(frame, MessageHeader.SIZE + payload.length / 2));
        return new Outcome.TimedOut(h.peer, "");
    }

    private static Outcome unknownCommands(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        for (int i = 0; i < 50; i++) {
            h.raw.send(new UnknownMessage("future" + i, new byte[i * 100]));
        }
        h.raw.sync();
        return new Outcome.Ignored(h.peer);
    }

    private static Outcome beforeVersion(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.send(new PingMessage(1));
        return new Outcome.Punished(h.peer);
    }

    private static Outcome secondVersion(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        h.raw.send(RawPeer.version(77, 0));
        return new Outcome.Punished(h.peer);
    }

    /** One entry over Core's MAX_INV_SZ (50,000): Core's "inv message size" / "getdata message size" misbehaviour. */
    private static Outcome oversizedInventory(Victim v, String command) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        int n = InventoryMessage.MAX_ENTRIES + 1;
        ByteWriter w = new ByteWriter().writeCompactSize(n);
        for (int i = 0; i < n; i++) {
            w.writeI32LE(InvItem.MSG_BLOCK).writeBytes(new byte[32]);
        }
        h.raw.sendRaw(frame(command, w.toByteArray()));
        return new Outcome.Punished(h.peer);
    }

    /** One header over MAX_HEADERS_RESULTS (2,000). */
    private static Outcome oversizedHeaders(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        int n = HeadersMessage.MAX_HEADERS + 1;
        ByteWriter w = new ByteWriter().writeCompactSize(n);
        BlockHeader g = RegtestBlocks.PARAMS.genesisBlock().header();
        for (int i = 0; i < n; i++) {
            g.write(w);
            w.writeCompactSize(0);
        }
        h.raw.sendRaw(frame("headers", w.toByteArray()));
        return new Outcome.Punished(h.peer);
    }

    /** One address over MAX_ADDR_TO_SEND (1,000). */
    private static Outcome oversizedAddr(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        ByteWriter w = new ByteWriter().writeCompactSize(AddrMessage.MAX_ENTRIES + 1);
        PeerAddress a = new PeerAddress(0, 1, NetAddress.ipv4(8, 8, 8, 8), 8333);
        for (int i = 0; i <= AddrMessage.MAX_ENTRIES; i++) {
            a.writeLegacy(w);
        }
        h.raw.sendRaw(frame(AddrMessage.COMMAND, w.toByteArray()));
        return new Outcome.Punished(h.peer);
    }

    /**
     * 40 branches of 250 headers off genesis, each with valid proof of work but less work than
     * -minimumchainwork: Core presyncs and drops them, stores none and does not punish (it cannot
     * tell a peer on a weak chain from an attacker).
     */
    private static Outcome lowWorkFlood(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        List<Hash256> branchTips = new ArrayList<>();
        Block genesis = RegtestBlocks.PARAMS.genesisBlock();
        for (int branch = 0; branch < 40; branch++) {
            List<BlockHeader> headers = new ArrayList<>();
            Hash256 prev = genesis.hash();
            for (int i = 0; i < 250; i++) {
                BlockHeader hd = BlockMaker.grind(RegtestBlocks.PARAMS, new BlockHeader(BlockMaker.VERSION, prev,
                        Hash256.fromHex(String.format("%064x", branch + 1)), genesis.header().time() + i + 1,
                        RegtestBlocks.PARAMS.powLimitBits(), 0));
                headers.add(hd);
                prev = hd.hash();
            }
            branchTips.add(prev);
            h.raw.send(new HeadersMessage(headers));
        }
        h.raw.sync();
        // The sync thread has handled every headers message once the next message from the peer is answered.
        v.node.sync().blocksInFlight();
        v.measureHeap();
        for (Hash256 tip : branchTips) {
            assertTrue(v.node.chain().getBlockIndex(tip).isEmpty(), "low-work header stored: " + tip);
        }
        return new Outcome.Ignored(h.peer);
    }

    private static Outcome unconnectingHeaders(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        Block genesis = RegtestBlocks.PARAMS.genesisBlock();
        for (int i = 0; i < 60 && !h.raw.isClosed(); i++) {
            BlockHeader hd = BlockMaker.grind(RegtestBlocks.PARAMS, new BlockHeader(BlockMaker.VERSION,
                    Hash256.fromHex(String.format("%064x", i + 1)), Hash256.ZERO, genesis.header().time() + 1,
                    RegtestBlocks.PARAMS.powLimitBits(), 0));
            h.raw.send(new HeadersMessage(List.of(hd)));
        }
        return new Outcome.Punished(h.peer);
    }

    /** A block on genesis whose hash misses its target: high-hash. */
    private static Outcome invalidPowBlock(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        Block good = RegtestBlocks.block(Tip.genesis(), 31);
        BlockHeader g = good.header();
        BlockHeader bad = null;
        for (long nonce = 0; bad == null; nonce++) {
            BlockHeader c = new BlockHeader(g.version(), g.prevBlock(), g.merkleRoot(), g.time(), g.bits(), nonce);
            if (c.hash().toBigInteger().compareTo(RegtestBlocks.PARAMS.powLimit()) > 0) {
                bad = c;
            }
        }
        h.raw.send(new BlockMessage(new Block(bad, good.transactions())));
        return new Outcome.Punished(h.peer);
    }

    /** A correct header and merkle root over two coinbases: bad-cb-multiple. */
    private static Outcome invalidTxBlock(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        Block good = RegtestBlocks.block(Tip.genesis(), 32);
        Transaction secondCoinbase = RegtestBlocks.block(Tip.genesis(), 33).transactions().get(0);
        List<Transaction> txs = List.of(good.transactions().get(0), secondCoinbase);
        h.raw.send(new BlockMessage(withTransactions(good.header(), txs)));
        return new Outcome.Punished(h.peer);
    }

    /**
     * The tip block with its last transaction duplicated: same merkle root, invalid block. The
     * sender is punished, and the real block (same hash) is still accepted from the honest peer.
     */
    private static Outcome mutatedBlock(Victim v) throws Exception {
        Hostile h = v.hostile();
        h.raw.handshake();
        List<Transaction> txs = new ArrayList<>(mutable.transactions());
        txs.add(txs.get(txs.size() - 1));
        assertEquals(mutable.header().merkleRoot(), MerkleTree.root(txs.stream().map(Transaction::txid).toList()));
        Block mutated = new Block(mutable.header(), txs);
        assertEquals(mutable.hash(), mutated.hash());
        assertTrue(v.node.height() < chain.size(), "the real block is not there yet");
        h.raw.send(new BlockMessage(mutated));
        // The harness then waits for the honest tip, which is this very block.
        return new Outcome.Punished(h.peer);
    }

    /**
     * A peer that asks for the 900 kB blocks over and over and never reads: the victim stops
     * answering while its send buffer is full (Core's fPauseSend), so it holds no more than that
     * buffer; the peer is dropped by the ping timeout, not for its send buffer, and is not punished.
     */
    private static Outcome endlessGetData(Victim v) throws Exception {
        Waits.until(() -> v.node.height() >= 153, WAIT, "victim has the large blocks");
        Socket s = new Socket();
        v.closeLater(s);
        s.setReceiveBufferSize(16 * 1024);
        s.connect(v.node.address(), 5000);
        OutputStream out = s.getOutputStream();
        out.write(Frames.encode(MAGIC, RawPeer.version(4242, 0)));
        out.write(Frames.encode(MAGIC, EmptyMessage.VERACK));
        out.flush();
        Peer peer = v.awaitInbound(s.getLocalPort());
        Waits.until(peer::isEstablished, WAIT, "getdata peer established");
        List<InvItem> items = new ArrayList<>();
        for (int i = 0; i < InventoryMessage.MAX_ENTRIES; i++) {
            items.add(new InvItem(InvItem.MSG_WITNESS_BLOCK, bigBlocks.get(i % 3).hash()));
        }
        byte[] getdata = Frames.encode(MAGIC, InventoryMessage.getData(items));
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    out.write(getdata); // blocks once the victim stops reading
                }
            } catch (IOException e) {
                // the victim closed the connection, or the test did
            }
        }, "endless-getdata");
        writer.setDaemon(true);
        writer.start();
        Waits.until(() -> peer.traffic().sentPerMessage().getOrDefault("block", 0L) > 0, WAIT, "blocks served");
        Thread.sleep(500); // long enough to queue all 50,000 blocks (45 GB) if nothing paused
        v.checkRpc();
        assertFalse(peer.isDisconnecting(), "not dropped for asking: " + peer.disconnectReason());
        long sent = peer.traffic().sentPerMessage().getOrDefault("block", 0L);
        assertTrue(sent < GETDATA_SENT_LIMIT, "blocks queued for a peer that never reads: " + sent);
        v.measureHeap();
        return new Outcome.TimedOut(peer, "");
    }

    /**
     * 1,000 TCP connections that never send a byte. Inbound slots are capped (-maxconnections), the
     * excess is evicted or refused at once, the rest is closed by the handshake timeout; an honest
     * inbound peer still gets in, the outbound sync goes on, RPC answers.
     */
    private static Outcome slowloris(Victim v) throws Exception {
        int max = v.node.connman().config().maxInbound();
        List<Socket> sockets = new ArrayList<>();
        int peakPeers = 0;
        try {
            for (int i = 0; i < SLOWLORIS; i++) {
                Socket s = new Socket();
                sockets.add(s);
                s.connect(v.node.address(), 5000);
                if (i % 100 == 99) {
                    peakPeers = Math.max(peakPeers, (int) v.node.connman().peers().stream()
                            .filter(p -> p.isInbound() && !p.isDisconnecting()).count());
                    v.checkRpc();
                }
            }
            v.measureHeap();
            assertTrue(peakPeers <= max, "inbound connections held: " + peakPeers + " > " + max);
            // Once all but a slot-full have been evicted, the victim has taken in the whole flood
            // (a newcomer accepted earlier would be evicted by the silent ones still queued, as in Core).
            List<Socket> open = new ArrayList<>(sockets);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (open.size() > max && System.nanoTime() < deadline) {
                open.removeIf(HostileCasesTest::closedByPeer);
            }
            assertTrue(open.size() <= max, open.size() + " silent connections still open");
            Hostile honest = v.hostile();
            honest.raw.handshake();
            honest.raw.sync();
            // The rest are closed by the handshake timeout.
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                open.removeIf(HostileCasesTest::closedByPeer);
            }
            assertEquals(0, open.size(), "silent connections never closed");
            Waits.until(() -> v.node.connman().peers().size() == 2, WAIT, "only the honest peers left");
            return new Outcome.Ignored(honest.peer);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Whether the other side has closed {@code s} (end of stream or reset), waiting at most 1 ms. */
    private static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The alert system is retired: decoded, ignored, never relayed, never punished. */
    private static Outcome alert(Victim v) throws Exception {
        Hostile watcher = v.hostile();
        watcher.raw.handshake();
        Hostile h = v.hostile();
        h.raw.handshake();
        byte[] body = new byte[180];
        Arrays.fill(body, (byte) 7);
        h.raw.send(new AlertMessage(body, new byte[72]));
        h.raw.sync();
        assertEquals(List.of(), watcher.raw.drainUntilSynced(m -> m instanceof AlertMessage), "alert relayed");
        assertTrue(h.peer.traffic().receivedPerMessage().getOrDefault(AlertMessage.COMMAND, 0L) > 0,
                "alert received and decoded");
        return new Outcome.Ignored(h.peer);
    }

    // ---- the harness -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostilePeerWhileHonestSyncGoesOn(String name, Attack attack) throws Exception {
        ChainstateOptions options = RegtestBlocks.options().withMinimumChainWork(MINIMUM_WORK);
        Path home = dir.resolve("victim-" + (++caseNumber));
        try (SyncNode node = SyncNode.start(home, options, SyncNode.TEST_SYNC, HostileCasesTest::victimP2p);
                RpcServer rpc = startRpc(node);
                Victim v = new Victim(node, rpc)) {
            node.connectTo(source.address());
            Waits.until(() -> node.connman().peers().size() == 1 && node.connman().peers().get(0).isEstablished(),
                    WAIT, "connected to the honest peer");
            Peer honest = node.connman().peers().get(0);
            Outcome outcome = attack.run(v);
            v.checkRpc();
            checkOutcome(name, outcome, node);
            node.awaitTip(source.tip(), Duration.ofSeconds(60));
            assertEquals(source.utxoHash(), node.utxoHash(), name + ": same chain state");
            assertEquals(0, honest.misbehaviourScore(), name + ": honest peer punished");
            assertFalse(honest.isDisconnecting(), name + ": honest peer dropped");
            v.checkRpc();
            v.closeHostiles();
            v.measureHeap();
            assertTrue(v.peakHeap - baselineHeap < HEAP_LIMIT, name + ": heap grew by "
                    + (v.peakHeap - baselineHeap) / (1024 * 1024) + " MiB (limit " + HEAP_LIMIT / (1024 * 1024) + ")");
        }
    }

    private static P2pConfig.Builder victimP2p(P2pConfig.Builder b) {
        // Core's default -maxconnections: with fewer inbound slots than eviction protects (20, plus
        // half the rest) a full node refuses newcomers instead of evicting, as Core does.
        return b.maxConnections(125).handshakeTimeout(Duration.ofSeconds(2)).inactivityTimeout(Duration.ofSeconds(3))
                .pingInterval(Duration.ofMillis(500));
    }

    private static void checkOutcome(String name, Outcome outcome, SyncNode node) {
        if (outcome instanceof Outcome.Punished p) {
            Waits.until(p.peer()::isDisconnecting, WAIT, name + ": hostile peer disconnected");
            String reason = p.peer().disconnectReason().orElse("");
            assertTrue(reason.startsWith("misbehaving"), name + ": " + reason);
            assertTrue(p.peer().misbehaviourScore() >= Peer.DISCOURAGEMENT_THRESHOLD, name + ": score");
        } else if (outcome instanceof Outcome.TimedOut t) {
            Waits.until(t.peer()::isDisconnecting, WAIT, name + ": hostile peer timed out");
            String reason = t.peer().disconnectReason().orElse("");
            assertTrue(reason.startsWith(t.reasonPrefix()) && !reason.startsWith("misbehaving")
                    && !reason.startsWith("send buffer"), name + ": " + reason);
            assertTrue(reason.contains(" s") || reason.contains(" ms"), name + ": a timeout: " + reason);
            assertEquals(0, t.peer().misbehaviourScore(), name + ": score");
        } else if (outcome instanceof Outcome.Ignored i) {
            assertFalse(i.peer().isDisconnecting(), name + ": dropped: " + i.peer().disconnectReason());
            assertEquals(0, i.peer().misbehaviourScore(), name + ": score");
        }
    }

    /** The victim under attack, and what the case opened against it. */
    static final class Victim implements AutoCloseable {
        final SyncNode node;
        final RpcServer rpc;
        private final List<AutoCloseable> opened = new ArrayList<>();
        long peakHeap;

        Victim(SyncNode node, RpcServer rpc) {
            this.node = node;
            this.rpc = rpc;
        }

        /** Opens a raw inbound connection and finds the victim's peer for it. */
        Hostile hostile() throws IOException {
            RawPeer raw = RawPeer.connect(node.address());
            opened.add(raw);
            return new Hostile(raw, awaitInbound(raw.localPort()));
        }

        /** The victim's peer for our connection from local port {@code port}. */
        Peer awaitInbound(int port) {
            Waits.until(() -> inboundFrom(port).isPresent(), WAIT, "inbound connection from port " + port);
            return inboundFrom(port).orElseThrow();
        }

        private Optional<Peer> inboundFrom(int port) {
            return node.connman().peers().stream().filter(p -> p.isInbound() && p.address().port() == port)
                    .findFirst();
        }

        void closeLater(AutoCloseable c) {
            opened.add(c);
        }

        /** getblockcount over HTTP answers the victim's height within the bound. */
        void checkRpc() throws Exception {
            long start = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpc.port() + "/"))
                    .timeout(RPC_BOUND.multipliedBy(2))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "hostile:test".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"getblockcount\",\"id\":1}")).build();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"result\":"), r.body());
            assertTrue(took.compareTo(RPC_BOUND) < 0, "getblockcount took " + took.toMillis() + " ms");
        }

        void measureHeap() {
            peakHeap = Math.max(peakHeap, usedHeapAfterGc());
        }

        void closeHostiles() throws Exception {
            for (AutoCloseable c : opened) {
                c.close();
            }
            opened.clear();
        }

        @Override
        public void close() throws Exception {
            closeHostiles();
        }
    }

    record Hostile(RawPeer raw, Peer peer) {
    }

    private static RpcServer startRpc(SyncNode node) throws Exception {
        RpcRegistry registry = new RpcRegistry();
        registry.register(new RpcMethod("getblockcount", "blockchain", List.of(), "Height of the active chain.", null,
                call -> RpcCall.json().numberNode(node.height())));
        RpcServerConfig config = new RpcServerConfig(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                Subnet.withLocalhost(List.of()), "hostile", "test", null, List.of(), 2, 16, Duration.ofSeconds(30),
                Duration.ofMillis(250));
        registry.setWarmupFinished();
        return RpcServer.start(config, registry);
    }

    static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Block withTransactions(BlockHeader h, List<Transaction> txs) {
        Hash256 root = MerkleTree.root(txs.stream().map(Transaction::txid).toList());
        BlockHeader header = BlockMaker.grind(RegtestBlocks.PARAMS,
                new BlockHeader(h.version(), h.prevBlock(), root, h.time(), h.bits(), 0));
        return new Block(header, txs);
    }

    private static byte[] header(String command, long length, int checksum) {
        ByteWriter w = new ByteWriter();
        w.writeU8(MAGIC >>> 24).writeU8(MAGIC >>> 16).writeU8(MAGIC >>> 8).writeU8(MAGIC);
        w.writeBytes(Arrays.copyOf(command.getBytes(StandardCharsets.US_ASCII), 12));
        return w.writeI32LE((int) length).writeI32LE(checksum).toByteArray();
    }

    private static byte[] frame(String command, byte[] payload) {
        ByteWriter w = new ByteWriter();
        w.writeBytes(header(command, payload.length, Frames.checksum(payload))).writeBytes(payload);
        return w.toByteArray();
    }
}
