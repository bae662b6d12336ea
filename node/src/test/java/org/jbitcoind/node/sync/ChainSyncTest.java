package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainListener;

import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers-first sync between in-process nodes, the classic getblocks/inv/getdata exchange from a
 * test peer, and block announcements after initial download.
 */
class ChainSyncTest {
    private static final Duration SYNC = Duration.ofSeconds(60);
    private static final int BLOCKS = 600;
    private static List<Block> chain;

    @TempDir
    Path dir;

    @BeforeAll
    static void mine() {
        chain = RegtestBlocks.spendingChain(BLOCKS);
    }

    @Test
    void nodeSyncsTheMinersChainAndServesItWithGetblocks() throws Exception {
        try (SyncNode a = SyncNode.start(dir.resolve("a")); SyncNode b = SyncNode.start(dir.resolve("b"))) {
            a.feed(chain);
            assertTrue(a.chain().utxoStats(org.jbitcoind.storage.UtxoStats.HashType.HASH_SERIALIZED).txouts()
                    > BLOCKS, "the miner's UTXO set is more than one coinbase per block");
            b.connectTo(a.address());
            b.awaitTip(a.tip(), SYNC);
            assertEquals(a.utxoHash(), b.utxoHash());
            assertEquals(BLOCKS, b.height());

            // C: a test peer that knows only getblocks/inv/getdata gets every block from B, 500 at a time.
            try (RawPeer c = RawPeer.connect(b.address())) {
                c.handshake();
                List<Block> got = new ArrayList<>();
                List<Integer> batches = new ArrayList<>();
                Hash256 last = RegtestBlocks.PARAMS.genesisBlock().hash();
                while (got.size() < BLOCKS) {
                    c.send(new LocatorMessage(LocatorMessage.Kind.GETBLOCKS, ProtocolVersions.PROTOCOL_VERSION,
                            List.of(last), Hash256.ZERO));
                    InventoryMessage inv = (InventoryMessage) c.expect(ChainSyncTest::blockInv, RawPeer.WAIT);
                    batches.add(inv.items().size());
                    List<InvItem> want = new ArrayList<>();
                    for (InvItem i : inv.items()) {
                        want.add(new InvItem(InvItem.MSG_WITNESS_BLOCK, i.hash()));
                    }
                    c.send(InventoryMessage.getData(want));
                    for (int i = 0; i < want.size(); i++) {
                        BlockMessage m = (BlockMessage) c.expect(x -> x instanceof BlockMessage, RawPeer.WAIT);
                        assertEquals(want.get(i).hash(), m.block().hash(), "blocks in the order asked");
                        got.add(m.block());
                    }
                    last = got.get(got.size() - 1).hash();
                    if (batches.size() == 1) {
                        // hashContinue: fetching the batch's last block brings an inv of B's tip.
                        InventoryMessage cont = (InventoryMessage) c.expect(ChainSyncTest::blockInv, RawPeer.WAIT);
                        assertEquals(List.of(new InvItem(InvItem.MSG_BLOCK, b.tip())), cont.items());
                    }
                }
                assertEquals(List.of(500, BLOCKS - 500), batches);
                for (int i = 0; i < BLOCKS; i++) {
                    assertEquals(chain.get(i).hash(), got.get(i).hash());
                    assertEquals(chain.get(i).transactions().size(), got.get(i).transactions().size());
                }

                // After initial download: A mines a block; B learns of it (headers announcement,
                // BIP130) and fetches it; C, which never sent sendheaders, gets an inv.
                Block next = RegtestBlocks.block(RegtestBlocks.tipOf(RegtestBlocks.Tip.genesis(), chain), 7);
                a.feed(List.of(next));
                b.awaitTip(next.hash(), SYNC);
                InventoryMessage announced = (InventoryMessage) c.expect(
                        m -> blockInv(m) && ((InventoryMessage) m).items().get(0).hash().equals(next.hash()),
                        RawPeer.WAIT);
                assertEquals(1, announced.items().size());
                assertEquals(a.utxoHash(), b.utxoHash());
            }
        }
    }

