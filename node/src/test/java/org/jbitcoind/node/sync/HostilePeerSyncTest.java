package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a node syncs from an honest peer, hostile peers connect one after another and each breaks
 * a rule: every one is disconnected for misbehaviour, the honest peer is untouched and the sync
 * completes. A peer that announces a chain but never delivers its blocks is dropped as a staller.
 */
class HostilePeerSyncTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAGIC = Network.REGTEST.magic();

    @TempDir
    Path dir;

    interface Attack {
        void run(RawPeer p) throws IOException;
    }

    private static Map<String, Attack> attacks() {
        Block genesis = RegtestBlocks.PARAMS.genesisBlock();
        Map<String, Attack> m = new LinkedHashMap<>();
        m.put("garbage", p -> {
            byte[] junk = new byte[200];
            Arrays.fill(junk, (byte) 0x5a);
            p.sendRaw(junk);
        });
        m.put("wrong magic", p -> p.sendRaw(Frames.encode(Network.MAIN.magic(), RawPeer.version(5, 0))));
        m.put("bad checksum", p -> {
            byte[] frame = Frames.encode(MAGIC, RawPeer.version(5, 0));
            frame[21] ^= 0x40;
            p.sendRaw(frame);
        });
        m.put("33 MiB length", p -> p.sendRaw(header("block", 33 * 1024 * 1024)));
        m.put("message before version", p -> p.send(new PingMessage(1)));
        m.put("invalid block", p -> {
            p.handshake();
            Block good = RegtestBlocks.block(Tip.genesis(), 99);
            BlockHeader h = good.header();
            // A valid proof of work over a wrong merkle root: bad-txnmrklroot.
            BlockHeader bad = BlockMaker.grind(RegtestBlocks.PARAMS, new BlockHeader(h.version(), h.prevBlock(),
                    Hash256.fromHex("22".repeat(32)), h.time(), h.bits(), 0));
            p.send(new BlockMessage(new Block(bad, good.transactions())));
        });
        m.put("invalid header", p -> {
            p.handshake();
            // Claims a target regtest does not allow at height 1, without the work for it: rejected.
            BlockHeader h = new BlockHeader(BlockMaker.VERSION, genesis.hash(), Hash256.ZERO,
                    genesis.header().time() + 1, 0x1d00ffffL, 0);
            p.send(new HeadersMessage(List.of(h)));
        });
        m.put("headers that do not connect", p -> {
            p.handshake();
            for (int i = 0; i < 60 && !p.isClosed(); i++) {
                BlockHeader h = BlockMaker.grind(RegtestBlocks.PARAMS, new BlockHeader(BlockMaker.VERSION,
                        Hash256.fromHex(String.format("%064x", i + 1)), Hash256.ZERO, genesis.header().time() + 1,
                        RegtestBlocks.PARAMS.powLimitBits(), 0));
                p.send(new HeadersMessage(List.of(h)));
            }
        });
        m.put("non-continuous headers", p -> {
            p.handshake();
            List<Block> two = RegtestBlocks.chain(Tip.genesis(), 3, 98);
            for (int i = 0; i < 10 && !p.isClosed(); i++) {
                p.send(new HeadersMessage(List.of(two.get(0).header(), two.get(2).header())));
            }
        });
        return m;
    }

    @Test
    void hostilePeersAreDroppedWhileTheNodeSyncsFromAnHonestOne() throws Exception {
        List<Block> chain = RegtestBlocks.spendingChain(800);
        try (SyncNode a = SyncNode.start(dir.resolve("a")); SyncNode b = SyncNode.start(dir.resolve("b"))) {
            a.feed(chain);
            b.connectTo(a.address());
            Waits.until(() -> b.connman().peers().size() == 1 && b.connman().peers().get(0).isEstablished(), WAIT,
                    "connected to the honest peer");
            Peer honest = b.connman().peers().get(0);
            int heightAtFirstAttack = -1;
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, Attack> e : attacks().entrySet()) {
                try (RawPeer hostile = RawPeer.connect(b.address())) {
                    Waits.until(() -> b.connman().peers().size() == 2, WAIT, e.getKey() + ": accepted");
                    Peer theirs = b.connman().peers().stream().filter(p -> p != honest).findFirst().orElseThrow();
                    if (heightAtFirstAttack < 0) {
                        heightAtFirstAttack = b.height();
                    }
                    e.getValue().run(hostile);
                    if (!hostile.awaitClosed(WAIT)) {
                        failures.add(e.getKey() + ": not disconnected");
                        continue;
                    }
                    Waits.until(() -> b.connman().peers().size() == 1, WAIT, e.getKey() + ": removed");
                    String reason = theirs.disconnectReason().orElse("");
                    if (!reason.startsWith("misbehaving") || theirs.misbehaviourScore() < Peer.DISCOURAGEMENT_THRESHOLD) {
                        failures.add(e.getKey() + ": " + reason + " score " + theirs.misbehaviourScore());
                    }
                }
            }
            assertEquals(List.of(), failures);
            assertTrue(heightAtFirstAttack < chain.size(), "attacks began while syncing (height "
                    + heightAtFirstAttack + ")");
            b.awaitTip(a.tip(), Duration.ofSeconds(60));
            assertEquals(a.utxoHash(), b.utxoHash());
            assertEquals(0, honest.misbehaviourScore());
            assertFalse(honest.isDisconnecting());
        }
    }

    @Test
    void aPeerThatAnnouncesButNeverDeliversIsDroppedAsStaller() throws Exception {
        List<Block> chain = RegtestBlocks.chain(Tip.genesis(), 200, 5);
        try (SyncNode a = SyncNode.start(dir.resolve("a")); SyncNode b = SyncNode.start(dir.resolve("b"));
                ServerSocket slowServer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            a.feed(chain);
            // The staller: answers getheaders with the whole chain, ignores getdata.
            b.connectTo(new java.net.InetSocketAddress(slowServer.getInetAddress(), slowServer.getLocalPort()));
            try (Socket s = slowServer.accept(); RawPeer slow = RawPeer.wrap(s)) {
                slow.acceptHandshake();
                List<BlockHeader> headers = new ArrayList<>();
                chain.forEach(bl -> headers.add(bl.header()));
                slow.expect(m -> m instanceof LocatorMessage l && l.kind() == LocatorMessage.Kind.GETHEADERS, WAIT);
                slow.send(new HeadersMessage(headers));
                Message getdata = slow.expect(m -> m instanceof InventoryMessage i
                        && i.kind() == InventoryMessage.Kind.GETDATA, WAIT);
                assertEquals(SyncConfig.DEFAULT_IN_FLIGHT, ((InventoryMessage) getdata).items().size());
                assertEquals(new InvItem(InvItem.MSG_WITNESS_BLOCK, chain.get(0).hash()),
                        ((InventoryMessage) getdata).items().get(0), "the download starts at height 1");
                // Now the honest peer arrives; the staller holds the next block, so it must go.
                b.connectTo(a.address());
                assertTrue(slow.awaitClosed(WAIT), "staller disconnected");
                b.awaitTip(a.tip(), WAIT);
            }
        }
    }

    @Test
    void aBlockFoundInvalidOnlyWhenItsParentArrivesStillBlamesItsSender() throws Exception {
        Block parent = RegtestBlocks.block(Tip.genesis(), 11);
        Tip afterParent = RegtestBlocks.next(Tip.genesis(), parent);
        // Well-formed (its header and merkle root are fine) but its coinbase claims one satoshi too
        // many: only connecting it shows bad-cb-amount.
        Block overpaying = RegtestBlocks.block(afterParent, 12, List.of(), 0, 1);
        try (SyncNode b = SyncNode.start(dir.resolve("b")); RawPeer peer = RawPeer.connect(b.address())) {
            peer.handshake();
            peer.send(new HeadersMessage(List.of(parent.header(), overpaying.header())));
            InventoryMessage getdata = (InventoryMessage) peer.expect(m -> m instanceof InventoryMessage i
                    && i.kind() == InventoryMessage.Kind.GETDATA, WAIT);
            assertEquals(2, getdata.items().size());
            // Child first: it is stored, but cannot be connected yet.
            peer.send(new BlockMessage(overpaying));
            Thread.sleep(200);
            assertFalse(peer.isClosed(), "nothing wrong is known yet");
            peer.send(new BlockMessage(parent));
            assertTrue(peer.awaitClosed(WAIT), "disconnected once the child proves invalid");
            b.awaitTip(parent.hash(), WAIT);
            Waits.until(() -> b.connman().peers().isEmpty(), WAIT, "peer removed");
        }
    }

    private static byte[] header(String command, int length) {
        ByteWriter w = new ByteWriter();
        w.writeU8(MAGIC >>> 24).writeU8(MAGIC >>> 16).writeU8(MAGIC >>> 8).writeU8(MAGIC);
        w.writeBytes(Arrays.copyOf(command.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 12));
        return w.writeI32LE(length).writeI32LE(0).toByteArray();
    }
}
