package org.jbitcoind.chain.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.testing.SharedData;
import org.jbitcoind.storage.UtxoStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -loadblock of the first megabyte of Core's mainnet blk00000.dat (heights 0-4312) with every
 * script checked: the numbers the issue states, and that they survive a restart.
 */
class MainnetImportTest {
    private static final String TIP = "00000000a9da635727dce622d78361b153ce3334e6a60d4377fad529abfc7863";

    @TempDir
    Path dir;

    private ChainstateOptions options() {
        return ChainstateOptions.defaults(ChainParams.of(Network.MAIN)).withAssumeValid(Optional.empty())
                .withCoinsCacheBytes(4 * ChainstateOptions.MIB);
    }

    @Test
    void importsMainnetFirst4313BlocksAndReopens() throws Exception {
        Path file = SharedData.data("jeffchan-blockchain-parser/blk00000.dat");
        UtxoStats before;
        try (ChainstateManager chain = ChainstateManager.open(dir, options())) {
            assertEquals(0, chain.activeChain().height(), "genesis is connected on creation");
            BlockFileImporter.Result r = new BlockFileImporter(chain, () -> false).importFile(file);
            assertEquals(4313, r.records());
            assertEquals(4312, r.accepted(), "every block but the genesis the node already had");
            assertEquals(1, r.known());
            assertEquals(0, r.invalid());

            BlockIndex tip = chain.activeChain().tip();
            assertEquals(4312, tip.height());
            assertEquals(TIP, tip.hash().toString());
            assertEquals(tip, chain.bestHeader());
            before = chain.utxoStats(UtxoStats.HashType.HASH_SERIALIZED);
            assertEquals(4312, before.height());
            assertEquals(TIP, before.bestBlock().toString());
            assertEquals(4149, before.txouts());
            assertEquals(21_560_000_000_000L, before.totalAmount());
            assertEquals(4145, before.transactions());
            assertEquals(484_929, before.bogoSize());
            // Regression value of our Core-compatible hash (storage's UtxoStatsTest checks the algorithm).
            assertEquals("fa5670424a993c1c40c2ec80fdac5deaf80f14f3857ea2e16a1339ee7a596e62",
                    before.hashSerialized3().orElseThrow().toString());
            // Blocks from 2009 keep the node in initial block download.
            assertTrue(chain.isInitialBlockDownload());

            // Importing the same file again changes nothing.
            BlockFileImporter.Result again = new BlockFileImporter(chain, () -> false).importFile(file);
            assertEquals(4313, again.known());
            assertEquals(0, again.accepted());
        }
        try (ChainstateManager chain = ChainstateManager.open(dir, options())) {
            assertEquals(TIP, chain.activeChain().tip().hash().toString());
            assertEquals(4312, chain.activeChain().height());
            UtxoStats after = chain.utxoStats(UtxoStats.HashType.HASH_SERIALIZED);
            assertEquals(before.hashSerialized3(), after.hashSerialized3());
            assertEquals(before.txouts(), after.txouts());
            assertEquals(before.transactions(), after.transactions());
            assertEquals(before.bogoSize(), after.bogoSize());
            assertEquals(before.totalAmount(), after.totalAmount());
            UtxoStats mu = chain.utxoStats(UtxoStats.HashType.MUHASH);
            assertTrue(mu.muhash().isPresent());
            assertEquals(4149, mu.txouts());
            assertFalse(chain.getBlock(chain.activeChain().get(170).hash()).isEmpty());
        }
    }
}
