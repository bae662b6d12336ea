package org.jbitcoind.node.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.testing.SharedData;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.UtxoStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a separate process importing blocks with -loadblock: mainnet 0-4312 to the
 * numbers of the issue, and a regtest import killed with SIGKILL at random moments that must end
 * where an uninterrupted one ends.
 */
class ChainDaemonProcessTest {
    private static final long TIMEOUT_MS = 120_000;
    private static final String IMPORT_DONE = "Block import done: height ";

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killEveryProcessThisTestStarted() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void importsMainnetBlk00000ToHeight4312() throws Exception {
        Path datadir = dir.resolve("main");
        Path blk = SharedData.data("jeffchan-blockchain-parser/blk00000.dat");
        Process p = launch(datadir, "-datadir=" + datadir, "-loadblock=" + blk, "-connect=0", "-dnsseed=0",
                "-assumevalid=0");
        awaitLine(p, IMPORT_DONE + "4312");
        stop(p);
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
        Process ref = launch(reference, "-regtest", "-datadir=" + reference, "-loadblock=" + blk, "-dbcache=4");
        awaitLine(ref, IMPORT_DONE + blocks);
        long runMillis = (System.nanoTime() - started) / 1_000_000;
        stop(ref);
        Hash256[] expected = stateOf(reference);

        Path node = dir.resolve("node");
        Random random = new Random(20261124);
        List<Integer> heights = new ArrayList<>();
        int killedRunning = 0;
        for (int k = 0; k < 6; k++) {
            Process p = launch(node, "-regtest", "-datadir=" + node, "-loadblock=" + blk, "-dbcache=4");
            awaitLine(p, "Importing blocks from");
            // The kill window grows with each round (up to 3/4 of a clean run), so that under any
            // machine load some kill lands after a budget flush and before the import ends.
            long window = Math.max(50, runMillis * (k + 1) / 8);
            boolean exited = p.waitFor(20 + random.nextInt((int) window), TimeUnit.MILLISECONDS);
            if (!exited) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
                killedRunning++;
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            heights.add(consistentHeight(node));
        }
        assertTrue(killedRunning >= 5, "only " + killedRunning + " kills hit a running daemon; heights " + heights);
        assertTrue(heights.stream().anyMatch(h -> h > 0 && h < blocks), "no kill left the UTXO set part-way: " + heights);
        for (int i = 1; i < heights.size(); i++) {
            assertTrue(heights.get(i) >= heights.get(i - 1), "flushed progress went backwards: " + heights);
        }
        Process last = launch(node, "-regtest", "-datadir=" + node, "-loadblock=" + blk, "-dbcache=4");
        awaitLine(last, IMPORT_DONE + blocks);
        stop(last);
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

    private Process launch(Path datadir, String... args) throws IOException {
        Files.createDirectories(datadir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-printtoconsole", "-dnsseed=0", "-fixedseeds=0",
                // No P2P listener and an ephemeral RPC port: parallel test runs would collide on the defaults.
                "-listen=0", "-rpcport=0"));
        command.addAll(List.of(args));
        Path out = datadir.resolve("console-" + processes.size() + ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        processes.add(p);
        consoles.add(out);
        return p;
    }

    private final List<Path> consoles = new ArrayList<>();

    /** Waits (bounded) until the process's console shows a line containing {@code text}. */
    private void awaitLine(Process p, String text) throws Exception {
        Path out = consoles.get(processes.indexOf(p));
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            String s = Files.exists(out) ? Files.readString(out) : "";
            if (s.contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("daemon exited with " + p.exitValue() + " before '" + text + "':\n" + s);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' within " + TIMEOUT_MS + " ms:\n" + Files.readString(out));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: orderly shutdown with the final flush
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "daemon did not stop");
        assertEquals(0, p.exitValue());
    }
}
