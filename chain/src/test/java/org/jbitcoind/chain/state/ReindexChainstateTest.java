package org.jbitcoind.chain.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.storage.ChainDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -reindex-chainstate rebuilds the same UTXO set from the stored blocks, also after a crash during the wipe. */
class ReindexChainstateTest {
    @TempDir
    Path dir;

    @Test
    void rebuildsTheSameUtxoSet() throws Exception {
        List<Block> blocks = RegtestBlocks.spendingChain(250);
        Hash256 before;
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            RegtestBlocks.feed(node, blocks);
            before = RegtestBlocks.utxoHash(node);
        }
        try (ChainstateManager node = ChainstateManager.open(dir, RegtestBlocks.options(), RegtestBlocks.dbOptions(), true)) {
            assertEquals(250, node.activeChain().height());
            assertEquals(before, RegtestBlocks.utxoHash(node));
            for (int level = 0; level <= 4; level++) {
                assertEquals(java.util.Optional.empty(), node.verifyChain(level, 200), "level " + level);
            }
            assertEquals(before, RegtestBlocks.utxoHash(node), "verifychain changes nothing");
        }
    }

    @Test
    void finishesAWipeInterruptedByACrash() throws Exception {
        List<Block> blocks = RegtestBlocks.spendingChain(150);
        Hash256 before;
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            RegtestBlocks.feed(node, blocks);
            before = RegtestBlocks.utxoHash(node);
        }
        // What a crash right after the first step of the wipe leaves: a zero marker, all coins still there.
        try (ChainDb db = ChainDb.open(dir, RegtestBlocks.PARAMS.network(), RegtestBlocks.dbOptions());
             ChainDb.Batch b = db.batch()) {
            b.setBestBlock(Hash256.ZERO).commit(true);
        }
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            assertEquals(150, node.activeChain().height());
            assertEquals(before, RegtestBlocks.utxoHash(node));
            assertTrue(node.getCoin(RegtestBlocks.coinbaseOut(blocks.get(149))).isPresent());
        }
    }
}
