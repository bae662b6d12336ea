package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.block;
import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseOut;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseValue;
import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.jbitcoind.chain.state.RegtestBlocks.muhash;
import static org.jbitcoind.chain.state.RegtestBlocks.next;
import static org.jbitcoind.chain.state.RegtestBlocks.spend;
import static org.jbitcoind.chain.state.RegtestBlocks.tipOf;
import static org.jbitcoind.chain.state.RegtestBlocks.utxoHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.BlockStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reorganisations built from mined regtest blocks: after each, the UTXO set must hash exactly as
 * that of a node that only ever saw the winning branch.
 */
class ReorgTest {
    @TempDir
    Path dir;

    /** Base chain of {@code n} blocks on genesis. */
    private static List<Block> base(int n) {
        return chain(Tip.genesis(), n, 0);
    }

    /**
     * A branch of {@code n} blocks on {@code from} whose block i spends the coinbase of
     * {@code spendable.get(i)} (when there is one) into {@code parts} outputs; block {@code badAt}
     * (or none if negative) overpays its coinbase by one satoshi.
     */
    private static List<Block> branch(Tip from, int n, int tag, List<Block> spendable, int parts, int badAt) {
        List<Block> out = new ArrayList<>();
        Tip t = from;
        for (int i = 0; i < n; i++) {
            List<Transaction> txs = new ArrayList<>();
            long fee = 0;
            if (i < spendable.size()) {
                Block src = spendable.get(i);
                fee = 1000L * (tag + 1);
                txs.add(spend(coinbaseOut(src), coinbaseValue(src), parts, fee));
            }
            Block b = block(t, tag, txs, fee, i == badAt ? 1 : 0);
            out.add(b);
            t = next(t, b);
        }
        return out;
    }

    private Hash256[] reference(String name, List<Block> base, List<Block> winner) throws Exception {
        try (ChainstateManager ref = RegtestBlocks.open(dir.resolve(name))) {
            feed(ref, base);
            feed(ref, winner);
            return new Hash256[] {utxoHash(ref), muhash(ref)};
        }
    }

