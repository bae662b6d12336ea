package org.jbitcoind.node.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.testing.SharedData;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.UtxoStats;
import org.jbitcoind.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a separate process importing blocks with -loadblock: mainnet 0-4312 to the
 * numbers of the issue, and a regtest import killed with SIGKILL at random moments that must end
 * where an uninterrupted one ends.
 */
class ChainDaemonProcessTest {
    private static final String IMPORT_DONE = "Block import done: height ";
    /** No P2P listener: parallel test runs would collide on the default port. */
    private static final List<String> NO_LISTENER = List.of("-listen=0");

    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses mainnet = new DaemonProcesses(Network.MAIN, List.of("-Xmx256m"), NO_LISTENER);
    @RegisterExtension
    final DaemonProcesses regtest = new DaemonProcesses(List.of("-Xmx256m"), NO_LISTENER);

    @Test
    void importsMainnetBlk00000ToHeight4312() throws Exception {
        Path datadir = dir.resolve("main");
        Path blk = SharedData.data("jeffchan-blockchain-parser/blk00000.dat");
        DaemonProcess p = mainnet.launch(datadir, "-loadblock=" + blk, "-connect=0", "-assumevalid=0");
        p.awaitLine(IMPORT_DONE + "4312");
        p.stopCleanly();
        try (ChainDb db = ChainDb.open(datadir.resolve(ChainService.FOLDER), Network.MAIN, ChainDbOptions.defaults())) {
            UtxoStats stats = UtxoStats.compute(db, UtxoStats.HashType.MUHASH);
            assertEquals(4312, stats.height());
            assertEquals("00000000a9da635727dce622d78361b153ce3334e6a60d4377fad529abfc7863", stats.bestBlock().toString());
            assertEquals(4149, stats.txouts());
            assertEquals(21_560_000_000_000L, stats.totalAmount());
        }
    }

    @Test
    void killedImportsEndWhereAnUninterruptedOneEnds() throws Exception {
        int blocks = 3000;
        Path blk = dir.resolve("blk00000.dat");
        // Forty new coins per block fill the 3 MiB UTXO cache of -dbcache=4 every few hundred blocks,
        // so kills land between budget flushes, with the marker behind the stored blocks.
        Files.write(blk, RegtestBlocks.blkFile(RegtestBlocks.spendingChain(blocks, 40)));

        Path reference = dir.resolve("reference");
        long started = System.nanoTime();
        DaemonProcess ref = regtest.launch(reference, "-loadblock=" + blk, "-dbcache=4");
        ref.awaitLine(IMPORT_DONE + blocks);
        long runMillis = (System.nanoTime() - started) / 1_000_000;
        ref.stopCleanly();
        Hash256[] expected = stateOf(reference);

        Path node = dir.resolve("node");
        Random random = new Random(20261124);
        List<Integer> heights = new ArrayList<>();
        int killedRunning = 0;
        for (int k = 0; k < 6; k++) {
            DaemonProcess p = regtest.launch(node, "-loadblock=" + blk, "-dbcache=4");
            p.awaitLine("Importing blocks from");
            // The kill window grows with each round (up to 3/4 of a clean run), so that under any
            // machine load some kill lands after a budget flush and before the import ends.
            long window = Math.max(50, runMillis * (k + 1) / 8);
            boolean exited = p.process().waitFor(20 + random.nextInt((int) window), TimeUnit.MILLISECONDS);
            if (!exited) {
                p.kill(); // SIGKILL: no shutdown hook, no final flush
                killedRunning++;
            }
            heights.add(consistentHeight(node));
        }
        assertTrue(killedRunning >= 5, "only " + killedRunning + " kills hit a running daemon; heights " + heights);
        assertTrue(heights.stream().anyMatch(h -> h > 0 && h < blocks), "no kill left the UTXO set part-way: " + heights);
        for (int i = 1; i < heights.size(); i++) {
            assertTrue(heights.get(i) >= heights.get(i - 1), "flushed progress went backwards: " + heights);
        }
        DaemonProcess last = regtest.launch(node, "-loadblock=" + blk, "-dbcache=4");
        last.awaitLine(IMPORT_DONE + blocks);
        last.stopCleanly();
        Hash256[] actual = stateOf(node);
        assertEquals(expected[0], actual[0], "tip");
        assertEquals(expected[1], actual[1], "UTXO set hash");
    }

    /** After a kill: the database opens, its marker names a stored block, and statistics compute; returns its height. */
    private static int consistentHeight(Path datadir) throws Exception {
        Path chainDir = datadir.resolve("regtest").resolve(ChainService.FOLDER);
        if (!Files.exists(chainDir.resolve("CURRENT"))) {
            return -1;
        }
        try (ChainDb db = ChainDb.open(chainDir, Network.REGTEST, RegtestBlocks.dbOptions())) {
            if (db.getBestBlock().isEmpty()) {
                return -1;
            }
            Hash256 best = db.getBestBlock().get();
            assertTrue(db.getBlockIndex(best).isPresent(), "marker names a block the index has");
            assertTrue(db.getBlock(best).isPresent(), "and whose data is stored");
            UtxoStats stats = UtxoStats.compute(db, UtxoStats.HashType.NONE);
            return stats.height();
        }
    }

    private static Hash256[] stateOf(Path datadir) throws Exception {
        try (ChainDb db = ChainDb.open(datadir.resolve("regtest").resolve(ChainService.FOLDER), Network.REGTEST,
                RegtestBlocks.dbOptions())) {
            UtxoStats stats = UtxoStats.compute(db, UtxoStats.HashType.HASH_SERIALIZED);
            return new Hash256[] {stats.bestBlock(), stats.hashSerialized3().orElseThrow()};
        }
    }
}
