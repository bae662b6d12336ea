package org.jbitcoind.node.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.chain.ChainService;
import org.jbitcoind.node.crash.Daemons.UtxoState;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during a deep reorganisation: a node on branch A (60 blocks over a common base, each
 * block moving ~300 coins) that has stored an equally long branch B is fed B's next two blocks,
 * which makes it disconnect all of A and connect B, with a UTXO cache small enough (-dbcache=4)
 * to be flushed part-way. Each round kills
 * a fresh copy at a different moment; the restarted node must end on B's tip with the UTXO set
 * (hash_serialized_3 and MuHash) of a run that was never interrupted.
 */
class ReorgCrashProcessTest {
    private static final String IMPORT_DONE = "Block import done: height ";
    private static final int BASE = 110;
    private static final int A_LENGTH = 60;
    private static final int B_LENGTH = 62;
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses daemons = Daemons.processes();

    @Test
    void killedReorgsEndOnTheHeavierBranchWithTheUtxoSetOfACleanRun() throws Exception {
        List<Block> base = RegtestBlocks.chain(Tip.genesis(), BASE, 0);
        Tip forkPoint = RegtestBlocks.tipOf(Tip.genesis(), base);
        List<Block> a = TestChains.branch(base, forkPoint, A_LENGTH, 300, 1);
        List<Block> b = TestChains.branch(base, forkPoint, B_LENGTH, 301, 2);
        Path blkA = TestChains.writeBlk(dir.resolve("a.dat"), TestChains.concat(base, a));
        // B as long as A has no more work, so the node stores it and stays on A (first seen) ...
        Path blkBStored = TestChains.writeBlk(dir.resolve("b-stored.dat"), b.subList(0, A_LENGTH));
        // ... until these two blocks arrive: then the whole reorganisation runs at once.
        Path blkB = TestChains.writeBlk(dir.resolve("b.dat"), b.subList(A_LENGTH, B_LENGTH));
        int tipA = BASE + A_LENGTH;
        int tipB = BASE + B_LENGTH;

        // The starting point of every round: the node on A with B stored beside it, stopped cleanly.
        Path prepared = dir.resolve("prepared");
        DaemonProcess p = daemons.launch(prepared, "-loadblock=" + blkA, "-loadblock=" + blkBStored, "-dbcache=4");
        p.awaitLine(IMPORT_DONE + tipA);
        p.awaitStarted();
        assertEquals(a.get(A_LENGTH - 1).hash().toString(), p.rpc().call("getbestblockhash").asText());
        p.stopCleanly();

        // The uninterrupted reorganisation, timed to place the kills.
        Path reference = dir.resolve("reference");
        Daemons.copyTree(prepared, reference);
        DaemonProcess ref = daemons.launch(reference, "-loadblock=" + blkB, "-dbcache=4");
        ref.awaitLine("Importing blocks from");
        long started = System.nanoTime();
        ref.awaitLine(IMPORT_DONE + tipB);
        long runMillis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        ref.awaitStarted();
        UtxoState expected = Daemons.utxoState(ref);
        ref.stopCleanly();
        assertEquals(tipB, expected.height());
        assertEquals(b.get(B_LENGTH - 1).hash().toString(), expected.bestBlock());

        Random random = new Random(20261124);
        List<String> outcomes = new ArrayList<>();
        int partWay = 0;
        for (int k = 0; k < ROUNDS; k++) {
            Path node = dir.resolve("node" + k);
            Daemons.copyTree(prepared, node);
            DaemonProcess d = daemons.launch(node, "-loadblock=" + blkB, "-dbcache=4");
            d.awaitLine("Importing blocks from");
            // One kill in each quarter of the clean run's duration (at a random point in it), so that
            // kills land early in the reorganisation and late in it.
            long delay = (long) (runMillis * (k + random.nextDouble()) / ROUNDS);
            d.process().waitFor(delay, TimeUnit.MILLISECONDS);
            boolean running = d.kill();
            boolean finished = d.consoleText().contains(IMPORT_DONE);
            if (running && !finished) {
                partWay++;
            }
            int marker = markerHeight(node);
            outcomes.add("round " + k + ": after " + delay + " ms killed " + (running ? "running" : "after exit") + ", import "
                    + (finished ? "done" : "part-way") + ", flushed UTXO set at height " + marker);

            DaemonProcess again = daemons.launch(node, "-loadblock=" + blkB, "-dbcache=4");
            again.awaitLine(IMPORT_DONE + tipB);
            again.awaitStarted();
            UtxoState actual = Daemons.utxoState(again);
            again.stopCleanly();
            assertEquals(expected, actual, "after " + outcomes.get(k));
        }
        System.out.println("reorg took " + runMillis + " ms; " + outcomes);
        assertTrue(partWay >= 2, "too few kills landed during the reorganisation: " + outcomes);
    }

    /** After a kill: the database opens and its marker names an indexed, stored block; returns that block's height (-1: no marker yet). */
    static int markerHeight(Path datadir) throws Exception {
        try (ChainDb db = ChainDb.open(datadir.resolve("regtest").resolve(ChainService.FOLDER), Network.REGTEST,
                RegtestBlocks.dbOptions())) {
            if (db.getBestBlock().isEmpty()) {
                return -1; // nothing flushed yet: the UTXO set is empty and every stored block is connected again
            }
            Hash256 best = db.getBestBlock().get();
            var record = db.getBlockIndex(best).orElseThrow(() -> new AssertionError("marker names an unknown block"));
            assertTrue(db.getBlock(best).isPresent(), "the marker's block is stored");
            return record.height();
        }
    }
}
