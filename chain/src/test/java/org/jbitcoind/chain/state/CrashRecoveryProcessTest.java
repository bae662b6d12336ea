package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.block;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseOut;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseValue;
import static org.jbitcoind.chain.state.RegtestBlocks.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.UtxoStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a block import in a child JVM, kills it with SIGKILL at random moments (at least five
 * times), restarts it each time, and checks that the database is consistent after every kill and
 * that the final tip and UTXO hash equal those of an uninterrupted import.
 */
class CrashRecoveryProcessTest {
    private static final int BLOCKS = 3000;
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    /** A chain whose blocks spend: each block from 101 on spends a matured coinbase and an output of the previous block. */
    static List<Block> spendingChain(int n) {
        List<Block> out = new ArrayList<>(n);
        Tip t = Tip.genesis();
        Transaction previous = null;
        for (int i = 0; i < n; i++) {
            List<Transaction> txs = new ArrayList<>();
            if (i >= 100) {
                Block mature = out.get(i - 100);
                Transaction split = RegtestBlocks.spend(coinbaseOut(mature), coinbaseValue(mature), 3, 0);
                txs.add(split);
                if (previous != null) {
                    txs.add(RegtestBlocks.spend(new OutPoint(previous.txid(), 1), previous.outputs().get(1).value(), 2, 0));
                }
                previous = split;
            }
            Block b = block(t, 0, txs, 0, 0);
            out.add(b);
            t = next(t, b);
        }
        return out;
    }

    @Test
    void killedImportsEndWhereAnUninterruptedOneEnds() throws Exception {
        Path blk = dir.resolve("blk00000.dat");
        Files.write(blk, RegtestBlocks.blkFile(spendingChain(BLOCKS)));

        long started = System.nanoTime();
        String reference = runToEnd(dir.resolve("reference"), blk);
        long runMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(reference.startsWith("done " + BLOCKS + " "), reference);

        Path node = dir.resolve("node");
        Random random = new Random(20261124);
        int killedMidway = 0;
        List<Integer> heights = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Process p = start(node, blk);
            LinkedBlockingQueue<String> lines = readLines(p);
            String opened = lines.poll(60, TimeUnit.SECONDS);
            assertTrue(opened != null && opened.startsWith("opened at "), "child did not open: " + opened);
            // Somewhere in the import that follows: blocks are being validated, cached and flushed.
            boolean exited = p.waitFor(20 + random.nextInt(Math.max(50, (int) (runMillis / 8))), TimeUnit.MILLISECONDS);
            if (!exited) {
                p.destroyForcibly();   // SIGKILL: no shutdown hook, no final flush
                killedMidway++;
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "killed child did not exit");
            heights.add(assertConsistent(node));
        }
        assertTrue(killedMidway >= 5, "only " + killedMidway + " kills hit a running import; heights " + heights);
        assertTrue(heights.stream().anyMatch(h -> h > 0 && h < BLOCKS), "no kill left the UTXO set part-way: " + heights);
        for (int i = 1; i < heights.size(); i++) {
            assertTrue(heights.get(i) >= heights.get(i - 1), "flushed progress went backwards: " + heights);
        }
        String finalRun = runToEnd(node, blk);
        assertEquals(reference, finalRun);
    }

    /**
     * After a kill: the database opens, its marker names a stored block, and statistics compute over
     * it. Returns the height the UTXO set is at, -1 if nothing was written yet.
     */
    private static int assertConsistent(Path node) throws Exception {
        if (!Files.exists(node.resolve("CURRENT"))) {
            return -1; // killed before the database was created
        }
        try (ChainDb db = ChainDb.open(node, RegtestBlocks.PARAMS.network(), RegtestBlocks.dbOptions())) {
            if (db.getBestBlock().isEmpty()) {
                return -1; // killed before genesis was connected and flushed
            }
            Hash256 best = db.getBestBlock().get();
            assertTrue(db.getBlockIndex(best).isPresent(), "marker names a block the index has");
            assertTrue(db.getBlock(best).isPresent(), "and whose data is stored");
            UtxoStats stats = UtxoStats.compute(db, UtxoStats.HashType.NONE);
            assertEquals(best, stats.bestBlock());
            return stats.height();
        }
    }

    /** A daemon thread collecting the child's output lines; it ends when the child's stdout closes. */
    private static LinkedBlockingQueue<String> readLines(Process p) {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The child was killed: its output simply ends.
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private String runToEnd(Path node, Path blk) throws Exception {
        Process p = start(node, blk);
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                last = line;
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), "child failed; last line: " + last);
        return last;
    }

    private static Process start(Path node, Path blk) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ImportChildMain.class.getName(), node.toString(), blk.toString(), Long.toString(256 * 1024));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }
}