    /**
     * The chain thread stalls on B's first block while A keeps sending: B's queue of blocks awaiting
     * validation passes its bound (twice the in-flight limit), the sync thread waits for the oldest
     * of them, and once the chain thread runs again the download finishes on A's chain.
     */
    @Test
    void downloadWaitsForTheOldestQueuedBlockWhileValidationLagsAndThenCompletes() throws Exception {
        SyncConfig twoInFlight = new SyncConfig(SyncNode.TEST_SYNC.window(), 2, SyncNode.TEST_SYNC.stallTimeout(),
                SyncNode.TEST_SYNC.blockTimeout(), SyncNode.TEST_SYNC.headersTimeout(),
                SyncNode.TEST_SYNC.tickInterval(), SyncNode.TEST_SYNC.progressInterval());
        List<Block> blocks = chain.subList(0, 120);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        try (SyncNode a = SyncNode.start(dir.resolve("a"));
                SyncNode b = SyncNode.start(dir.resolve("b"), twoInFlight, UnaryOperator.identity())) {
            a.feed(blocks);
            b.chain().addListener(new ChainListener() {
                @Override
                public void blockConnected(Block block, BlockIndex index) {
                    if (index.height() == 1) {
                        stalled.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            try {
                b.connectTo(a.address());
                assertTrue(stalled.await(30, TimeUnit.SECONDS), "B's chain thread reached block 1");
                Thread.sleep(500); // A keeps answering B's requests meanwhile
                assertTrue(b.height() <= 1, "the chain thread is held at block 1, B at " + b.height());
            } finally {
                release.countDown(); // before the nodes close: closing waits for the chain thread
            }
            b.awaitTip(a.tip(), SYNC);
            assertEquals(blocks.size(), b.height());
            assertEquals(a.utxoHash(), b.utxoHash());
        }
    }

    @Test
    void getdataOfUnknownBlocksAndTransactionsIsAnsweredNotfound() throws Exception {
        try (SyncNode a = SyncNode.start(dir.resolve("a"))) {
            a.feed(chain.subList(0, 5));
            try (RawPeer c = RawPeer.connect(a.address())) {
                c.handshake();
                Hash256 unknown = Hash256.fromHex("11".repeat(32));
                List<InvItem> asked = List.of(new InvItem(InvItem.MSG_WITNESS_BLOCK, unknown),
                        new InvItem(InvItem.MSG_BLOCK, chain.get(2).hash()),
                        new InvItem(InvItem.MSG_WITNESS_TX, chain.get(2).transactions().get(0).txid()));
                c.send(InventoryMessage.getData(asked));
                BlockMessage block = (BlockMessage) c.expect(m -> m instanceof BlockMessage, RawPeer.WAIT);
                assertEquals(chain.get(2).hash(), block.block().hash());
                assertTrue(!block.block().transactions().get(0).inputs().get(0).hasWitness(),
                        "MSG_BLOCK asks for the block without witness");
                InventoryMessage nf = (InventoryMessage) c.expect(m -> m instanceof InventoryMessage i
                        && i.kind() == InventoryMessage.Kind.NOTFOUND, RawPeer.WAIT);
                assertEquals(List.of(asked.get(0), asked.get(2)), nf.items());
                c.send(InventoryMessage.getData(List.of(new InvItem(InvItem.MSG_WITNESS_BLOCK, chain.get(3).hash()))));
                BlockMessage witness = (BlockMessage) c.expect(m -> m instanceof BlockMessage b
                        && b.block().hash().equals(chain.get(3).hash()), RawPeer.WAIT);
                assertTrue(witness.block().transactions().get(0).inputs().get(0).hasWitness(),
                        "MSG_WITNESS_BLOCK gets the coinbase witness");
            }
        }
    }

    private static boolean blockInv(Message m) {
        return m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.INV && !i.items().isEmpty()
                && i.items().get(0).baseType() == InvItem.MSG_BLOCK;
    }
}
