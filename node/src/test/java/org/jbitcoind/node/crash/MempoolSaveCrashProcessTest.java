package org.jbitcoind.node.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.chain.mempool.MempoolPersist;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.testkit.DaemonProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while the mempool is saved (savemempool, or the dump at shutdown): mempool.dat is
 * written to mempool.dat.new, synced and renamed over the old file, so after a restart the node
 * holds either the complete old pool or the complete new one, never a part, and the chain is
 * untouched. A damaged mempool.dat (what a crash of a writer without the rename would leave) is
 * reported at WARN and never stops start-up.
 */
class MempoolSaveCrashProcessTest {
    private static final int OLD = 2_000;
    private static final int NEW = 2_000;
    private static final int ROUNDS = 4;
    /** P2WSH of OP_TRUE: standard to create and to spend (the witness is just the script). */
    private static final byte[] P2WSH_TRUE = StandardScripts.witnessProgram(0, Hashes.sha256(RegtestBlocks.OP_TRUE));
    private static final long FEE = 1_000;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses daemons = Daemons.processes();
    private static List<Block> chain;
    private static Path blk;
    private static List<String> oldTxs;
    private static List<String> newTxs;
    private static Path preparedNode;

    @BeforeAll
    static void buildChain() throws Exception {
        // 101 blocks mature the first coinbase; block 102 splits it into one standard output per pool transaction.
        List<Block> blocks = new ArrayList<>(RegtestBlocks.chain(Tip.genesis(), 101, 0));
        Block first = blocks.get(0);
        long value = RegtestBlocks.coinbaseValue(first);
        int n = OLD + NEW;
        List<TxOut> outs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            outs.add(new TxOut(value / n, P2WSH_TRUE));
        }
        Transaction split = new Transaction(2, List.of(new TxIn(RegtestBlocks.coinbaseOut(first), new byte[0],
                TxIn.SEQUENCE_FINAL)), outs, 0);
        Tip tip = RegtestBlocks.tipOf(Tip.genesis(), blocks);
        blocks.add(RegtestBlocks.block(tip, 0, List.of(split), value - value / n * n, 0));
        chain = blocks;
        blk = TestChains.writeBlk(shared.resolve("blk.dat"), blocks);
        oldTxs = new ArrayList<>();
        newTxs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TxIn in = new TxIn(new OutPoint(split.txid(), i), new byte[0], TxIn.SEQUENCE_FINAL)
                    .withWitness(List.of(RegtestBlocks.OP_TRUE));
            Transaction tx = new Transaction(2, List.of(in), List.of(new TxOut(value / n - FEE, P2WSH_TRUE)), 0);
            (i < OLD ? oldTxs : newTxs).add(Hex.encode(tx.serialize()));
        }
    }

    @Test
    void aKillDuringTheSaveLeavesTheOldOrTheNewPoolWhole() throws Exception {
        Path prepared = prepareNodeWithSavedPool();
        String tipHash = chain.get(chain.size() - 1).hash().toString();

        // How long a save of the full pool takes here, to place the kills around it.
        Path reference = dir.resolve("reference");
        Daemons.copyTree(prepared, reference);
        DaemonProcess ref = startWithPool(reference, OLD);
        ref.rpc().callEach("sendrawtransaction", newTxs);
        warmUp(ref);
        long started = System.nanoTime();
        String written = ref.rpc().call("savemempool").get("filename").asText();
        long saveMillis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        assertEquals(reference.resolve("regtest").resolve(MempoolPersist.FILE_NAME).toString(), written);
        ref.stopCleanly();

        Random random = new Random(9);
        List<String> outcomes = new ArrayList<>();
        for (int k = 0; k < ROUNDS; k++) {
            Path node = dir.resolve("node" + k);
            Daemons.copyTree(prepared, node);
            DaemonProcess d = startWithPool(node, OLD);
            d.rpc().callEach("sendrawtransaction", newTxs);
            warmUp(d);
            // Even rounds interrupt savemempool, odd ones the dump that SIGTERM starts at shutdown.
            if (k % 2 == 0) {
                d.rpc().callAsync("savemempool");
            } else {
                ProcessHandle.of(d.pid()).ifPresent(ProcessHandle::destroy);
            }
            // Kills spread over twice the clean save's duration: some before the rename, some after.
            long delay = (long) (2 * saveMillis * (k / 2 + random.nextDouble()) / (ROUNDS / 2));
            d.process().waitFor(delay, TimeUnit.MILLISECONDS);
            d.kill();
            // A temporary file left behind shows the kill landed while the new file was written.
            boolean midWrite = Files.exists(node.resolve("regtest").resolve(MempoolPersist.FILE_NAME + ".new"));

            DaemonProcess again = daemons.launch(node);
            again.awaitStarted();
            int size = again.rpc().call("getmempoolinfo").get("size").asInt();
            outcomes.add("round " + k + " (" + delay + " ms): " + size + (midWrite ? " (killed mid-write)" : ""));
            assertTrue(size == OLD || size == OLD + NEW, "a part of a pool was loaded: " + outcomes);
            assertEquals(tipHash, again.rpc().call("getbestblockhash").asText());
            assertEquals(chain.size(), again.rpc().call("getblockcount").asInt());
            assertTrue(!again.consoleText().contains("is damaged"), "the file was complete:\n"
                    + again.consoleTail());
            again.stopCleanly();
        }
        System.out.println("save took " + saveMillis + " ms; pool sizes after the kills: " + outcomes);
    }

    @Test
    void aDamagedMempoolFileIsAWarningAndStartUpGoesOn() throws Exception {
        Path prepared = prepareNodeWithSavedPool();
        Path file = prepared.resolve("regtest").resolve(MempoolPersist.FILE_NAME);
        byte[] whole = Files.readAllBytes(file);

        // Cut in the middle of the entries: the transactions before the cut come back (as in Core).
        Path truncated = dir.resolve("truncated");
        Daemons.copyTree(prepared, truncated);
        Files.write(truncated.resolve("regtest").resolve(MempoolPersist.FILE_NAME),
                java.util.Arrays.copyOf(whole, whole.length / 2));
        // A half-written temporary file of an interrupted save is ignored (and replaced by the next save).
        Files.write(truncated.resolve("regtest").resolve(MempoolPersist.FILE_NAME + ".new"), new byte[] {1, 2, 3});
        DaemonProcess d = daemons.launch(truncated);
        d.awaitStarted();
        int size = d.rpc().call("getmempoolinfo").get("size").asInt();
        assertTrue(size > 0 && size < OLD, "size " + size);
        assertWarned(d);
        assertEquals(chain.size(), d.rpc().call("getblockcount").asInt());
        d.stopCleanly();

        // Garbage from the first byte (an unknown version): nothing is loaded, the node runs.
        Path garbage = dir.resolve("garbage");
        Daemons.copyTree(prepared, garbage);
        byte[] noise = new byte[whole.length];
        new Random(1).nextBytes(noise);
        Files.write(garbage.resolve("regtest").resolve(MempoolPersist.FILE_NAME), noise);
        DaemonProcess g = daemons.launch(garbage);
        g.awaitStarted();
        assertEquals(0, g.rpc().call("getmempoolinfo").get("size").asInt());
        assertWarned(g);
        g.stopCleanly();
    }

    /** The first calls of a fresh process are slow (class loading); afterwards kill timings follow the save itself. */
    private static void warmUp(DaemonProcess d) throws Exception {
        for (int i = 0; i < 3; i++) {
            d.rpc().call("getmempoolinfo");
        }
    }

    private static void assertWarned(DaemonProcess d) throws Exception {
        String console = d.consoleText();
        assertTrue(console.lines().anyMatch(l -> l.contains("WARN") && l.contains(MempoolPersist.FILE_NAME)
                && l.contains("damaged")), "no WARN line about the damaged file:\n" + DaemonProcess.tail(console));
    }

    /** A stopped node at the chain's tip whose mempool.dat holds the {@link #OLD} transactions; made once, only copied. */
    private Path prepareNodeWithSavedPool() throws Exception {
        if (preparedNode != null) {
            return preparedNode;
        }
        Path prepared = shared.resolve("prepared");
        DaemonProcess p = daemons.launch(prepared, "-loadblock=" + blk);
        p.awaitLine("Block import done: height " + (chain.size()));
        p.awaitStarted();
        p.rpc().callEach("sendrawtransaction", oldTxs);
        p.stopCleanly(); // the shutdown dump writes mempool.dat
        preparedNode = prepared;
        return prepared;
    }

    private DaemonProcess startWithPool(Path node, int expected) throws Exception {
        DaemonProcess d = daemons.launch(node);
        d.awaitStarted();
        assertEquals(expected, d.rpc().call("getmempoolinfo").get("size").asInt());
        return d;
    }
}
