package org.jbitcoind.node.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.crash.Daemons.UtxoState;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during pruneblockchain on a -prune=1 node (regtest blocks are far too small for the
 * 550 MiB automatic target; both paths share the same flush-then-delete code): the call first
 * flushes the UTXO cache of a long import and then deletes the blocks below the prune height in
 * one batch. After each kill the restarted node has the clean run's tip and UTXO set, a pruneheight
 * that matches what is stored (every block below it gone, every block from it on readable), and a
 * repeated pruneblockchain ends where the clean run ended.
 */
class PruneCrashProcessTest {
    private static final int BLOCKS = 600;
    private static final int PRUNE_TO = 300;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses daemons = Daemons.processes();

    @Test
    void aKillDuringPruningLeavesAConsistentPrunedNode() throws Exception {
        List<Block> chain = RegtestBlocks.spendingChain(BLOCKS, 40);
        Path blk = TestChains.writeBlk(dir.resolve("blk.dat"), chain);

        // Imported and stopped without -prune's flush: the kill rounds start from a large unflushed cache.
        Path prepared = dir.resolve("prepared");
        DaemonProcess p = daemons.launch(prepared, "-loadblock=" + blk, "-prune=1");
        p.awaitLine("Block import done: height " + BLOCKS);
        p.kill();

        Path reference = dir.resolve("reference");
        Daemons.copyTree(prepared, reference);
        DaemonProcess ref = daemons.launch(reference, "-prune=1");
        ref.awaitStarted();
        warmUp(ref);
        long started = System.nanoTime();
        assertEquals(PRUNE_TO, ref.rpc().call("pruneblockchain", PRUNE_TO).asInt(), ref.consoleTail());
        long pruneMillis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        UtxoState expected = Daemons.utxoState(ref);
        assertEquals(BLOCKS, expected.height());
        assertEquals(PRUNE_TO + 1, pruneHeight(ref));
        assertStoredFrom(ref, PRUNE_TO + 1);
        ref.stopCleanly();

        Random random = new Random(550);
        List<String> outcomes = new ArrayList<>();
        for (int k = 0; k < ROUNDS; k++) {
            Path node = dir.resolve("node" + k);
            Daemons.copyTree(prepared, node);
            DaemonProcess d = daemons.launch(node, "-prune=1");
            d.awaitStarted();
            warmUp(d);
            d.rpc().callAsync("pruneblockchain", PRUNE_TO);
            // One kill in each third of twice the clean call's duration, at a random point in it.
            long delay = (long) (2 * pruneMillis * (k + random.nextDouble()) / ROUNDS);
            d.process().waitFor(delay, TimeUnit.MILLISECONDS);
            d.kill();
            boolean batchDone = d.consoleText().contains("Pruned ");

            DaemonProcess again = daemons.launch(node, "-prune=1");
            again.awaitStarted();
            int pruneHeight = pruneHeight(again);
            outcomes.add("round " + k + ": killed after " + delay + " ms, " + (batchDone ? "after" : "before")
                    + " the prune batch; pruneheight " + pruneHeight);
            assertTrue(pruneHeight == 0 || pruneHeight == PRUNE_TO + 1, "pruneheight " + outcomes);
            assertStoredFrom(again, pruneHeight);
            assertEquals(expected, Daemons.utxoState(again), outcomes.get(k));
            assertEquals(PRUNE_TO, again.rpc().call("pruneblockchain", PRUNE_TO).asInt());
            assertEquals(PRUNE_TO + 1, pruneHeight(again));
            if (pruneHeight == 0) {
                assertStoredFrom(again, PRUNE_TO + 1);
            }
            again.stopCleanly();
        }
        System.out.println("pruning took " + pruneMillis + " ms; " + outcomes);
    }

    /** The first calls of a fresh process are slow (class loading); afterwards the kill timing follows the pruning itself. */
    private static void warmUp(DaemonProcess d) throws Exception {
        for (int i = 0; i < 3; i++) {
            d.rpc().call("getblockchaininfo");
        }
    }

    private static int pruneHeight(DaemonProcess d) throws Exception {
        JsonNode info = d.rpc().call("getblockchaininfo");
        assertTrue(info.get("pruned").asBoolean());
        return info.path("pruneheight").asInt();
    }

    /** Every block of the active chain below {@code first} is pruned, and every one from it on is readable. */
    private static void assertStoredFrom(DaemonProcess d, int first) throws Exception {
        List<Object[]> heights = new ArrayList<>();
        for (int h = 0; h <= BLOCKS; h++) {
            heights.add(new Object[] {h});
        }
        List<Object[]> hashes = new ArrayList<>();
        for (JsonNode r : d.rpc().batch("getblockhash", heights)) {
            hashes.add(new Object[] {r.get("result").asText(), 0});
        }
        List<JsonNode> blocks = d.rpc().batch("getblock", hashes);
        for (int h = 1; h <= BLOCKS; h++) {
            JsonNode r = blocks.get(h);
            if (h < first) {
                assertEquals("Block not available (pruned data)", r.path("error").path("message").asText(),
                        "height " + h);
            } else {
                assertTrue(r.path("error").isNull() && r.get("result").asText().length() > 160, "height " + h
                        + ": " + r.path("error"));
            }
        }
    }
}