    @Test
    void oneBlockReorg() throws Exception {
        List<Block> base = base(10);
        Tip baseTip = tipOf(Tip.genesis(), base);
        Block a11 = block(baseTip, 1);
        List<Block> b = chain(baseTip, 2, 2);
        List<Block> disconnected = new ArrayList<>();
        List<Hash256> tips = new ArrayList<>();
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("node"))) {
            node.addListener(new ChainListener() {
                @Override
                public void blockDisconnected(Block block, BlockIndex index) {
                    disconnected.add(block);
                }

                @Override
                public void newTip(BlockIndex tip, BlockIndex fork, boolean ibd) {
                    tips.add(tip.hash());
                }
            });
            feed(node, base);
            feed(node, List.of(a11));
            assertEquals(a11.hash(), node.activeChain().tip().hash());
            Hash256 onA = utxoHash(node);
            feed(node, List.of(b.get(0)));
            assertEquals(a11.hash(), node.activeChain().tip().hash(), "equal work: the first seen stays");
            feed(node, List.of(b.get(1)));
            assertEquals(b.get(1).hash(), node.activeChain().tip().hash());
            assertEquals(12, node.activeChain().height());
            assertEquals(List.of(a11.hash()), disconnected.stream().map(Block::hash).toList());
            assertEquals(b.get(1).hash(), tips.get(tips.size() - 1));
            Hash256 onB = utxoHash(node);
            assertNotEquals(onA, onB);
            Hash256[] ref = reference("ref", base, b);
            assertEquals(ref[0], onB);
            assertEquals(ref[1], muhash(node));
            // The old tip is now a valid fork of length one.
            ChainTip fork = node.chainTips().stream().filter(t -> t.hash().equals(a11.hash())).findFirst().orElseThrow();
            assertEquals(new ChainTip(11, a11.hash(), 1, "valid-fork"), fork);
        }
    }

    @Test
    void hundredBlockReorgWithSpends() throws Exception {
        List<Block> base = base(110);
        Tip baseTip = tipOf(Tip.genesis(), base);
        // Coinbases of heights 1..10 are mature at height 111 on.
        List<Block> spendable = base.subList(0, 10);
        List<Block> a = branch(baseTip, 100, 1, spendable, 2, -1);
        List<Block> b = branch(baseTip, 101, 2, spendable, 3, -1);
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("node"))) {
            feed(node, base);
            feed(node, a);
            assertEquals(210, node.activeChain().height());
            feed(node, b);
            assertEquals(211, node.activeChain().height());
            assertEquals(b.get(100).hash(), node.activeChain().tip().hash());
            Hash256[] ref = reference("ref", base, b);
            assertEquals(ref[0], utxoHash(node));
            assertEquals(ref[1], muhash(node));
            // The coins of branch A's spends are gone, those of B are there.
            Transaction aSpend = a.get(0).transactions().get(1);
            Transaction bSpend = b.get(0).transactions().get(1);
            assertTrue(node.getCoin(new OutPoint(aSpend.txid(), 0)).isEmpty());
            assertTrue(node.getCoin(new OutPoint(bSpend.txid(), 2)).isPresent());

            // And back: A grows past B.
            List<Block> aMore = chain(tipOf(baseTip, a), 2, 1);
            feed(node, aMore);
            List<Block> aAll = new ArrayList<>(a);
            aAll.addAll(aMore);
            assertEquals(aMore.get(1).hash(), node.activeChain().tip().hash());
            assertEquals(reference("ref2", base, aAll)[0], utxoHash(node));
        }
    }

    @Test
    void deepReorgWithATinyCacheFlushesOnTheWayAndSurvivesACrash() throws Exception {
        List<Block> base = base(110);
        Tip baseTip = tipOf(Tip.genesis(), base);
        List<Block> spendable = base.subList(0, 10);
        List<Block> a = branch(baseTip, 100, 1, spendable, 2, -1);
        List<Block> b = branch(baseTip, 101, 2, spendable, 3, -1);
        Path nodeDir = dir.resolve("node");
        // Every block, connected or disconnected, overflows a 1,000-byte cache: each step is flushed.
        ChainstateManager node = RegtestBlocks.open(nodeDir, RegtestBlocks.options().withCoinsCacheBytes(1000));
        feed(node, base);
        feed(node, a);
        feed(node, b);
        node.closeWithoutFlush(); // no final flush: what is on disk is what the budget flushes wrote
        try (ChainstateManager reopened = RegtestBlocks.open(nodeDir)) {
            assertEquals(b.get(100).hash(), reopened.activeChain().tip().hash());
            assertEquals(reference("ref", base, b)[0], utxoHash(reopened));
        }
    }

    @Test
    void reorgOntoBranchInvalidHalfwayEndsOnBestValidPrefix() throws Exception {
        List<Block> base = base(110);
        Tip baseTip = tipOf(Tip.genesis(), base);
        List<Block> spendable = base.subList(0, 10);
        List<Block> a = branch(baseTip, 30, 1, spendable, 2, -1);
        List<Block> c = branch(baseTip, 120, 3, spendable, 4, 59);
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("node"))) {
            feed(node, base);
            feed(node, a);
            feed(node, c.subList(0, 59));
            assertEquals(c.get(58).hash(), node.activeChain().tip().hash());
            BlockProcessResult bad = node.processNewBlock(c.get(59));
            assertEquals(BlockProcessResult.Status.INVALID, bad.status());
            assertEquals("bad-cb-amount", bad.rejectReason());
            BlockProcessResult child = node.processNewBlock(c.get(60));
            assertEquals(BlockProcessResult.Status.INVALID, child.status());
            assertEquals("bad-prevblk", child.rejectReason());
            // As in Core, a header on an invalid parent is not added, so its own children have no known parent.
            for (Block after : c.subList(61, 120)) {
                BlockProcessResult r = node.processNewBlock(after);
                assertEquals(BlockProcessResult.Status.MISSING_PARENT, r.status());
                assertEquals("prev-blk-not-found", r.rejectReason());
            }
            assertEquals(c.get(58).hash(), node.activeChain().tip().hash());
            assertEquals(reference("ref", base, c.subList(0, 59))[0], utxoHash(node));
            assertTrue(node.chainTips().stream().anyMatch(t -> t.hash().equals(c.get(59).hash())
                    && t.status().equals("invalid")));
            assertEquals(c.get(58).hash(), node.bestHeader().hash());
        }
    }

    @Test
    void reorgOntoLongerBranchThatFailsReturnsToOldChain() throws Exception {
        List<Block> base = base(110);
        Tip baseTip = tipOf(Tip.genesis(), base);
        List<Block> spendable = base.subList(0, 10);
        List<Block> a = branch(baseTip, 80, 1, spendable, 2, -1);
        List<Block> c = branch(baseTip, 90, 3, spendable, 4, 59);
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("node"))) {
            List<String> invalid = new ArrayList<>();
            node.addListener(new ChainListener() {
                @Override
                public void blockInvalid(BlockIndex index, String rejectReason) {
                    invalid.add(index.hash() + " " + rejectReason);
                }
            });
            feed(node, base);
            feed(node, a);
            Hash256 onA = utxoHash(node);
            // Headers first, as from a peer: the node sees C's work before its blocks.
            HeadersResult h = node.processNewBlockHeaders(c.stream().map(Block::header).toList());
            assertEquals(HeadersResult.Status.ACCEPTED, h.status());
            assertEquals(c.get(89).hash(), node.bestHeader().hash());
            // Blocks of C arrive; once all 81+ are in, the node tries C and hits the bad block.
            for (int i = 0; i < 59; i++) {
                assertEquals(BlockProcessResult.Status.ACCEPTED, node.processNewBlock(c.get(i)).status());
            }
            // Out of order: the later blocks first, then the bad one that links them.
            for (int i = 60; i < 90; i++) {
                assertEquals(BlockProcessResult.Status.ACCEPTED, node.processNewBlock(c.get(i)).status());
            }
            assertEquals(a.get(79).hash(), node.activeChain().tip().hash());
            BlockProcessResult r = node.processNewBlock(c.get(59));
            assertEquals(BlockProcessResult.Status.INVALID, r.status());
            assertEquals("bad-cb-amount", r.rejectReason());
            assertEquals(a.get(79).hash(), node.activeChain().tip().hash());
            assertEquals(onA, utxoHash(node));
            assertEquals(reference("ref", base, a)[0], utxoHash(node));
            assertEquals(a.get(79).hash(), node.bestHeader().hash(), "best header falls back off the invalid branch");
            assertEquals(List.of(c.get(59).hash() + " bad-cb-amount"), invalid, "the culprit, not its descendants");
            BlockIndex child = node.getBlockIndex(c.get(70).hash()).orElseThrow();
            assertTrue(BlockStatus.has(child.status(), BlockStatus.FAILED_CHILD));
            assertFalse(node.activeChain().contains(child));
        }
    }
}
