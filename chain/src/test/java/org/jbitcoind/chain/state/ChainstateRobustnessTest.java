package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.jbitcoind.chain.state.RegtestBlocks.tipOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.storage.ChainDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers on other threads, failing listeners, invalid headers seen again, damaged databases. */
class ChainstateRobustnessTest {
    @TempDir
    Path dir;

    @Test
    void readersOnOtherThreadsSeeConsistentSnapshotsWhileTheChainMoves() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 300, 0);
        AtomicReference<Throwable> problem = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            Thread reader = new Thread(() -> {
                int lastHeight = 0;
                long deadline = System.currentTimeMillis() + 60_000;
                while (lastHeight < 300 && System.currentTimeMillis() < deadline) {
                    try {
                        ChainView view = node.activeChain();
                        BlockIndex tip = view.tip();
                        // Every height of a snapshot resolves to the block that links to the next one.
                        for (int h = Math.max(1, tip.height() - 20); h <= tip.height(); h++) {
                            if (!view.get(h).prev().equals(view.get(h - 1))) {
                                throw new AssertionError("broken link at " + h);
                            }
                        }
                        if (!view.locator().get(0).equals(tip.hash())) {
                            throw new AssertionError("locator does not start at the tip");
                        }
                        if (tip.height() < lastHeight) {
                            throw new AssertionError("the chain went backwards without a reorg");
                        }
                        assertEquals(tip, node.getBlockIndex(tip.hash()).orElseThrow());
                        lastHeight = tip.height();
                        reads.incrementAndGet();
                    } catch (Throwable t) {
                        problem.set(t);
                        return;
                    }
                }
            }, "reader");
            reader.start();
            feed(node, blocks);
            reader.join(60_000);
            assertTrue(!reader.isAlive(), "reader did not finish");
        }
        if (problem.get() != null) {
            throw new AssertionError(problem.get());
        }
        assertTrue(reads.get() > 0);
    }

    @Test
    void aFailingListenerDoesNotStopTheChain() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 5, 0);
        AtomicInteger connected = new AtomicInteger();
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            node.addListener(new ChainListener() {
                @Override
                public void blockConnected(Block block, BlockIndex index) {
                    throw new IllegalStateException("listener bug");
                }
            });
            node.addListener(new ChainListener() {
                @Override
                public void blockConnected(Block block, BlockIndex index) {
                    connected.incrementAndGet();
                }
            });
            feed(node, blocks);
            assertEquals(5, node.activeChain().height());
            assertEquals(5, connected.get(), "later listeners still hear of every block");
        }
    }

    @Test
    void aHeaderKnownInvalidIsRejectedAsDuplicate() throws Exception {
        List<Block> base = chain(Tip.genesis(), 3, 0);
        Tip t = tipOf(Tip.genesis(), base);
        Block overpaying = RegtestBlocks.block(t, 5, List.of(), 0, 1);
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            feed(node, base);
            assertEquals("bad-cb-amount", node.processNewBlock(overpaying).rejectReason());
            HeadersResult again = node.processNewBlockHeaders(List.of(overpaying.header()));
            assertEquals(HeadersResult.Status.INVALID, again.status());
            assertEquals("duplicate", again.rejectReason());
            assertEquals(overpaying.hash(), again.failedHash());
            BlockProcessResult blockAgain = node.processNewBlock(overpaying);
            assertEquals(BlockProcessResult.Status.DUPLICATE, blockAgain.status(), "its data is already stored");
        }
    }

    @Test
    void unrequestedBlocksAreStoredOnlyIfTheyCouldBecomeTheTip() throws Exception {
        List<Block> base = chain(Tip.genesis(), 10, 0);
        Tip at5 = tipOf(Tip.genesis(), base.subList(0, 5));
        Block stale = RegtestBlocks.block(at5, 9);
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            feed(node, base);
            BlockProcessResult pushed = node.processNewBlock(stale, false);
            assertEquals(BlockProcessResult.Status.NOT_STORED, pushed.status());
            assertTrue(node.getBlock(stale.hash()).isEmpty());
            assertTrue(node.getBlockIndex(stale.hash()).isPresent(), "the header is kept");
            // The same block, asked for, is stored as a valid fork.
            assertEquals(BlockProcessResult.Status.ACCEPTED, node.processNewBlock(stale, true).status());
            assertTrue(node.getBlock(stale.hash()).isPresent());
            // An unrequested block that extends the tip is welcome.
            Block next = RegtestBlocks.block(tipOf(Tip.genesis(), base), 0);
            assertEquals(BlockProcessResult.Status.ACCEPTED, node.processNewBlock(next, false).status());
            assertEquals(11, node.activeChain().height());
        }
    }

    @Test
    void verifyChainFindsMissingUndoData() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 30, 0);
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            feed(node, blocks);
            assertEquals(Optional.empty(), node.verifyChain(3, 30));
            try (ChainDb.Batch b = node.database().batch()) {
                b.deleteUndo(blocks.get(25).hash()).commit(false);
            }
            Optional<String> problem = node.verifyChain(2, 10);
            assertTrue(problem.orElseThrow().contains("undo data of block " + blocks.get(25).hash()), problem.get());
            assertEquals(Optional.empty(), node.verifyChain(3, 3), "the last three blocks are still fine");
            assertThrows(IllegalArgumentException.class, () -> node.verifyChain(5, 1));
        }
    }

    @Test
    void aMarkerNamingAnUnknownBlockStopsStartUpWithAClearError() throws Exception {
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            feed(node, chain(Tip.genesis(), 3, 0));
        }
        try (ChainDb db = ChainDb.open(dir, RegtestBlocks.PARAMS.network(), RegtestBlocks.dbOptions());
             ChainDb.Batch b = db.batch()) {
            b.setBestBlock(Hash256.fromHex("ab".repeat(32))).commit(true);
        }
        ChainstateFailure e = assertThrows(ChainstateFailure.class, () -> RegtestBlocks.open(dir));
        assertTrue(e.getMessage().contains("not in the block index"), e.getMessage());
        assertTrue(e.getMessage().contains("-reindex-chainstate"), e.getMessage());
    }
}
