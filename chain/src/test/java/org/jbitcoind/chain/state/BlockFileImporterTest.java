package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.primitives.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -loadblock: out-of-order blocks wait for their parent; garbage and padding are skipped. */
class BlockFileImporterTest {
    @TempDir
    Path dir;

    @Test
    void importsShuffledBlocksWithGarbageAndPadding() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 60, 0);
        List<Block> shuffled = new ArrayList<>(blocks);
        Collections.shuffle(shuffled, new Random(7));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        byte[] magic = RegtestBlocks.PARAMS.network().magicBytes();
        for (int i = 0; i < shuffled.size(); i++) {
            file.writeBytes(RegtestBlocks.blkFile(List.of(shuffled.get(i))));
            if (i == 10) {
                file.writeBytes(new byte[] {1, 2, 3, magic[0], magic[1], 9}); // junk, a false start of a magic
            }
            if (i == 20) {
                // A record of a plausible length whose bytes are not a block.
                file.writeBytes(magic);
                file.writeBytes(new ByteWriter(4).writeI32LE(100).toByteArray());
                file.writeBytes(new byte[100]);
            }
            if (i == 30) {
                file.writeBytes(magic);
                file.writeBytes(new ByteWriter(4).writeI32LE(-1).toByteArray()); // impossible length
            }
        }
        // A block whose parent is nowhere, then the zero padding of a preallocated file.
        Block stray = chain(new Tip(org.jbitcoind.protocol.crypto.Hash256.fromHex("11".repeat(32)), 500, RegtestBlocks.START_TIME), 1, 3).get(0);
        file.writeBytes(RegtestBlocks.blkFile(List.of(stray)));
        file.writeBytes(new byte[4096]);
        Path blk = dir.resolve("blk00000.dat");
        Files.write(blk, file.toByteArray());

        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("node"))) {
            BlockFileImporter.Result r = new BlockFileImporter(node, () -> false).importFile(blk);
            assertEquals(60, r.accepted());
            assertEquals(1, r.orphans());
            assertEquals(0, r.invalid());
            assertEquals(62, r.records(), "60 blocks, the non-block record and the stray");
            assertEquals(blocks.get(59).hash(), node.activeChain().tip().hash());
        }
    }

    @Test
    void aRecordTornByTheEndOfTheFileEndsTheImport() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 6, 0);
        byte[] whole = RegtestBlocks.blkFile(blocks.subList(0, 5));
        byte[] last = RegtestBlocks.blkFile(blocks.subList(5, 6));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(whole);
        file.write(last, 0, last.length - 1); // magic, length and all but the last byte of the block
        try (ChainstateManager node = RegtestBlocks.open(dir.resolve("node"))) {
            BlockFileImporter.Result r = new BlockFileImporter(node, () -> false)
                    .importStream(new ByteArrayInputStream(file.toByteArray()), "torn");
            assertEquals(5, r.records());
            assertEquals(5, r.accepted());
            assertEquals(blocks.get(4).hash(), node.activeChain().tip().hash());
        }
    }

    @Test
    void closingDuringAnImportLeavesNoImporterWaitingAndAConsistentDatabase() throws Exception {
        List<Block> blocks = RegtestBlocks.spendingChain(400);
        byte[] file = RegtestBlocks.blkFile(blocks);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Path nodeDir = dir.resolve("node");
        ChainstateManager node = RegtestBlocks.open(nodeDir);
        Thread importer = new Thread(() -> {
            try {
                outcome.set(new BlockFileImporter(node, stop::get).importStream(new ByteArrayInputStream(file), "test"));
            } catch (Exception e) { // IOException, or ChainstateFailure once the chain is closed
                outcome.set(e);
            }
        });
        importer.start();
        Thread.sleep(200);
        stop.set(true);
        node.close();
        importer.join(30_000);
        assertEquals(false, importer.isAlive(), "the importer is not left waiting for the closed chain");
        assertEquals(true, outcome.get() != null);
        try (ChainstateManager reopened = RegtestBlocks.open(nodeDir)) {
            int h = reopened.activeChain().height();
            assertEquals(h == 0 ? RegtestBlocks.PARAMS.genesisHash() : blocks.get(h - 1).hash(),
                    reopened.activeChain().tip().hash());
            RegtestBlocks.utxoHash(reopened); // the set is readable at that tip
        }
    }

    @Test
    void stopsWhenAskedTo() throws Exception {
        List<Block> blocks = chain(Tip.genesis(), 20, 0);
        int[] polls = {0};
        try (ChainstateManager node = RegtestBlocks.open(dir)) {
            BlockFileImporter.Result r = new BlockFileImporter(node, () -> ++polls[0] > 5)
                    .importStream(new ByteArrayInputStream(RegtestBlocks.blkFile(blocks)), "test");
            assertEquals(5, r.records());
            assertEquals(5, node.activeChain().height());
        }
    }
}
