package org.jbitcoind.chain.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.BlockStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import pipeline (a block's script checks overlap the next block's connection, started
 * speculatively on the unverified block's view) must end exactly where processing the blocks one
 * by one ends: same answers and reject reasons, same tip, same failed blocks, same UTXO set, also
 * after a crash. Each chain here has signed spends, so script checks really run, and a block in
 * the middle that breaks a rule while the blocks after it are already queued.
 */
class ImportPipelineTest {
    /** Signed blocks after the 101 set-up blocks; the bad one is the seventh of them. */
    private static final int SIGNED_BLOCKS = 14;
    private static final int BAD_AT = 6;
    private static final int TXS_PER_BLOCK = 3;

    @TempDir
    Path dir;

    private enum Fault { BAD_SIGNATURE, MISSING_INPUT }

    @Test
    void badSignatureInTheMiddleOfAStreamEndsAsTheSerialOrderDoes() throws Exception {
        List<Block> blocks = signedChain(Fault.BAD_SIGNATURE);
        Outcome serial = serial(blocks, dir.resolve("serial"));
        Outcome piped = pipelined(blocks, dir.resolve("piped"));

        Block bad = blocks.get(101 + BAD_AT);
        assertEquals(BlockProcessResult.Status.INVALID, serial.results().get(101 + BAD_AT).status());
        assertTrue(serial.results().get(101 + BAD_AT).rejectReason().startsWith("mandatory-script-verify-flag-failed"),
                serial.results().get(101 + BAD_AT).rejectReason());
        assertEquals(blocks.get(100 + BAD_AT).hash(), serial.tip(), "the tip stays at the bad block's parent");
        assertEquals(serial, piped);
        assertTrue(piped.failedValid().contains(bad.hash()));
        assertTrue(piped.speculativeConnects() >= BAD_AT, "blocks were connected through the pipeline: "
                + piped.speculativeConnects());
    }

    @Test
    void ruleBrokenWhileConnectingSpeculativelyIsReportedWhereTheSerialOrderReportsIt() throws Exception {
        List<Block> blocks = signedChain(Fault.MISSING_INPUT);
        Outcome serial = serial(blocks, dir.resolve("serial"));
        Outcome piped = pipelined(blocks, dir.resolve("piped"));

        assertEquals("bad-txns-inputs-missingorspent", serial.results().get(101 + BAD_AT).rejectReason());
        assertEquals(serial, piped);
    }

    @Test
    void loadblockOfAFileWithABadBlockEndsAsTheSerialOrderDoes() throws Exception {
        List<Block> blocks = signedChain(Fault.BAD_SIGNATURE);
        Outcome serial = serial(blocks, dir.resolve("serial"));
        Path file = dir.resolve("blk00000.dat");
        Files.write(file, RegtestBlocks.blkFile(blocks));
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("import"))) {
            BlockFileImporter.Result r = new BlockFileImporter(node, () -> false).importFile(file);
            long serialAccepted = serial.results().stream()
                    .filter(x -> x.status() == BlockProcessResult.Status.ACCEPTED).count();
            assertEquals(serialAccepted, r.accepted());
            // The bad block's descendants still in flight when it failed come back invalid or without
            // a parent; later ones find their parent unknown and are held: how many of each depends on timing.
            assertEquals(blocks.size() - serialAccepted, r.invalid() + r.orphans());
            assertEquals(serial.tip(), node.activeChain().tip().hash());
            assertEquals(serial.utxoHash(), RegtestBlocks.utxoHash(node));
            assertTrue(BlockStatus.has(node.getBlockIndex(blocks.get(101 + BAD_AT).hash()).orElseThrow().status(),
                    BlockStatus.FAILED_VALID));
        }
    }

    /**
     * Nothing of a block whose verdict is not in reaches the database: stopping without the final
     * flush (as a crash would) right after a pipelined stream, and opening again, gives the serial
     * state.
     */
    @Test
    void crashAfterAPipelinedStreamRecoversToTheSerialState() throws Exception {
        List<Block> blocks = signedChain(Fault.BAD_SIGNATURE);
        Outcome serial = serial(blocks, dir.resolve("serial"));
        Path data = dir.resolve("crash");
        ChainstateManager node = RegtestBlocks.open(data);
        try {
            submitAll(node, blocks);
        } finally {
            node.closeWithoutFlush();
        }
        try (ChainstateManager reopened = RegtestBlocks.open(data)) {
            assertEquals(serial.tip(), reopened.activeChain().tip().hash());
            assertEquals(serial.utxoHash(), RegtestBlocks.utxoHash(reopened));
            assertTrue(BlockStatus.isFailed(reopened.getBlockIndex(blocks.get(101 + BAD_AT).hash()).orElseThrow()
                    .status()));
        }
    }

    // ---- the two ways of processing --------------------------------------------------------

    /** What a run ended with; equal outcomes mean the runs are indistinguishable here. */
    private record Outcome(List<BlockProcessResult> results, Hash256 tip, Hash256 utxoHash, List<Hash256> failedValid,
                           List<Hash256> failedChild, List<Hash256> known, long speculativeConnects) {
        @Override
        public boolean equals(Object o) {
            // The pipeline counter is what differs by design.
            return o instanceof Outcome other && results.equals(other.results) && tip.equals(other.tip)
                    && utxoHash.equals(other.utxoHash) && failedValid.equals(other.failedValid)
                    && failedChild.equals(other.failedChild) && known.equals(other.known);
        }

        @Override
        public int hashCode() {
            return tip.hashCode();
        }
    }

    /** One block at a time, each answered before the next is given (no pipeline). */
    private static Outcome serial(List<Block> blocks, Path data) throws Exception {
        try (ChainstateManager node = RegtestBlocks.open(data)) {
            List<BlockProcessResult> results = new ArrayList<>();
            for (Block b : blocks) {
                results.add(node.processNewBlock(b));
            }
            return outcome(node, blocks, results);
        }
    }

    /** Every block submitted at once, as -loadblock and the sync do, so that the chain thread finds a stream. */
    private static Outcome pipelined(List<Block> blocks, Path data) throws Exception {
        try (ChainstateManager node = RegtestBlocks.open(data)) {
            List<BlockProcessResult> results = submitAll(node, blocks);
            return outcome(node, blocks, results);
        }
    }

    /**
     * Submits every block while the chain thread is held at the first block (a listener waits until
     * all are queued), so that the rest reach it as one stream and really overlap.
     */
    private static List<BlockProcessResult> submitAll(ChainstateManager node, List<Block> blocks) throws Exception {
        CountDownLatch allQueued = new CountDownLatch(1);
        Hash256 first = blocks.get(0).hash();
        ChainListener hold = new ChainListener() {
            @Override
            public void blockConnected(Block block, BlockIndex index) {
                if (block.hash().equals(first)) {
                    try {
                        allQueued.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        node.addListener(hold);
        List<CompletableFuture<BlockProcessResult>> futures = new ArrayList<>();
        try {
            for (Block b : blocks) {
                futures.add(node.submitBlock(b));
            }
        } finally {
            allQueued.countDown();
        }
        List<BlockProcessResult> results = new ArrayList<>();
        for (CompletableFuture<BlockProcessResult> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        node.removeListener(hold);
        return results;
    }

    private static Outcome outcome(ChainstateManager node, List<Block> blocks, List<BlockProcessResult> results)
            throws Exception {
        List<Hash256> failedValid = new ArrayList<>();
        List<Hash256> failedChild = new ArrayList<>();
        List<Hash256> known = new ArrayList<>();
        for (Block b : blocks) {
            node.getBlockIndex(b.hash()).ifPresent(i -> {
                known.add(i.hash());
                if (BlockStatus.has(i.status(), BlockStatus.FAILED_VALID)) {
                    failedValid.add(i.hash());
                }
                if (BlockStatus.has(i.status(), BlockStatus.FAILED_CHILD)) {
                    failedChild.add(i.hash());
                }
            });
        }
        return new Outcome(results, node.activeChain().tip().hash(), RegtestBlocks.utxoHash(node), failedValid,
                failedChild, known, node.stats().speculativeConnects());
    }

    // ---- the chain ---------------------------------------------------------------------------

    /**
     * 100 blocks of anyone-can-spend coinbases; block 101 splits the first coinbase into outputs of a
     * test key (P2WPKH and P2PKH); then {@link #SIGNED_BLOCKS} blocks of signed spends of those, the
     * one at {@link #BAD_AT} carrying the fault, and the rest building on it.
     */
    private static List<Block> signedChain(Fault fault) {
        TestWallet.Key key = TestWallet.key(1);
        List<Block> blocks = new ArrayList<>(RegtestBlocks.chain(Tip.genesis(), 100, 0));
        Tip tip = RegtestBlocks.tipOf(Tip.genesis(), blocks);

        Block first = blocks.get(0);
        int outputs = SIGNED_BLOCKS * TXS_PER_BLOCK;
        long each = (RegtestBlocks.coinbaseValue(first) - 10_000) / outputs;
        List<TxOut> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            TestWallet.Kind kind = i % 2 == 0 ? TestWallet.Kind.P2WPKH : TestWallet.Kind.P2PKH;
            outs.add(new TxOut(each, key.script(kind)));
        }
        Transaction split = new Transaction(2,
                List.of(new TxIn(RegtestBlocks.coinbaseOut(first), new byte[0], TxIn.SEQUENCE_FINAL)), outs, 0);
        Block splitBlock = RegtestBlocks.block(tip, 0, List.of(split), 10_000, 0);
        blocks.add(splitBlock);
        tip = RegtestBlocks.next(tip, splitBlock);

        List<TestWallet.Utxo> coins = TestWallet.outputsOf(split, key);
        for (int n = 0; n < SIGNED_BLOCKS; n++) {
            List<Transaction> txs = new ArrayList<>();
            long fees = 0;
            for (int t = 0; t < TXS_PER_BLOCK; t++) {
                TestWallet.Utxo coin = coins.get(n * TXS_PER_BLOCK + t);
                long fee = 1_000;
                byte[] to = key.script(t % 2 == 0 ? TestWallet.Kind.P2PKH : TestWallet.Kind.P2WPKH);
                Transaction tx = TestWallet.spend(List.of(coin), List.of(new TxOut(coin.output().value() - fee, to)));
                if (n == BAD_AT && t == 1) {
                    tx = fault == Fault.BAD_SIGNATURE ? corruptSignature(tx) : spendingNothing(tx);
                }
                txs.add(tx);
                fees += fee;
            }
            Block b = RegtestBlocks.block(tip, 0, txs, fees, 0);
            blocks.add(b);
            tip = RegtestBlocks.next(tip, b);
        }
        return blocks;
    }

    /** The transaction with one byte of its signature's R value flipped: still strict DER, no longer valid. */
    private static Transaction corruptSignature(Transaction tx) {
        TxIn in = tx.inputs().get(0);
        TxIn broken;
        if (!in.witness().isEmpty()) {
            List<byte[]> witness = new ArrayList<>(in.witness());
            byte[] sig = witness.get(0).clone();
            sig[10] ^= 0x01;
            witness.set(0, sig);
            broken = in.withWitness(witness);
        } else {
            byte[] scriptSig = in.scriptSig().clone();
            scriptSig[11] ^= 0x01; // push length, then the DER signature
            broken = in.withScriptSig(scriptSig);
        }
        assertFalse(broken.equals(in));
        return new Transaction(tx.version(), List.of(broken), tx.outputs(), tx.lockTime());
    }

    /** The transaction spending an output that never existed. */
    private static Transaction spendingNothing(Transaction tx) {
        TxIn in = tx.inputs().get(0);
        TxIn missing = new TxIn(new OutPoint(Hash256.fromHex("22".repeat(32)), 0), in.scriptSig(), in.sequence())
                .withWitness(in.witness());
        return new Transaction(tx.version(), List.of(missing), tx.outputs(), tx.lockTime());
    }
}
