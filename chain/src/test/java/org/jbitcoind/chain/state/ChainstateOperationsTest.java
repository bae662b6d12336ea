package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.block;
import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.jbitcoind.chain.state.RegtestBlocks.tipOf;
import static org.jbitcoind.chain.state.RegtestBlocks.utxoHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.storage.BlockStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headers, locators, chain tips, invalidateblock/reconsiderblock/preciousblock, IBD, and recovery after a crash. */
class ChainstateOperationsTest {
    @TempDir
    Path dir;

    @Test
    void headersAreCheckedBeforeTheyEnterTheIndex() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 20, 0);
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            List<BlockHeader> headers = blocks.stream().map(Block::header).toList();
            HeadersResult ok = node.processNewBlockHeaders(headers.subList(0, 10));
            assertEquals(HeadersResult.Status.ACCEPTED, ok.status());
            assertEquals(10, ok.accepted());
            assertEquals(10, node.bestHeader().height());
            assertEquals(0, node.activeChain().height(), "headers alone connect nothing");
            assertTrue(node.chainTips().contains(new ChainTip(10, blocks.get(9).hash(), 10, "headers-only")));

            // A gap: the parent is unknown.
            HeadersResult gap = node.processNewBlockHeaders(headers.subList(11, 12));
            assertEquals(HeadersResult.Status.MISSING_PARENT, gap.status());
            assertEquals("prev-blk-not-found", gap.rejectReason());

            // Proof of work that does not meet the claimed target.
            BlockHeader h11 = headers.get(10);
            BlockHeader weak = h11;
            for (long n = h11.nonce() + 1; ; n++) {
                weak = h11.withNonce(n);
                if (!org.jbitcoind.chain.pow.Pow.checkProofOfWork(weak.hash(), weak.bits(), RegtestBlocks.PARAMS)) {
                    break;
                }
            }
            HeadersResult bad = node.processNewBlockHeaders(List.of(weak));
            assertEquals(HeadersResult.Status.INVALID, bad.status());
            assertEquals("high-hash", bad.rejectReason());

            // Wrong difficulty bits for the context.
            BlockHeader wrongBits = org.jbitcoind.chain.mining.BlockMaker.grind(RegtestBlocks.PARAMS,
                    new BlockHeader(h11.version(), h11.prevBlock(), h11.merkleRoot(), h11.time(), 0x207ffffeL, 0));
            assertEquals("bad-diffbits", node.processNewBlockHeaders(List.of(wrongBits)).rejectReason());

            // A timestamp not after the median of the last eleven.
            BlockHeader old = org.jbitcoind.chain.mining.BlockMaker.grind(RegtestBlocks.PARAMS,
                    new BlockHeader(h11.version(), h11.prevBlock(), h11.merkleRoot(), RegtestBlocks.START_TIME - 100,
                            h11.bits(), 0));
            assertEquals("time-too-old", node.processNewBlockHeaders(List.of(old)).rejectReason());

            // The rest, then the blocks: the chain follows.
            assertEquals(HeadersResult.Status.ACCEPTED, node.processNewBlockHeaders(headers).status());
            feed(node, blocks);
            assertEquals(20, node.activeChain().height());
        }
    }

    @Test
    void locatorAndFindFork() throws Exception {
        List<Block> main = chain(Tip.genesis(), 40, 0);
        Tip at25 = tipOf(Tip.genesis(), main.subList(0, 25));
        List<Block> side = chain(at25, 5, 7);
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            feed(node, main);
            feed(node, side);
            ChainView chain = node.activeChain();
            List<Hash256> locator = chain.locator();
            assertEquals(chain.tip().hash(), locator.get(0));
            assertEquals(RegtestBlocks.PARAMS.genesisHash(), locator.get(locator.size() - 1));
            // Ten one by one, then doubling steps: 40..31, 30, 28, 24, 16, 0.
            List<Integer> heights = new ArrayList<>();
            for (Hash256 h : locator) {
                heights.add(node.getBlockIndex(h).orElseThrow().height());
            }
            assertEquals(List.of(40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 27, 23, 15, 0), heights);

            BlockIndex sideTip = node.getBlockIndex(side.get(4).hash()).orElseThrow();
            List<Hash256> sideLocator = ChainView.locator(sideTip);
            assertEquals(25, node.findFork(sideLocator).height());
            assertEquals(25, chain.findFork(sideTip).height());
            assertEquals(0, node.findFork(List.of(Hash256.ZERO)).height(), "nothing known: genesis");
            assertEquals(40, node.findFork(locator).height());
            assertEquals(main.get(9).hash(), node.getBlockIndex(10).orElseThrow().hash());
            assertNull(chain.next(chain.tip()));

            // getheaders: from the side branch's locator, the main chain after the fork at 25.
            List<BlockHeader> served = node.headersAfter(sideLocator, Hash256.ZERO, 2000);
            assertEquals(15, served.size());
            assertEquals(main.get(25).header(), served.get(0));
            assertEquals(main.get(39).header(), served.get(14));
            assertEquals(3, node.headersAfter(sideLocator, Hash256.ZERO, 3).size());
            assertEquals(2, node.headersAfter(sideLocator, main.get(26).hash(), 2000).size(), "up to stop");
            assertEquals(List.of(main.get(4).header()), node.headersAfter(List.of(), main.get(4).hash(), 2000));
            assertTrue(node.headersAfter(locator, Hash256.ZERO, 2000).isEmpty(), "a peer at our tip gets nothing");
            assertFalse(chain.contains(sideTip));
        }
    }

    @Test
    void invalidateReconsiderAndPrecious() throws Exception {
        List<Block> base = chain(Tip.genesis(), 10, 0);
        Tip baseTip = tipOf(Tip.genesis(), base);
        List<Block> a = chain(baseTip, 3, 1);
        List<Block> b = chain(baseTip, 3, 2);
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            feed(node, base);
            feed(node, a);
            feed(node, b);
            Hash256 aTip = a.get(2).hash();
            Hash256 bTip = b.get(2).hash();
            assertEquals(aTip, node.activeChain().tip().hash(), "first seen wins among equal work");

            node.preciousBlock(bTip);
            assertEquals(bTip, node.activeChain().tip().hash());
            node.preciousBlock(aTip);
            assertEquals(aTip, node.activeChain().tip().hash());

            node.invalidateBlock(a.get(1).hash());
            assertEquals(bTip, node.activeChain().tip().hash());
            BlockIndex a2 = node.getBlockIndex(a.get(1).hash()).orElseThrow();
            BlockIndex a3 = node.getBlockIndex(aTip).orElseThrow();
            assertTrue(BlockStatus.has(a2.status(), BlockStatus.FAILED_VALID));
            assertTrue(BlockStatus.has(a3.status(), BlockStatus.FAILED_CHILD));

            // Invalidating the whole of B too leaves the node on the last common valid block.
            node.invalidateBlock(b.get(0).hash());
            assertEquals(a.get(0).hash(), node.activeChain().tip().hash());
            assertEquals(11, node.activeChain().height());

            node.reconsiderBlock(aTip);
            assertEquals(aTip, node.activeChain().tip().hash());
            assertFalse(BlockStatus.isFailed(a3.status()));
            node.reconsiderBlock(b.get(0).hash());
            assertEquals(aTip, node.activeChain().tip().hash(), "reconsidering an equal-work branch does not switch");

            assertThrows(UnknownBlockException.class, () -> node.invalidateBlock(Hash256.ZERO));
            // Equal UTXO set to a node that saw only base + A.
            try (ChainstateManager ref = RegtestBlocks.open(dir.resolve("ref"))) {
                feed(ref, base);
                feed(ref, a);
                assertEquals(utxoHash(ref), utxoHash(node));
            }
        }
    }

    @Test
    void leavesInitialBlockDownloadOnARecentTip() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 5, 0);
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            assertTrue(node.isInitialBlockDownload(), "genesis from 2011 is too old");
            feed(node, blocks);
            assertFalse(node.isInitialBlockDownload(), "a tip from the last day ends IBD on regtest");
        }
    }

    @Test
    void reconnectsUnflushedBlocksAfterACrash() throws Exception {
        List<Block> first = chain(Tip.genesis(), 30, 0);
        List<Block> second = chain(tipOf(Tip.genesis(), first), 30, 0);
        Hash256 expected;
        try (ChainstateManager ref = RegtestBlocks.open(dir.resolve("ref"))) {
            feed(ref, first);
            feed(ref, second);
            expected = utxoHash(ref);
        }
        Path nodeDir = dir.resolve("node");
        ChainstateManager node = RegtestBlocks.open(nodeDir);
        feed(node, first);
        node.flush();
        feed(node, second);
        node.closeWithoutFlush(); // the UTXO set on disk is at height 30, the blocks up to 60 are stored
        try (ChainstateManager reopened = RegtestBlocks.open(nodeDir)) {
            assertEquals(60, reopened.activeChain().height());
            assertEquals(second.get(29).hash(), reopened.activeChain().tip().hash());
            assertEquals(expected, utxoHash(reopened));
        }
    }

    @Test
    void flushesPeriodicallyAndOnlyThen() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 20, 0);
        Path hourly = dir.resolve("hourly");
        ChainstateManager node = RegtestBlocks.open(hourly);
        feed(node, blocks);
        node.closeWithoutFlush();
        try (org.jbitcoind.storage.ChainDb db = org.jbitcoind.storage.ChainDb.open(hourly,
                RegtestBlocks.PARAMS.network(), RegtestBlocks.dbOptions())) {
            assertTrue(db.getBestBlock().isEmpty(), "nothing due yet: the UTXO set was never written");
        }
        Path often = dir.resolve("often");
        node = RegtestBlocks.open(often, RegtestBlocks.options().withPeriodicFlushMillis(1));
        feed(node, blocks.subList(0, 19));
        Thread.sleep(5); // the 1 ms interval has certainly passed before the last block
        feed(node, blocks.subList(19, 20));
        node.closeWithoutFlush();
        try (org.jbitcoind.storage.ChainDb db = org.jbitcoind.storage.ChainDb.open(often,
                RegtestBlocks.PARAMS.network(), RegtestBlocks.dbOptions())) {
            assertEquals(blocks.get(19).hash(), db.getBestBlock().orElseThrow(), "flushed after the last block");
        }
    }

    @Test
    void flushesWhenTheCacheBudgetIsExceeded() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 50, 0);
        Path nodeDir = dir.resolve("node");
        // A budget of a few coins: every block overflows it, so every block is flushed.
        ChainstateManager node = RegtestBlocks.open(nodeDir, RegtestBlocks.options().withCoinsCacheBytes(1000));
        feed(node, blocks);
        node.closeWithoutFlush();
        try (org.jbitcoind.storage.ChainDb db = org.jbitcoind.storage.ChainDb.open(nodeDir,
                RegtestBlocks.PARAMS.network(), RegtestBlocks.dbOptions())) {
            assertEquals(blocks.get(49).hash(), db.getBestBlock().orElseThrow());
        }
    }
}
