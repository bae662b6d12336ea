package org.jbitcoind.node.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.chain.state.DiskSpace;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.chain.ChainService;
import org.jbitcoind.node.crash.Daemons.UtxoState;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.StorageException;
import org.jbitcoind.testkit.DaemonProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a small tmpfs filled by an import of ~0.9 MB blocks: the node stops by
 * itself before the disk is full, with one ERROR line saying "Disk space is too low!" and the
 * folder, and exit status 1; started again without more space it stops the same way; after the
 * tmpfs is grown it opens the database, finishes the import and has the tip and UTXO set of a run
 * on a roomy disk. Needs to mount a tmpfs (root, as in CI); elsewhere the test is aborted with an
 * assumption message saying why.
 */
class FullDiskProcessTest {
    private static final int SMALL_MIB = 80;
    private static final int GROWN_MIB = 200;
    private static final int BIG_BLOCKS = 50;
    private static final int DATA_BYTES = 900_000;
    /** Small write buffers: RocksDB preallocates a write-ahead log of about one buffer (64 MiB at the default). */
    private static final String DBCACHE = "-dbcache=16";

    @TempDir
    Path dir;
    /** Closed by {@link #killAndUnmount} before the unmount, so not a registered extension. */
    private final DaemonProcesses daemons = Daemons.processes();
    private Path mountPoint;

    @AfterEach
    void killAndUnmount() throws Exception {
        try {
            daemons.close();
        } finally {
            if (mountPoint != null) {
                Tmpfs.unmount(mountPoint);
            }
        }
    }

