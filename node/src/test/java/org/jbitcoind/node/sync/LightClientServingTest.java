package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jbitcoind.chain.filterindex.BlockFilterIndex;
import org.jbitcoind.chain.filterindex.FilterEntry;
import org.jbitcoind.chain.filterindex.FilterRequestHandler;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.spv.BloomFilter;
import org.jbitcoind.chain.spv.PartialMerkleTree;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.CFCheckptMessage;
import org.jbitcoind.protocol.message.CFHeadersMessage;
import org.jbitcoind.protocol.message.CFilterMessage;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.FilterAddMessage;
import org.jbitcoind.protocol.message.FilterLoadMessage;
import org.jbitcoind.protocol.message.GetCFCheckptMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFiltersMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIP37 and BIP157 served over P2P by an in-process node to raw test peers: filterload, filteradd
 * and filterclear with getdata MSG_FILTERED_BLOCK, the limits, -peerbloomfilters off, and the three
 * compact filter requests answered from the filter index.
 */
class LightClientServingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] KEY_HASH = bytes(20, 0x11);
    private static final byte[] OTHER_KEY_HASH = bytes(20, 0x22);

    @TempDir
    Path dir;

    /** 101 empty blocks, then a block with A (pays KEY_HASH), B and C (pay OP_TRUE / another key). */
    private record Fixture(List<Block> blocks, Block last, Transaction a, Transaction b, Transaction c) {
    }

    private static Fixture fixture() {
        List<Block> blocks = new ArrayList<>(RegtestBlocks.chain(Tip.genesis(), 101, 1));
        Block cb1 = blocks.get(0);
        Block cb2 = blocks.get(1);
        long v1 = RegtestBlocks.coinbaseValue(cb1);
        Transaction a = tx(RegtestBlocks.coinbaseOut(cb1),
                List.of(new TxOut(v1 / 2, StandardScripts.payToPubkeyHash(KEY_HASH)),
                        new TxOut(v1 - v1 / 2, RegtestBlocks.OP_TRUE)));
        Transaction b = RegtestBlocks.spend(RegtestBlocks.coinbaseOut(cb2), RegtestBlocks.coinbaseValue(cb2), 2, 0);
        Transaction c = tx(new OutPoint(a.txid(), 1),
                List.of(new TxOut(v1 - v1 / 2, StandardScripts.payToPubkeyHash(OTHER_KEY_HASH))));
        Block last = RegtestBlocks.block(RegtestBlocks.tipOf(Tip.genesis(), blocks), 2, List.of(a, b, c), 0, 0);
        blocks.add(last);
        return new Fixture(blocks, last, a, b, c);
    }

    private static Transaction tx(OutPoint in, List<TxOut> outs) {
        return new Transaction(2, List.of(new TxIn(in, new byte[0], TxIn.SEQUENCE_FINAL)), outs, 0);
    }

    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private SyncNode node(String name, boolean bloom) throws Exception {
        return SyncNode.start(dir.resolve(name), RegtestBlocks.options(), SyncNode.TEST_SYNC,
                b -> b.services(P2pConfig.servicesFor(false, bloom, false)),
                chain -> new LightClientServing(bloom, FilterRequestHandler.of(chain, null)));
    }

    private static FilterLoadMessage keyFilter() {
        BloomFilter f = BloomFilter.create(10, 0.000001, 7, BloomFilter.UPDATE_NONE);
        f.insert(KEY_HASH);
        return f.toMessage();
    }

    private static final Predicate<Message> SPV_REPLY = m -> m instanceof MerkleBlockMessage
            || m instanceof TxMessage || m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.NOTFOUND;

    /** getdata MSG_FILTERED_BLOCK for {@code block}: what the node sends back. */
    private static List<Message> filteredBlock(RawPeer p, Block block) throws Exception {
        p.send(InventoryMessage.getData(List.of(new InvItem(InvItem.MSG_FILTERED_BLOCK, block.hash()))));
        return drainUntilMarker(p, SPV_REPLY);
    }

    /**
     * The messages matching {@code match} the node sent before answering a getdata for an unknown
     * block: a ping is answered by the connection layer and may overtake replies of the sync
     * thread, a getdata is answered on the sync thread in order.
     */
    private static List<Message> drainUntilMarker(RawPeer p, Predicate<Message> match) throws Exception {
        InvItem marker = new InvItem(InvItem.MSG_BLOCK, Hash256.fromHex(String.format("%064x", System.nanoTime())));
        InventoryMessage notFound = InventoryMessage.notFound(List.of(marker));
        p.send(InventoryMessage.getData(List.of(marker)));
        return p.collectUntil(notFound::equals, match, WAIT);
    }

    /** The reply is a merkleblock proving exactly {@code expected} (in block order), then those transactions. */
    private static void assertProves(Block block, List<Transaction> expected, List<Message> reply) throws Exception {
        assertEquals(1 + expected.size(), reply.size(), "merkleblock plus " + expected.size() + " tx: " + reply);
        MerkleBlockMessage mb = assertInstanceOf(MerkleBlockMessage.class, reply.get(0));
        assertEquals(block.header(), mb.header());
        assertEquals(block.transactions().size(), mb.totalTransactions());
        PartialMerkleTree.Extracted proof = PartialMerkleTree.fromMessage(mb).extractMatches();
        assertEquals(block.header().merkleRoot(), proof.root());
        assertEquals(expected.stream().map(Transaction::txid).toList(), proof.matches());
        for (int i = 0; i < expected.size(); i++) {
            TxMessage tx = assertInstanceOf(TxMessage.class, reply.get(1 + i));
            assertEquals(expected.get(i).txid(), tx.tx().txid());
            assertArrayEquals(expected.get(i).serializeWithoutWitness(), tx.tx().serializeWithoutWitness());
        }
    }

    @Test
    void filterloadFilteraddFilterclearShapeTheFilteredBlocks() throws Exception {
        Fixture fx = fixture();
        try (SyncNode node = node("n", true); RawPeer p = RawPeer.connect(node.address())) {
            node.feed(fx.blocks());
            long services = p.handshake().services();
            assertTrue((services & ProtocolVersions.NODE_BLOOM) != 0, "NODE_BLOOM advertised");

            // No filter yet: Core sends nothing for a filtered block.
            assertEquals(List.of(), filteredBlock(p, fx.last()));

            p.send(keyFilter());
            assertProves(fx.last(), List.of(fx.a()), filteredBlock(p, fx.last()));
            // A block without matches: the merkleblock alone, proving nothing.
            assertProves(fx.blocks().get(5), List.of(), filteredBlock(p, fx.blocks().get(5)));

            p.send(new FilterAddMessage(fx.c().txid().bytes()));
            assertProves(fx.last(), List.of(fx.a(), fx.c()), filteredBlock(p, fx.last()));

            p.send(EmptyMessage.FILTERCLEAR);
            assertEquals(List.of(), filteredBlock(p, fx.last()));

            // A new filter after the clear works as the first one did.
            p.send(keyFilter());
            assertProves(fx.last(), List.of(fx.a()), filteredBlock(p, fx.last()));
            assertFalse(p.isClosed());
            assertEquals(0, node.connman().peers().get(0).misbehaviourScore());
        }
    }

    @Test
    void anUnknownFilteredBlockIsNotFoundAndAFilteredWitnessBlockIsIgnored() throws Exception {
        Fixture fx = fixture();
        try (SyncNode node = node("n", true); RawPeer p = RawPeer.connect(node.address())) {
            node.feed(fx.blocks());
            p.handshake();
            p.send(keyFilter());
            Hash256 unknown = Hash256.fromHex("33".repeat(32));
            p.send(InventoryMessage.getData(List.of(new InvItem(InvItem.MSG_FILTERED_BLOCK, unknown),
                    new InvItem(InvItem.MSG_FILTERED_BLOCK | InvItem.MSG_WITNESS_FLAG, fx.last().hash()))));
            List<Message> reply = drainUntilMarker(p, SPV_REPLY);
            assertEquals(List.of(InventoryMessage.notFound(List.of(new InvItem(InvItem.MSG_FILTERED_BLOCK, unknown)))),
                    reply);
        }
    }

    private static void assertDiscouraged(SyncNode node, RawPeer p, Message bad) throws Exception {
        Peer theirs = node.connman().peers().get(0);
        p.send(bad);
        assertTrue(p.awaitClosed(WAIT), bad.command() + ": disconnected");
        assertTrue(theirs.disconnectReason().orElse("").startsWith("misbehaving"), theirs.disconnectReason().toString());
        assertTrue(theirs.misbehaviourScore() >= Peer.DISCOURAGEMENT_THRESHOLD);
    }

    @Test
    void anOversizedFilterIsMisbehaviour() throws Exception {
        try (SyncNode node = node("n", true); RawPeer p = RawPeer.connect(node.address())) {
            p.handshake();
            Waits.until(() -> node.connman().peers().size() == 1, WAIT, "peer registered");
            assertDiscouraged(node, p, new FilterLoadMessage(new byte[FilterLoadMessage.MAX_FILTER_SIZE + 1], 5, 0, 0));
        }
    }

    @Test
    void tooManyHashFunctionsIsMisbehaviour() throws Exception {
        try (SyncNode node = node("n", true); RawPeer p = RawPeer.connect(node.address())) {
            p.handshake();
            Waits.until(() -> node.connman().peers().size() == 1, WAIT, "peer registered");
            assertDiscouraged(node, p, new FilterLoadMessage(new byte[100], FilterLoadMessage.MAX_HASH_FUNCTIONS + 1,
                    0, 0));
        }
    }

    @Test
    void filteraddWithoutAFilterIsMisbehaviour() throws Exception {
        try (SyncNode node = node("n", true); RawPeer p = RawPeer.connect(node.address())) {
            p.handshake();
            Waits.until(() -> node.connman().peers().size() == 1, WAIT, "peer registered");
            assertDiscouraged(node, p, new FilterAddMessage(new byte[32]));
        }
    }

    @Test
    void anOversizedFilteraddElementIsMisbehaviour() throws Exception {
        try (SyncNode node = node("n", true); RawPeer p = RawPeer.connect(node.address())) {
            p.handshake();
            Waits.until(() -> node.connman().peers().size() == 1, WAIT, "peer registered");
            p.send(keyFilter());
            p.sync();
            assertDiscouraged(node, p, new FilterAddMessage(new byte[FilterAddMessage.MAX_DATA_SIZE + 1]));
        }
    }

    @Test
    void withoutPeerbloomfiltersEachBloomMessageDisconnects() throws Exception {
        List<Message> messages = List.of(keyFilter(), new FilterAddMessage(new byte[32]), EmptyMessage.FILTERCLEAR);
        try (SyncNode node = node("n", false)) {
            for (Message m : messages) {
                try (RawPeer p = RawPeer.connect(node.address())) {
                    long services = p.handshake().services();
                    assertEquals(0, services & ProtocolVersions.NODE_BLOOM, "NODE_BLOOM not advertised");
                    Waits.until(() -> node.connman().peers().size() == 1, WAIT, "peer registered");
                    Peer theirs = node.connman().peers().get(0);
                    p.send(m);
                    assertTrue(p.awaitClosed(WAIT), m.command() + " disconnects");
                    assertEquals(m.command() + " without NODE_BLOOM", theirs.disconnectReason().orElse(""));
                    // Core disconnects without a misbehaviour score.
                    assertEquals(0, theirs.misbehaviourScore());
                    Waits.until(() -> node.connman().peers().isEmpty(), WAIT, "peer removed");
                }
            }
        }
    }

    @Test
    void compactFilterRequestsAreAnsweredFromTheIndex() throws Exception {
        Fixture fx = fixture();
        BlockFilterIndex[] index = new BlockFilterIndex[1];
        Function<ChainstateManager, LightClientServing> serving = chain -> {
            try {
                index[0] = BlockFilterIndex.start(chain);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return new LightClientServing(false, FilterRequestHandler.of(chain, index[0]));
        };
        try (SyncNode node = SyncNode.start(dir.resolve("n"), RegtestBlocks.options(), SyncNode.TEST_SYNC,
                b -> b.services(P2pConfig.servicesFor(false, false, true)), serving)) {
            try {
                node.feed(fx.blocks());
                assertTrue(index[0].awaitSynced(WAIT), "index synced");
                List<Block> blocks = fx.blocks();
                Block stop = blocks.get(blocks.size() - 1);
                int stopHeight = blocks.size();
                try (RawPeer p = RawPeer.connect(node.address())) {
                    long services = p.handshake().services();
                    assertTrue((services & ProtocolVersions.NODE_COMPACT_FILTERS) != 0);

                    int start = stopHeight - 9;
                    p.send(new GetCFiltersMessage(BlockFilter.TYPE_BASIC, start, stop.hash()));
                    List<Message> filters = drainUntilMarker(p, m -> m instanceof CFilterMessage);
                    assertEquals(10, filters.size());
                    for (int i = 0; i < 10; i++) {
                        Block b = blocks.get(start - 1 + i);
                        CFilterMessage f = (CFilterMessage) filters.get(i);
                        assertEquals(b.hash(), f.blockHash());
                        assertArrayEquals(index[0].entry(b.hash()).orElseThrow().filter(), f.filter());
                    }

                    p.send(new GetCFHeadersMessage(BlockFilter.TYPE_BASIC, start, stop.hash()));
                    CFHeadersMessage h = (CFHeadersMessage) p.expect(m -> m instanceof CFHeadersMessage, WAIT);
                    assertEquals(stop.hash(), h.stopHash());
                    assertEquals(index[0].entry(blocks.get(start - 2).hash()).orElseThrow().header(),
                            h.previousFilterHeader());
                    List<Hash256> expectedHashes = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        FilterEntry e = index[0].entry(blocks.get(start - 1 + i).hash()).orElseThrow();
                        expectedHashes.add(e.filterHash());
                    }
                    assertEquals(expectedHashes, h.filterHashes());

                    p.send(new GetCFCheckptMessage(BlockFilter.TYPE_BASIC, stop.hash()));
                    CFCheckptMessage c = (CFCheckptMessage) p.expect(m -> m instanceof CFCheckptMessage, WAIT);
                    assertEquals(stop.hash(), c.stopHash());
                    assertEquals(List.of(), c.filterHeaders(), "no checkpoint below height 1000");
                    assertFalse(p.isClosed());
                }
                assertBadRequestDisconnects(node, new GetCFiltersMessage(1, 1, stop.hash()));
                assertBadRequestDisconnects(node, new GetCFHeadersMessage(BlockFilter.TYPE_BASIC, stopHeight + 1,
                        stop.hash()));
                assertBadRequestDisconnects(node, new GetCFCheckptMessage(BlockFilter.TYPE_BASIC,
                        Hash256.fromHex("44".repeat(32))));
            } finally {
                if (index[0] != null) {
                    index[0].close();
                }
            }
        }
    }

    @Test
    void withoutPeerblockfiltersAFilterRequestDisconnects() throws Exception {
        try (SyncNode node = node("n", false)) {
            try (RawPeer p = RawPeer.connect(node.address())) {
                assertEquals(0, p.handshake().services() & ProtocolVersions.NODE_COMPACT_FILTERS);
            }
            Waits.until(() -> node.connman().peers().isEmpty(), WAIT, "first peer removed");
            assertBadRequestDisconnects(node, new GetCFCheckptMessage(BlockFilter.TYPE_BASIC, node.tip()));
        }
    }

    private static void assertBadRequestDisconnects(SyncNode node, Message bad) throws Exception {
        try (RawPeer p = RawPeer.connect(node.address())) {
            p.handshake();
            Waits.until(() -> node.connman().peers().size() == 1, WAIT, "peer registered");
            Peer theirs = node.connman().peers().get(0);
            p.send(bad);
            Predicate<Message> any = m -> m.command().startsWith("cf");
            assertTrue(p.poll(any, Duration.ofMillis(200)).isEmpty(), "no reply to " + bad);
            assertTrue(p.awaitClosed(WAIT), bad + " disconnects");
            assertTrue(theirs.disconnectReason().orElse("").startsWith(bad.command()),
                    theirs.disconnectReason().toString());
            Waits.until(() -> node.connman().peers().isEmpty(), WAIT, "peer removed");
        }
    }
}
