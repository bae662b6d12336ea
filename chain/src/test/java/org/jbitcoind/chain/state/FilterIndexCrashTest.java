package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.jbitcoind.chain.state.RegtestBlocks.tipOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.filterindex.BlockFilterIndex;
import org.jbitcoind.chain.filterindex.FilterEntry;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter index across a crash of the node (chain state stopped without its final flush, so
 * its UTXO set on disk is behind the index): on restart the chain state re-connects the
 * unflushed blocks, the index keeps what it had and resumes from its own marker.
 */
class FilterIndexCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void indexAheadOfTheFlushedChainStateResumesAfterACrash() throws Exception {
        List<Block> first = chain(Tip.genesis(), 40, 0);
        List<Block> second = chain(tipOf(Tip.genesis(), first), 20, 0);
        List<Block> third = chain(tipOf(tipOf(Tip.genesis(), first), second), 10, 0);

        ChainstateManager node = RegtestBlocks.open(dir);
        BlockFilterIndex index = BlockFilterIndex.start(node);
        feed(node, first);
        node.flush();
        feed(node, second);
        assertTrue(index.awaitSynced(WAIT));
        node.closeWithoutFlush();  // the UTXO set on disk is at height 40, the index at 60
        index.close();

        try (ChainstateManager reopened = RegtestBlocks.open(dir)) {
            assertEquals(60, reopened.activeChain().height());
            try (BlockFilterIndex resumed = BlockFilterIndex.start(reopened)) {
                assertEquals(60, resumed.bestBlock().height(), "the marker survived the crash");
                feed(reopened, third);
                assertTrue(resumed.awaitSynced(WAIT));
                assertEquals(10, resumed.blocksIndexed());
                List<Block> all = new ArrayList<>(first);
                all.addAll(second);
                all.addAll(third);
                Hash256 header = FilterEntry.of(BlockFilter.buildBasic(RegtestBlocks.PARAMS.genesisBlock(), List.of()),
                        Hash256.ZERO).header();
                for (Block b : all) {
                    FilterEntry expected = FilterEntry.of(BlockFilter.buildBasic(b, List.of()), header);
                    assertEquals(Optional.of(expected), resumed.entry(b.hash()));
                    header = expected.header();
                }
            }
        }
    }
}
