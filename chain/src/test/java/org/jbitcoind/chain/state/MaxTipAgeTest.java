package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.primitives.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tip-age half of Core's IsInitialBlockDownload, with -maxtipage set. */
class MaxTipAgeTest {
    private static final List<Block> BLOCKS = chain(Tip.genesis(), 3, 0);
    private static final long TIP_TIME = BLOCKS.get(BLOCKS.size() - 1).header().time();

    @TempDir
    Path dir;

    private boolean ibdAfterFeeding(String name, AtomicLong clock, long maxTipAge) throws Exception {
        ChainstateOptions options = RegtestBlocks.options().withClock(clock::get).withMaxTipAgeSeconds(maxTipAge);
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve(name), options)) {
            feed(node, BLOCKS);
            assertEquals(BLOCKS.size(), node.activeChain().height());
            return node.isInitialBlockDownload();
        }
    }

    @Test
    void defaultIsCoresDay() {
        assertEquals(86_400, ChainstateOptions.defaults(RegtestBlocks.PARAMS).maxTipAgeSeconds());
    }

    @Test
    void aTipOneSecondOlderThanTheMaximumKeepsTheNodeInDownload() throws Exception {
        assertTrue(ibdAfterFeeding("older", new AtomicLong(TIP_TIME + 1000), 999));
    }

    @Test
    void aTipExactlyAsOldAsTheMaximumEndsDownload() throws Exception {
        assertFalse(ibdAfterFeeding("equal", new AtomicLong(TIP_TIME + 1000), 1000));
    }

    @Test
    void aLargeMaximumLetsAMonthOldChainLeaveDownload() throws Exception {
        long monthLater = TIP_TIME + 30L * 86_400;
        assertTrue(ibdAfterFeeding("default", new AtomicLong(monthLater),
                ChainstateOptions.DEFAULT_MAX_TIP_AGE_SECONDS), "a month-old tip is in download by default");
        assertFalse(ibdAfterFeeding("large", new AtomicLong(monthLater), 2_000_000_000L));
    }

    @Test
    void onceOutOfDownloadTheTipAgeNoLongerMatters() throws Exception {
        AtomicLong clock = new AtomicLong(TIP_TIME + 10);
        ChainstateOptions options = RegtestBlocks.options().withClock(clock::get).withMaxTipAgeSeconds(60);
        try (ChainstateManager node = RegtestBlocks.open(dir, options)) {
            feed(node, BLOCKS);
            assertFalse(node.isInitialBlockDownload());
            clock.addAndGet(86_400);
            assertFalse(node.isInitialBlockDownload(), "IBD latches to false, as in Core");
        }
    }

    @Test
    void aNegativeMaximumIsRejected() {
        ChainstateOptions options = RegtestBlocks.options();
        assertThrows(IllegalArgumentException.class, () -> options.withMaxTipAgeSeconds(-1));
    }
}