    @Test
    void aFullDiskStopsTheNodeCleanlyAndMoreSpaceLetsItContinue() throws Exception {
        Path tmpfs = dir.resolve("tmpfs");
        String whyNot = Tmpfs.mount(tmpfs, SMALL_MIB);
        Assumptions.assumeTrue(whyNot == null, "full-disk test needs a size-limited tmpfs: " + whyNot);
        mountPoint = tmpfs;

        List<Block> chain = bigBlockChain();
        int tipHeight = chain.size();
        Path blk = TestChains.writeBlk(dir.resolve("blk.dat"), chain);

        Path reference = dir.resolve("reference");
        DaemonProcess ref = daemons.launch(reference, "-loadblock=" + blk, DBCACHE);
        ref.awaitLine("Block import done: height " + tipHeight);
        ref.awaitStarted();
        UtxoState expected = Daemons.utxoState(ref);
        ref.stopCleanly();

        Path node = tmpfs.resolve("node");
        DaemonProcess full = daemons.launch(node, "-loadblock=" + blk, DBCACHE);
        assertTrue(full.process().waitFor(DaemonProcess.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                "the node stops by itself");
        assertEquals(1, full.process().exitValue(), full.consoleTail());
        assertOneClearError(full, node);
        ReorgCrashProcessTest.markerHeight(node); // the database opens and its marker is consistent
        int stored = storedBlocks(node, chain);
        assertTrue(stored > 101 && stored < tipHeight, "stopped part-way, " + stored + " blocks stored");

        // Still no space: the same clear stop, nothing lost.
        DaemonProcess again = daemons.launch(node, "-loadblock=" + blk, DBCACHE);
        assertTrue(again.process().waitFor(DaemonProcess.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                "the node stops by itself");
        assertEquals(1, again.process().exitValue(), again.consoleTail());
        assertOneClearError(again, node);
        ReorgCrashProcessTest.markerHeight(node);
        assertTrue(storedBlocks(node, chain) >= stored, "nothing lost");

        Tmpfs.resize(tmpfs, GROWN_MIB);
        DaemonProcess roomy = daemons.launch(node, "-loadblock=" + blk, DBCACHE);
        roomy.awaitLine("Block import done: height " + tipHeight);
        roomy.awaitStarted();
        assertEquals(expected, Daemons.utxoState(roomy));
        roomy.stopCleanly();
    }

    /**
     * Below the node's own check: RocksDB itself hitting ENOSPC. Its error is recognised as "out of
     * space" (so the chain state reports it as "Disk space is too low!" naming the folder), and after
     * the disk grows the database reopens with every committed block intact.
     */
    @Test
    void theDatabasesOwnOutOfSpaceErrorIsRecognisedAndLosesNothing() throws Exception {
        Path tmpfs = dir.resolve("tiny");
        String whyNot = Tmpfs.mount(tmpfs, 24);
        Assumptions.assumeTrue(whyNot == null, "full-disk test needs a size-limited tmpfs: " + whyNot);
        mountPoint = tmpfs;
        Path dbDir = tmpfs.resolve("chainstate");
        Random random = new Random(7);
        List<byte[]> committed = new ArrayList<>();
        StorageException failure = null;
        ChainDb db = ChainDb.open(dbDir, Network.REGTEST, RegtestBlocks.dbOptions());
        try {
            for (int i = 0; i < 200 && failure == null; i++) {
                byte[] block = new byte[256 * 1024];
                random.nextBytes(block);
                try (ChainDb.Batch b = db.batch()) {
                    b.putBlock(Hashes.hash256Of(block), block);
                    b.commit(false);
                    committed.add(block);
                } catch (StorageException e) {
                    failure = e;
                }
            }
        } finally {
            db.close();
        }
        assertTrue(failure != null, "24 MiB never filled");
        assertTrue(DiskSpace.isOutOfSpace(failure), "not recognised as out of space: " + failure);

        Tmpfs.resize(tmpfs, 96);
        try (ChainDb reopened = ChainDb.open(dbDir, Network.REGTEST, RegtestBlocks.dbOptions())) {
            for (byte[] block : committed) {
                assertTrue(java.util.Arrays.equals(block, reopened.getBlock(Hashes.hash256Of(block)).orElseThrow()));
            }
        }
    }

    /** How many of the chain's blocks (from height 1, consecutively) the stopped node's database holds. */
    private static int storedBlocks(Path datadir, List<Block> chain) throws Exception {
        try (ChainDb db = ChainDb.open(datadir.resolve("regtest").resolve(ChainService.FOLDER), Network.REGTEST,
                RegtestBlocks.dbOptions())) {
            int n = 0;
            while (n < chain.size() && db.getBlock(chain.get(n).hash()).isPresent()) {
                n++;
            }
            return n;
        }
    }

    /** Exactly one ERROR log line, saying the disk space is too low and naming the folder; the same on stderr. */
    private static void assertOneClearError(DaemonProcess d, Path node) throws Exception {
        String console = d.consoleText();
        List<String> errors = console.lines().filter(l -> l.matches("^\\S+Z ERROR .*")).toList();
        assertEquals(1, errors.size(), "ERROR lines: " + errors + "\n" + DaemonProcess.tail(console));
        assertTrue(errors.get(0).contains(DiskSpace.TOO_LOW) && errors.get(0).contains(node.toString()), errors.get(0));
        assertTrue(console.lines().anyMatch(l -> l.startsWith("Error: ") && l.contains(DiskSpace.TOO_LOW)),
                "the exit reason on stderr:\n" + DaemonProcess.tail(console));
    }

    /**
     * 101 small blocks (to mature the first coinbase), then {@link #BIG_BLOCKS} blocks each with a
     * transaction passing the coin on and carrying {@link #DATA_BYTES} random bytes in one
     * OP_RETURN push (one push: no sigops hide in the data).
     */
    private static List<Block> bigBlockChain() {
        List<Block> blocks = new ArrayList<>(RegtestBlocks.chain(Tip.genesis(), 101, 0));
        Tip tip = RegtestBlocks.tipOf(Tip.genesis(), blocks);
        OutPoint coin = RegtestBlocks.coinbaseOut(blocks.get(0));
        long value = RegtestBlocks.coinbaseValue(blocks.get(0));
        Random random = new Random(42);
        for (int i = 0; i < BIG_BLOCKS; i++) {
            byte[] data = new byte[DATA_BYTES];
            random.nextBytes(data);
            byte[] script = new byte[6 + DATA_BYTES];
            script[0] = 0x6a; // OP_RETURN
            script[1] = 0x4e; // OP_PUSHDATA4
            script[2] = (byte) DATA_BYTES;
            script[3] = (byte) (DATA_BYTES >>> 8);
            script[4] = (byte) (DATA_BYTES >>> 16);
            script[5] = (byte) (DATA_BYTES >>> 24);
            System.arraycopy(data, 0, script, 6, DATA_BYTES);
            Transaction tx = new Transaction(2, List.of(new TxIn(coin, new byte[0], TxIn.SEQUENCE_FINAL)),
                    List.of(new TxOut(value, RegtestBlocks.OP_TRUE), new TxOut(0, script)), 0);
            Block b = RegtestBlocks.block(tip, 0, List.of(tx), 0, 0);
            blocks.add(b);
            tip = RegtestBlocks.next(tip, b);
            coin = new OutPoint(tx.txid(), 0);
        }
        return blocks;
    }
}
