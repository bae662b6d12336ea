package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.block;
import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseOut;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseValue;
import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.jbitcoind.chain.state.RegtestBlocks.next;
import static org.jbitcoind.chain.state.RegtestBlocks.spend;
import static org.jbitcoind.chain.state.RegtestBlocks.tipOf;
import static org.jbitcoind.chain.state.RegtestBlocks.utxoHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -prune (automatic and manual) and -txindex. */
class PruneAndTxIndexTest {
    private static final int KEEP = ChainstateOptions.MIN_BLOCKS_TO_KEEP;

    @TempDir
    Path dir;

    @Test
    void automaticPruningKeepsTheLast288BlocksAndStillReorganises() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 400, 0);
        // A target far below the data (tests only: the setting's minimum is 550 MiB) prunes all it may.
        ChainstateOptions opts = RegtestBlocks.options().withPruneTargetBytes(2);
        Path nodeDir = dir.resolve("node");
        Hash256 utxo;
        try (ChainstateManager node = RegtestBlocks.open(nodeDir, opts)) {
            feed(node, blocks);
            assertEquals(400, node.activeChain().height());
            assertPrunedUpTo(node, blocks, 400 - KEEP);

            // A two-block reorg needs the undo data of the last blocks: still there.
            Tip fork = tipOf(Tip.genesis(), blocks.subList(0, 398));
            List<Block> side = chain(fork, 3, 9);
            feed(node, side);
            assertEquals(side.get(2).hash(), node.activeChain().tip().hash());
            utxo = utxoHash(node);
        }
        try (ChainstateManager node = RegtestBlocks.open(nodeDir, opts)) {
            assertEquals(401, node.activeChain().height());
            assertEquals(utxo, utxoHash(node));
            assertTrue(node.getBlock(blocks.get(0).hash()).isEmpty());
        }
    }

    private static void assertPrunedUpTo(ChainstateManager node, List<Block> blocks, int prunedHeight) {
        for (Block b : blocks) {
            int h = node.getBlockIndex(b.hash()).orElseThrow().height();
            boolean stored = node.getBlock(b.hash()).isPresent();
            assertEquals(h > prunedHeight, stored, "block data at height " + h);
            assertEquals(h > prunedHeight, node.getUndo(b.hash()).isPresent(), "undo data at height " + h);
            assertEquals(stored, node.haveBlockData(node.getBlockIndex(b.hash()).orElseThrow()));
        }
    }

    @Test
    void manualPruningOnlyWhenAsked() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 300, 0);
        ChainstateOptions opts = RegtestBlocks.options().withPruneTargetBytes(ChainstateOptions.PRUNE_MANUAL);
        try (ChainstateManager node = RegtestBlocks.open(dir, opts)) {
            feed(node, blocks);
            assertTrue(node.getBlock(blocks.get(0).hash()).isPresent(), "manual mode prunes nothing by itself");
            assertEquals(5, node.pruneBlockchain(5));
            assertPrunedUpTo(node, blocks, 5);
            // Never within 288 blocks of the tip, however high the request.
            assertEquals(300 - KEEP, node.pruneBlockchain(1000));
            assertPrunedUpTo(node, blocks, 300 - KEEP);
        }
    }

    @Test
    void pruningNeedsPruneMode() throws Exception {
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            assertThrows(IllegalStateException.class, () -> node.pruneBlockchain(10));
        }
    }

    @Test
    void txIndexFindsTransactionsOfTheActiveChain() throws Exception {
        List<Block> base = chain(Tip.genesis(), 101, 0);
        Tip baseTip = tipOf(Tip.genesis(), base);
        Transaction spendA = spend(coinbaseOut(base.get(0)), coinbaseValue(base.get(0)), 2, 500);
        Block a = block(baseTip, 1, List.of(spendA), 500, 0);
        Transaction spendB = spend(coinbaseOut(base.get(0)), coinbaseValue(base.get(0)), 3, 700);
        Block b1 = block(baseTip, 2, List.of(spendB), 700, 0);
        Block b2 = block(next(baseTip, b1), 2);
        List<Block> bBranch = new ArrayList<>(List.of(b1, b2));
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("on"), RegtestBlocks.options().withTxIndex(true))) {
            feed(node, base);
            feed(node, List.of(a));
            ChainstateManager.IndexedTransaction found = node.getTransaction(spendA.txid()).orElseThrow();
            assertEquals(spendA, found.transaction());
            assertEquals(a.hash(), found.blockHash());
            Transaction cb = base.get(50).transactions().get(0);
            assertEquals(cb, node.getTransaction(cb.txid()).orElseThrow().transaction());

            feed(node, bBranch);
            assertTrue(node.getTransaction(spendA.txid()).isEmpty(), "disconnected with its block");
            assertEquals(b1.hash(), node.getTransaction(spendB.txid()).orElseThrow().blockHash());
            assertEquals(spendB, node.getTransaction(spendB.txid()).orElseThrow().transaction());
        }
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("off"))) {
            feed(node, base);
            assertFalse(node.getTransaction(base.get(3).transactions().get(0).txid()).isPresent());
        }
    }
}
