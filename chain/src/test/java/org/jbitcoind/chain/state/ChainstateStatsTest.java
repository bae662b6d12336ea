package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.block;
import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.jbitcoind.chain.state.RegtestBlocks.tipOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.storage.BlockStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitoring figures: one connect counted per block joining the active chain, and the cache size. */
class ChainstateStatsTest {
    @TempDir
    Path dir;

    @Test
    void countsEveryConnectedBlockIncludingGenesisAndReorgs() throws Exception {
        List<Block> base = chain(Tip.genesis(), 5, 0);
        try (ChainstateManager chain = RegtestBlocks.open(dir.resolve("a"))) {
            ChainstateStats stats = chain.stats();
            assertEquals(1, stats.blocksConnected(), "genesis on a fresh data directory");
            feed(chain, base);
            assertEquals(6, stats.blocksConnected());
            assertTrue(stats.connectNanos() > 0);

            // A two-block branch from height 4 wins: one block goes, two come.
            Tip fork = tipOf(Tip.genesis(), base.subList(0, 4));
            List<Block> branch = chain(fork, 2, 1);
            feed(chain, branch);
            assertEquals(6, chain.activeChain().height());
            assertEquals(8, stats.blocksConnected());

            // An invalid block (overpaying coinbase) is not a connect.
            Tip tip = tipOf(fork, branch);
            Block bad = block(tip, 2, List.of(), 0, 1);
            chain.processNewBlock(bad);
            assertTrue((chain.getBlockIndex(bad.hash()).orElseThrow().status() & BlockStatus.FAILED_MASK) != 0);
            assertEquals(6, chain.activeChain().height());
            assertEquals(8, stats.blocksConnected());
        }
    }

    @Test
    void coinsCacheFiguresFollowTheCache() throws Exception {
        try (ChainstateManager chain = RegtestBlocks.open(dir.resolve("b"))) {
            feed(chain, chain(Tip.genesis(), 10, 0));
            ChainstateStats stats = chain.stats();
            // Each block's coinbase output joins the cache (genesis' is unspendable and never stored).
            assertEquals(10, stats.coinsCacheCoins());
            assertTrue(stats.coinsCacheBytes() > 10 * 100, "bytes " + stats.coinsCacheBytes());
        }
        try (ChainstateManager reopened = RegtestBlocks.open(dir.resolve("b"))) {
            assertEquals(0, reopened.stats().blocksConnected(), "nothing to reconnect after a clean close");
            assertEquals(0, reopened.stats().coinsCacheCoins(), "a fresh cache");
        }
    }
}
