package org.jbitcoind.chain.filterindex;

import static org.jbitcoind.chain.state.RegtestBlocks.feed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.CFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index over mined regtest chains: equal to filters built directly (spent scripts known by
 * construction), headers chained from genesis, following new blocks, resuming after a restart,
 * catching up when enabled on an existing chain, and following reorganisations.
 */
class BlockFilterIndexTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * The regtest genesis block's basic filter (its one P2PK output script, keyed by the regtest
     * genesis hash) and filter header (previous header zero): the values other BIP158
     * implementations publish as their regtest starting point (e.g. Wasabi Wallet's regtest
     * starting filter header).
     */
    private static final String REGTEST_GENESIS_FILTER = "014756c0";
    private static final String REGTEST_GENESIS_FILTER_HEADER = "485e301e4509d7f0d954bf5b529f3ecef68c5191fd0e635f775c1d0266dc5a2b";

    @TempDir
    Path dir;

    private static void assertIndexed(BlockFilterIndex index, ChainView active, List<FilterEntry> expected) {
        assertEquals(expected.size() - 1, active.height());
        for (int h = 0; h < expected.size(); h++) {
            Hash256 hash = active.get(h).hash();
            assertEquals(Optional.of(expected.get(h)), index.entry(hash), "entry at height " + h);
        }
    }

    private static BlockFilterIndex startSynced(ChainstateManager chain) throws Exception {
        BlockFilterIndex index = BlockFilterIndex.start(chain);
        assertTrue(index.awaitSynced(WAIT), "index syncs");
        assertTrue(index.hasCaughtUp());
        return index;
    }

    @Test
    void indexOverMinedChainEqualsFiltersBuiltDirectlyAndFollowsNewBlocks() throws Exception {
        MinedChain mined = MinedChain.build(130);
        List<FilterEntry> expected = mined.expectedEntries();
        try (ChainstateManager chain = RegtestBlocks.open(dir);
             BlockFilterIndex index = startSynced(chain)) {
            Hash256 genesis = chain.activeChain().genesis().hash();
            assertEquals(REGTEST_GENESIS_FILTER_HEADER, index.filterHeader(genesis).orElseThrow().toString());
            assertEquals(REGTEST_GENESIS_FILTER, Hex.encode(index.entry(genesis).orElseThrow().filter()));
            assertEquals(expected.get(0).header(), index.filterHeader(genesis).orElseThrow());

            feed(chain, mined.blocks.subList(0, 110));
            assertTrue(index.awaitSynced(WAIT));
            feed(chain, mined.blocks.subList(110, 130));
            assertTrue(index.awaitSynced(WAIT));
            assertTrue(index.isSynced());
            assertEquals(chain.activeChain().tip(), index.bestBlock());
            assertIndexed(index, chain.activeChain(), expected);
            assertEquals(131, index.blocksIndexed());
            assertEquals(Optional.empty(), index.failure());

            // The stored filter matches what the block created and spent, and not what it left out.
            Hash256 b120 = chain.activeChain().get(120).hash();
            BlockFilter f = index.filter(b120).orElseThrow();
            assertTrue(f.match(MinedChain.script(120, 0)));
            assertTrue(f.match(MinedChain.script(120, 1)));
            assertTrue(f.match(MinedChain.script(119, 0)), "spent script from the undo data");
            assertTrue(f.match(RegtestBlocks.OP_TRUE));
            assertFalse(f.match(new byte[] {0x6a, 0x01, 120}), "OP_RETURN outputs are not in the filter");
            assertFalse(f.match(MinedChain.script(119, 1)), "an output neither created nor spent here");
        }
    }

    @Test
    void restartResumesFromTheStoredBestBlock() throws Exception {
        MinedChain mined = MinedChain.build(130);
        List<FilterEntry> expected = mined.expectedEntries();
        try (ChainstateManager chain = RegtestBlocks.open(dir)) {
            try (BlockFilterIndex index = startSynced(chain)) {
                feed(chain, mined.blocks.subList(0, 80));
                assertTrue(index.awaitSynced(WAIT));
            }
            // Blocks connected while the index is off are picked up at the next start.
            feed(chain, mined.blocks.subList(80, 105));
        }
        try (ChainstateManager chain = RegtestBlocks.open(dir)) {
            assertEquals(Optional.of(chain.activeChain().get(80).hash()), chain.database().getIndexBestBlock(BlockFilterIndex.NAME));
            try (BlockFilterIndex index = startSynced(chain)) {
                feed(chain, mined.blocks.subList(105, 130));
                assertTrue(index.awaitSynced(WAIT));
                assertEquals(50, index.blocksIndexed(), "only the blocks after height 80 are indexed again");
                assertIndexed(index, chain.activeChain(), expected);
            }
        }
    }

    @Test
    void enablingOnAnExistingChainCatchesUp() throws Exception {
        MinedChain mined = MinedChain.build(130);
        try (ChainstateManager chain = RegtestBlocks.open(dir)) {
            feed(chain, mined.blocks);
            assertEquals(Optional.empty(), chain.database().getIndexBestBlock(BlockFilterIndex.NAME));
            try (BlockFilterIndex index = startSynced(chain)) {
                assertEquals(131, index.blocksIndexed());
                assertIndexed(index, chain.activeChain(), mined.expectedEntries());
            }
        }
    }

    @Test
    void oneBlockAndDeeperReorgsLeaveHeadersFollowingTheActiveChain() throws Exception {
        List<Block> base = RegtestBlocks.chain(Tip.genesis(), 20, 0);
        Tip baseTip = RegtestBlocks.tipOf(Tip.genesis(), base);
        List<Block> a = RegtestBlocks.chain(baseTip, 1, 1);
        List<Block> b = RegtestBlocks.chain(baseTip, 2, 2);
        Tip forkAt15 = RegtestBlocks.tipOf(Tip.genesis(), base.subList(0, 15));
        List<Block> c = RegtestBlocks.chain(forkAt15, 10, 3);
        Hash256 genesisHeader = FilterEntry.of(BlockFilter.buildBasic(RegtestBlocks.PARAMS.genesisBlock(), List.of()),
                Hash256.ZERO).header();
        List<FilterEntry> baseEntries = MinedChain.expectedEntries(base, genesisHeader);

        try (ChainstateManager chain = RegtestBlocks.open(dir);
             BlockFilterIndex index = startSynced(chain)) {
            feed(chain, base);
            feed(chain, a);
            assertTrue(index.awaitSynced(WAIT));
            List<FilterEntry> aEntries = MinedChain.expectedEntries(a, baseEntries.get(19).header());
            assertEquals(Optional.of(aEntries.get(0)), index.entry(a.get(0).hash()));

            // One-block reorg: b (two blocks) replaces a at height 21.
            feed(chain, b);
            assertEquals(b.get(1).hash(), chain.activeChain().tip().hash());
            assertTrue(index.awaitSynced(WAIT));
            List<FilterEntry> bEntries = MinedChain.expectedEntries(b, baseEntries.get(19).header());
            assertChainHeaders(chain, index, base.subList(0, 20), baseEntries, b, bEntries);
            assertEquals(Optional.of(aEntries.get(0)), index.entry(a.get(0).hash()), "the stale block keeps its entry");

            // Seven-block reorg: c forks at height 15 and reaches height 25.
            feed(chain, c);
            assertEquals(c.get(9).hash(), chain.activeChain().tip().hash());
            assertTrue(index.awaitSynced(WAIT));
            List<FilterEntry> cEntries = MinedChain.expectedEntries(c, baseEntries.get(14).header());
            assertChainHeaders(chain, index, base.subList(0, 15), baseEntries.subList(0, 15), c, cEntries);
            assertEquals(index.bestBlock(), chain.activeChain().tip());

            // What a light client asks for follows the new chain too.
            FilterRequestHandler serving = FilterRequestHandler.of(chain, index);
            FilterRequestHandler.Reply r = (FilterRequestHandler.Reply) serving.handle(
                    new GetCFHeadersMessage(BlockFilter.TYPE_BASIC, 14, c.get(9).hash()));
            CFHeadersMessage m = (CFHeadersMessage) r.messages().get(0);
            assertEquals(baseEntries.get(12).header(), m.previousFilterHeader());
            Hash256 header = m.previousFilterHeader();
            for (Hash256 fh : m.filterHashes()) {
                header = BlockFilter.chainHeader(fh, header);
            }
            assertEquals(cEntries.get(9).header(), header);
        }
    }

    @Test
    void prunedBlockDataStopsTheIndexWithAClearFailure() throws Exception {
        // Pruning keeps the last 288 blocks, so the chain must be longer than that.
        List<Block> blocks = RegtestBlocks.chain(Tip.genesis(), 300, 0);
        try (ChainstateManager chain = RegtestBlocks.open(dir,
                RegtestBlocks.options().withPruneTargetBytes(ChainstateOptions.PRUNE_MANUAL))) {
            feed(chain, blocks);
            assertEquals(5, chain.pruneBlockchain(5));
            try (BlockFilterIndex index = BlockFilterIndex.start(chain)) {
                assertFalse(index.awaitSynced(WAIT), "the index cannot get past the pruned blocks");
                String failure = index.failure().orElseThrow();
                assertTrue(failure.contains("at height 1 is not stored (pruned?)"), failure);
                assertEquals(0, index.bestBlock().height(), "genesis (kept by pruning) was indexed");
                assertEquals(Optional.empty(), index.entry(blocks.get(0).hash()));
            }
        }
    }

    /** The active chain is genesis, then {@code prefix}, then {@code suffix}, with these entries. */
    private static void assertChainHeaders(ChainstateManager chain, BlockFilterIndex index, List<Block> prefix,
            List<FilterEntry> prefixEntries, List<Block> suffix, List<FilterEntry> suffixEntries) {
        List<Block> blocks = new ArrayList<>(prefix);
        blocks.addAll(suffix);
        List<FilterEntry> entries = new ArrayList<>(prefixEntries);
        entries.addAll(suffixEntries);
        ChainView active = chain.activeChain();
        assertEquals(blocks.size(), active.height());
        for (int i = 0; i < blocks.size(); i++) {
            BlockIndex at = active.get(i + 1);
            assertEquals(blocks.get(i).hash(), at.hash());
            assertEquals(Optional.of(entries.get(i)), index.entry(at.hash()), "height " + (i + 1));
        }
    }
}
