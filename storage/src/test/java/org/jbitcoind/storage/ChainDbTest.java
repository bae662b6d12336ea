package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class ChainDbTest {
    private static final ChainDbOptions SMALL = ChainDbOptions.defaults()
            .withBlockCacheBytes(8 * ChainDbOptions.MIB).withWriteBufferBytes(4 * ChainDbOptions.MIB);

    @TempDir
    Path dir;

    static Hash256 h(String s) {
        return Hashes.hash256Of(s.getBytes(StandardCharsets.US_ASCII));
    }

    static Coin coin(long value, int height) {
        return new Coin(new TxOut(value, new byte[] {0x51, (byte) height}), height, height % 2 == 0);
    }

    static BlockIndexRecord index(int height, int status) {
        BlockHeader hdr = new BlockHeader(1, h("prev" + height), h("merkle" + height), 1_600_000_000L + height,
                0x1d00ffff, height);
        return new BlockIndexRecord(hdr, height, BigInteger.valueOf(height + 1L).shiftLeft(32), status, height + 1);
    }

    @Test
    void everyRecordKindPersistsAcrossReopen() throws Exception {
        OutPoint op = new OutPoint(h("tx1"), 3);
        Coin c = coin(12_345, 100);
        BlockIndexRecord idx = index(100, BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_DATA | BlockStatus.HAVE_UNDO);
        byte[] block = new byte[300_000];
        new Random(1).nextBytes(block);
        BlockUndo undo = new BlockUndo(List.of(new BlockUndo.TxUndo(List.of(coin(5, 7), coin(6, 0)))));
        TxLocation loc = new TxLocation(idx.hash(), 81, 200);
        byte[] filter = {1, 2, 3};
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            assertEquals(Optional.empty(), db.getBestBlock());
            try (ChainDb.Batch b = db.batch()) {
                b.putCoin(op, c).putBlockIndex(idx).putBlock(idx.hash(), block).putUndo(idx.hash(), undo)
                        .putTxIndex(h("tx1"), loc).putBlockFilter(idx.hash(), filter).setBestBlock(idx.hash());
                assertEquals(7, b.count());
                assertTrue(b.byteSize() > block.length, "batch size counts the block");
                b.commit(true);
            }
        }
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            assertEquals(Optional.of(c), db.getCoin(op));
            assertTrue(db.haveCoin(op));
            assertEquals(Optional.empty(), db.getCoin(new OutPoint(h("tx1"), 4)));
            assertEquals(idx.hash(), db.getBlockIndex(idx.hash()).orElseThrow().hash());
            assertEquals(idx.chainWork(), db.getBlockIndex(idx.hash()).orElseThrow().chainWork());
            assertArrayEquals(block, db.getBlock(idx.hash()).orElseThrow());
            assertEquals(undo, db.getUndo(idx.hash()).orElseThrow());
            assertEquals(loc, db.getTxLocation(h("tx1")).orElseThrow());
            assertArrayEquals(filter, db.getBlockFilter(idx.hash()).orElseThrow());
            assertEquals(Optional.of(idx.hash()), db.getBestBlock());
            assertEquals(Network.REGTEST, db.network());
        }
    }

    @Test
    void indexBestBlockMarkersAreSeparatePerIndexAndFromTheChainState() throws Exception {
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            assertEquals(Optional.empty(), db.getIndexBestBlock("blockfilter/basic"));
            try (ChainDb.Batch b = db.batch()) {
                b.setIndexBestBlock("blockfilter/basic", h("a")).setIndexBestBlock("other", h("b")).commit(false);
            }
        }
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            assertEquals(Optional.of(h("a")), db.getIndexBestBlock("blockfilter/basic"));
            assertEquals(Optional.of(h("b")), db.getIndexBestBlock("other"));
            assertEquals(Optional.empty(), db.getBestBlock(), "the chain state's marker is untouched");
        }
    }

    @Test
    void multiGetReturnsPresentCoinsOnly() throws Exception {
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            List<OutPoint> asked = new ArrayList<>();
            Map<OutPoint, Coin> stored = new HashMap<>();
            try (ChainDb.Batch b = db.batch()) {
                for (int i = 0; i < 30; i++) {
                    OutPoint op = new OutPoint(h("m" + i), i);
                    asked.add(op);
                    if (i % 3 != 0) {
                        stored.put(op, coin(i, i));
                        b.putCoin(op, coin(i, i));
                    }
                }
                b.commit(false);
            }
            assertEquals(stored, db.getCoins(asked));
            assertEquals(Map.of(), db.getCoins(List.of()));
        }
    }

    /** BIP30's batched question: true as soon as one asked outpoint is unspent in the UTXO set. */
    @Test
    void haveAnyCoinAnswersForTheWholeList() throws Exception {
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            OutPoint present = new OutPoint(h("have"), 7);
            db.batch().putCoin(present, coin(1, 1)).commit(false);
            List<OutPoint> absent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                absent.add(new OutPoint(h("have"), i == 7 ? 1000 : i));
            }
            assertFalse(db.haveAnyCoin(List.of()));
            assertFalse(db.haveAnyCoin(absent));
            List<OutPoint> withPresent = new ArrayList<>(absent);
            withPresent.add(25, present);
            assertTrue(db.haveAnyCoin(withPresent));
            assertTrue(db.haveAnyCoin(List.of(present)));
            db.batch().deleteCoin(present).commit(false);
            assertFalse(db.haveAnyCoin(withPresent));
        }
    }

    @Test
    void creationInterruptedBeforeMetadataIsCompletedOnReopen() throws Exception {
        // A database with our column families but no metadata: what a crash during creation leaves.
        List<ColumnFamilyDescriptor> descs = new ArrayList<>();
        descs.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        for (ChainDb.Column c : ChainDb.Column.values()) {
            descs.add(new ColumnFamilyDescriptor(c.cfName().getBytes(StandardCharsets.US_ASCII)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB raw = RocksDB.open(o, dir.toString(), descs, handles)) {
            handles.forEach(ColumnFamilyHandle::close);
        }
        ChainDb.open(dir, Network.TESTNET3, SMALL).close();
        StorageException e = assertThrows(StorageException.class, () -> ChainDb.open(dir, Network.MAIN, SMALL));
        assertTrue(e.getMessage().endsWith("is for network test, not main"), e.getMessage());
    }

    @Test
    void pruningDeletesBlockAndUndo() throws Exception {
        BlockIndexRecord idx = index(5, BlockStatus.HAVE_DATA | BlockStatus.HAVE_UNDO);
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            try (ChainDb.Batch b = db.batch()) {
                b.putBlock(idx.hash(), new byte[] {1}).putUndo(idx.hash(), new BlockUndo(List.of())).putBlockIndex(idx)
                        .commit(false);
            }
            try (ChainDb.Batch b = db.batch()) {
                b.deleteBlock(idx.hash()).deleteUndo(idx.hash())
                        .putBlockIndex(idx.withStatus(idx.status() & ~(BlockStatus.HAVE_DATA | BlockStatus.HAVE_UNDO)))
                        .commit(false);
            }
            assertTrue(db.getBlock(idx.hash()).isEmpty());
            assertTrue(db.getUndo(idx.hash()).isEmpty());
            assertEquals(0, db.getBlockIndex(idx.hash()).orElseThrow().status());
        }
    }

    @Test
    void reopeningWithAnotherNetworkFailsWithClearMessage() throws Exception {
        ChainDb.open(dir, Network.MAIN, SMALL).close();
        StorageException e = assertThrows(StorageException.class, () -> ChainDb.open(dir, Network.REGTEST, SMALL));
        assertEquals("database at " + dir.toAbsolutePath().normalize() + " is for network main, not regtest",
                e.getMessage());
        // The refused open released everything: the right network still opens.
        ChainDb.open(dir, Network.MAIN, SMALL).close();
    }

    @Test
    void newerFormatVersionIsRefused() throws Exception {
        ChainDb.open(dir, Network.SIGNET, SMALL).close();
        rawPut(dir, "meta", "format_version".getBytes(StandardCharsets.US_ASCII), new byte[] {2, 0, 0, 0});
        StorageException e = assertThrows(StorageException.class, () -> ChainDb.open(dir, Network.SIGNET, SMALL));
        assertTrue(e.getMessage().contains("has format version 2, this jbitcoind supports only version 1"),
                e.getMessage());
        assertTrue(e.getMessage().contains("newer jbitcoind"), e.getMessage());
    }

    @Test
    void foreignRocksDbIsRefused() throws Exception {
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString())) {
            db.put(new byte[] {1}, new byte[] {2});
        }
        StorageException e = assertThrows(StorageException.class, () -> ChainDb.open(dir, Network.MAIN, SMALL));
        assertTrue(e.getMessage().contains("is not a jbitcoind chain database"), e.getMessage());
    }

    @Test
    void secondOpenOfSameDirectoryFailsWhileFirstIsOpen() throws Exception {
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            StorageException e = assertThrows(StorageException.class, () -> ChainDb.open(dir, Network.REGTEST, SMALL));
            assertTrue(e.getMessage().contains("another jbitcoind"), e.getMessage());
            assertTrue(db.getBestBlock().isEmpty());
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailCleanly() throws Exception {
        ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL);
        UtxoSnapshot snap = db.utxoSnapshot();
        UtxoCursor cursor = snap.cursor();
        ChainDb.Batch batch = db.batch().putCoin(new OutPoint(h("a"), 0), coin(1, 1));
        db.close();
        db.close();
        assertThrows(StorageException.class, () -> db.getCoin(new OutPoint(h("a"), 0)));
        assertThrows(StorageException.class, () -> db.getBestBlock());
        assertThrows(StorageException.class, cursor::next);
        assertThrows(StorageException.class, snap::bestBlock);
        StorageException e = assertThrows(StorageException.class, () -> batch.commit(false));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        cursor.close();
        snap.close();
        batch.close();
    }

    @Test
    void uncommittedOrClosedBatchWritesNothingAndBatchIsSingleUse() throws Exception {
        OutPoint op = new OutPoint(h("x"), 1);
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            try (ChainDb.Batch b = db.batch()) {
                b.putCoin(op, coin(1, 1)).setBestBlock(h("b1"));
            }
            assertTrue(db.getCoin(op).isEmpty());
            assertTrue(db.getBestBlock().isEmpty());
            ChainDb.Batch b = db.batch().putCoin(op, coin(1, 1));
            b.commit(false);
            assertThrows(StorageException.class, () -> b.commit(false));
            assertThrows(StorageException.class, () -> b.deleteCoin(op));
            assertTrue(db.getCoin(op).isPresent());
        }
    }

    @Test
    void utxoIterationIsInCoreKeyOrder() throws Exception {
        Random rnd = new Random(42);
        int[] vouts = {0, 1, 127, 128, 255, 16_511, 16_512, 70_000, -1};
        Map<OutPoint, Coin> expected = new HashMap<>();
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL); ChainDb.Batch b = db.batch()) {
            for (int t = 0; t < 50; t++) {
                byte[] txid = new byte[32];
                rnd.nextBytes(txid);
                for (int v : vouts) {
                    if (rnd.nextBoolean()) {
                        OutPoint op = new OutPoint(Hash256.wrap(txid.clone()), v);
                        Coin c = coin(rnd.nextInt(1_000_000), rnd.nextInt(800_000));
                        expected.put(op, c);
                        b.putCoin(op, c);
                    }
                }
            }
            b.commit(false);
            List<OutPoint> seen = new ArrayList<>();
            try (UtxoSnapshot s = db.utxoSnapshot()) {
                s.forEach((op, c) -> {
                    assertEquals(expected.get(op), c);
                    seen.add(op);
                });
            }
            assertEquals(expected.size(), seen.size());
            for (int i = 1; i < seen.size(); i++) {
                byte[] prev = UtxoKey.encode(seen.get(i - 1));
                byte[] cur = UtxoKey.encode(seen.get(i));
                assertTrue(Arrays.compareUnsigned(prev, cur) < 0, "keys ascend bytewise");
                // Transactions appear in order of their txid bytes (internal order), as in Core.
                int txCmp = Arrays.compareUnsigned(seen.get(i - 1).txid().bytes(), seen.get(i).txid().bytes());
                assertTrue(txCmp <= 0);
            }
        }
    }

    @Test
    void snapshotIsIsolatedFromLaterCommits() throws Exception {
        OutPoint a = new OutPoint(h("a"), 0);
        OutPoint b = new OutPoint(h("b"), 0);
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            db.batch().putCoin(a, coin(1, 1)).setBestBlock(h("block1")).commit(false);
            try (UtxoSnapshot s = db.utxoSnapshot()) {
                db.batch().deleteCoin(a).putCoin(b, coin(2, 2)).setBestBlock(h("block2")).commit(false);
                assertEquals(Optional.of(h("block1")), s.bestBlock());
                assertTrue(s.getCoin(a).isPresent());
                assertTrue(s.getCoin(b).isEmpty());
                List<OutPoint> seen = new ArrayList<>();
                s.forEach((op, c) -> seen.add(op));
                assertEquals(List.of(a), seen);
            }
            assertEquals(Optional.of(h("block2")), db.getBestBlock());
            assertTrue(db.getCoin(a).isEmpty());
        }
    }

    /** Readers racing a writer never observe a best-block marker without the coins committed with it. */
    @Test
    void concurrentReadersSeeWholeBatchesOnly() throws Exception {
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    for (int i = 0; i < 300 && failure.get() == null; i++) {
                        try (UtxoSnapshot s = db.utxoSnapshot()) {
                            Optional<Hash256> best = s.bestBlock();
                            List<Coin> coins = new ArrayList<>();
                            s.forEach((op, c) -> coins.add(c));
                            if (best.isPresent()) {
                                int height = coins.get(0).height();
                                assertEquals(h("block" + height), best.get());
                                assertEquals(20, coins.size());
                                coins.forEach(c -> assertEquals(height, c.height()));
                            } else {
                                assertTrue(coins.isEmpty());
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            reader.start();
            for (int height = 1; height <= 200; height++) {
                try (ChainDb.Batch b = db.batch()) {
                    for (int i = 0; i < 20; i++) {
                        if (height > 1) {
                            b.deleteCoin(new OutPoint(h("tx" + (height - 1)), i));
                        }
                        b.putCoin(new OutPoint(h("tx" + height), i), coin(i, height));
                    }
                    b.setBestBlock(h("block" + height)).commit(false);
                }
            }
            reader.join(30_000);
            assertFalse(reader.isAlive());
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }

    @Test
    void blockIndexLoadsEveryRecord() throws Exception {
        try (ChainDb db = ChainDb.open(dir, Network.TESTNET4, SMALL)) {
            try (ChainDb.Batch b = db.batch()) {
                for (int i = 0; i < 500; i++) {
                    b.putBlockIndex(index(i, BlockStatus.VALID_TREE));
                }
                b.commit(false);
            }
            db.flush();
        }
        try (ChainDb db = ChainDb.open(dir, Network.TESTNET4, SMALL)) {
            List<BlockIndexRecord> all = db.loadBlockIndex();
            assertEquals(500, all.size());
            int[] heights = all.stream().mapToInt(BlockIndexRecord::height).sorted().toArray();
            for (int i = 0; i < 500; i++) {
                assertEquals(i, heights[i]);
            }
        }
    }

    @Test
    void corruptRecordsSurfaceAsStorageException() throws Exception {
        OutPoint op = new OutPoint(h("c"), 0);
        ChainDb.open(dir, Network.REGTEST, SMALL).close();
        rawPut(dir, "utxo", UtxoKey.encode(op), new byte[] {0x00, 0x00, 0x07});
        BlockIndexRecord idx = index(3, 0);
        rawPut(dir, "block_index", h("not the header hash").bytes(), idx.encode());
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            StorageException e = assertThrows(StorageException.class, () -> db.getCoin(op));
            assertTrue(e.getMessage().startsWith("corrupt coin record for " + op), e.getMessage());
            StorageException e2 = assertThrows(StorageException.class, db::loadBlockIndex);
            assertTrue(e2.getMessage().contains("key does not match header hash"), e2.getMessage());
        }
    }

    /** Writes one key with plain RocksDB, as a stand-in for another program or a damaged disk. */
    static void rawPut(Path dir, String cf, byte[] key, byte[] value) throws RocksDBException {
        List<byte[]> names;
        try (Options o = new Options()) {
            names = RocksDB.listColumnFamilies(o, dir.toString());
        }
        List<ColumnFamilyDescriptor> descs = new ArrayList<>();
        for (byte[] n : names) {
            descs.add(new ColumnFamilyDescriptor(n));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.open(o, dir.toString(), descs, handles)) {
            try {
                for (int i = 0; i < names.size(); i++) {
                    if (new String(names.get(i), StandardCharsets.UTF_8).equals(cf)) {
                        db.put(handles.get(i), key, value);
                    }
                }
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }
}
