package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.HeadersMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers presync (low-work anti-DoS): a chain arriving in full batches below the threshold is
 * checked and counted without being stored; once it proves the work it is asked for again from
 * the fork point and stored batch by batch, each batch vouched for by what presync saw (another
 * batch in its place is not stored, and the presync abandoned, as in Core). The peer
 * here is a raw socket serving headers only, so every request the node makes is visible.
 */
class HeadersPresyncTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Regtest headers carry 2 units of work: the threshold lies in the second batch (height 2,100). */
    private static final BigInteger MINIMUM_WORK = BigInteger.valueOf(2 * 2101);
    private static final int LENGTH = 2300;

    @TempDir
    Path dir;

    @Test
    void aChainThatProvesEnoughWorkIsRedownloadedAndStored() throws Exception {
        List<BlockHeader> chain = headers(1);
        try (SyncNode node = start(); RawPeer peer = connect(node)) {
            Hash256 genesis = RegtestBlocks.PARAMS.genesisBlock().hash();
            answerPresync(node, peer, chain);
            // Redownload from the fork point (genesis), this time stored.
            LocatorMessage again = expectGetHeaders(peer);
            assertEquals(genesis, again.locator().get(0), "redownload starts at the fork point");
            peer.send(new HeadersMessage(chain.subList(0, 2000)));
            LocatorMessage next = expectGetHeaders(peer);
            assertEquals(chain.get(1999).hash(), next.locator().get(0));
            assertEquals(2000, node.chain().bestHeader().height(), "first batch stored");
            // The peer found a block since presync: the last batch runs one header further.
            peer.send(new HeadersMessage(chain.subList(2000, LENGTH + 1)));
            Waits.until(() -> node.chain().bestHeader().height() == LENGTH + 1, WAIT, "whole chain stored");
            assertEquals(chain.get(LENGTH).hash(), node.chain().bestHeader().hash());
            assertEquals(0, peerOf(node).misbehaviourScore());
        }
    }

    @Test
    void aDifferentChainOfferedInRedownloadIsNotStored() throws Exception {
        List<BlockHeader> presynced = headers(1);
        List<BlockHeader> other = headers(2);
        try (SyncNode node = start(); RawPeer peer = connect(node)) {
            Peer theirs = peerOf(node);
            answerPresync(node, peer, presynced);
            expectGetHeaders(peer);
            peer.send(new HeadersMessage(other.subList(0, 2000)));
            peer.sync(); // the headers have been handled
            assertEquals(0, node.chain().bestHeader().height(), "nothing of either chain stored");
            for (BlockHeader h : List.of(other.get(0), other.get(1999), presynced.get(0))) {
                assertTrue(node.chain().getBlockIndex(h.hash()).isEmpty(), "stored: " + h.hash());
            }
            // Core abandons the presync without punishment: the peer may simply have reorganised.
            assertEquals(0, theirs.misbehaviourScore());
            assertTrue(!peer.isClosed() && !theirs.isDisconnecting());
            // The abandoned presync is gone: the next batch in its place starts over, not stored.
            peer.send(new HeadersMessage(presynced.subList(0, 2000)));
            expectGetHeaders(peer);
            assertEquals(0, node.chain().bestHeader().height());
        }
    }

    @Test
    void announcementsExtendingADroppedLowWorkChainAreNotCountedAsUnconnecting() throws Exception {
        List<BlockHeader> chain = headers(3);
        try (SyncNode node = start(); RawPeer peer = connect(node)) {
            Peer theirs = peerOf(node);
            expectGetHeaders(peer);
            peer.send(new HeadersMessage(chain.subList(0, 100))); // the whole chain, too little work
            peer.sync();
            // 60 announcements on top, faster than the node's getheaders are answered: without the
            // rule, every tenth would cost 20 and the sixth penalty would drop an honest peer.
            for (int i = 100; i < 160; i++) {
                peer.send(new HeadersMessage(List.of(chain.get(i))));
            }
            peer.sync();
            assertEquals(0, theirs.misbehaviourScore());
            assertTrue(!peer.isClosed() && !theirs.isDisconnecting());
            assertEquals(0, node.chain().bestHeader().height(), "still nothing stored");
        }
    }

    /** Serves the two presync batches; nothing may be stored meanwhile. */
    private static void answerPresync(SyncNode node, RawPeer peer, List<BlockHeader> chain) throws Exception {
        expectGetHeaders(peer);
        peer.send(new HeadersMessage(chain.subList(0, 2000)));
        LocatorMessage cont = expectGetHeaders(peer);
        assertEquals(chain.get(1999).hash(), cont.locator().get(0), "presync continues after its last header");
        assertEquals(0, node.chain().bestHeader().height(), "nothing stored during presync");
        peer.send(new HeadersMessage(chain.subList(2000, LENGTH)));
    }

    private SyncNode start() throws Exception {
        ChainstateOptions options = RegtestBlocks.options().withMinimumChainWork(MINIMUM_WORK);
        return SyncNode.start(dir.resolve("node"), options, SyncNode.TEST_SYNC, UnaryOperator.identity());
    }

    private static RawPeer connect(SyncNode node) throws Exception {
        RawPeer peer = RawPeer.connect(node.address()).answerPings(true);
        peer.handshake();
        return peer;
    }

    private static Peer peerOf(SyncNode node) {
        Waits.until(() -> node.connman().peers().size() == 1, WAIT, "one peer");
        return node.connman().peers().get(0);
    }

    private static LocatorMessage expectGetHeaders(RawPeer peer) throws Exception {
        return (LocatorMessage) peer.expect(m -> m instanceof LocatorMessage l
                && l.kind() == LocatorMessage.Kind.GETHEADERS, WAIT);
    }

    /** {@link #LENGTH} + 1 valid regtest headers on genesis; {@code tag} tells chains apart. */
    private static List<BlockHeader> headers(int tag) {
        Block genesis = RegtestBlocks.PARAMS.genesisBlock();
        List<BlockHeader> out = new ArrayList<>(LENGTH + 1);
        Hash256 prev = genesis.hash();
        for (int i = 0; i <= LENGTH; i++) {
            BlockHeader h = BlockMaker.grind(RegtestBlocks.PARAMS, new BlockHeader(BlockMaker.VERSION, prev,
                    Hash256.fromHex(String.format("%032x%032x", tag, i)), genesis.header().time() + i + 1,
                    RegtestBlocks.PARAMS.powLimitBits(), 0));
            out.add(h);
            prev = h.hash();
        }
        return out;
    }
}
