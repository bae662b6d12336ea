package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UtxoStatsTest {
    private static final ChainDbOptions SMALL = ChainDbOptions.defaults()
            .withBlockCacheBytes(8 * ChainDbOptions.MIB).withWriteBufferBytes(4 * ChainDbOptions.MIB);

    @TempDir
    Path dir;

    @Test
    void txOutSerIsOutpointCodeThenTxOut() {
        Hash256 txid = Hash256.fromHex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
        Coin coin = new Coin(new TxOut(5_000_000_000L, Hex.decode("51")), 1, true);
        byte[] ser = UtxoStats.txOutSer(new OutPoint(txid, 0x01020304), coin);
        assertEquals(Hex.encode(txid.bytes()) + "04030201" + "03000000" + "00f2052a01000000" + "01" + "51",
                Hex.encode(ser));
    }

    @Test
    void bogoSizeIsCores() {
        assertEquals(50 + 25, UtxoStats.bogoSize(new byte[25]));
    }

    @Test
    void statsMatchAnIndependentComputationOverCoreOrder() throws Exception {
        Random rnd = new Random(3);
        List<Map.Entry<OutPoint, Coin>> coins = new ArrayList<>();
        Set<Hash256> txids = new HashSet<>();
        // Vouts 16511 and 16512 sort the other way round as VARINT keys: the stats must still
        // visit one transaction's outputs in numeric vout order, as Core's std::map does.
        int[] vouts = {0, 1, 2, 127, 128, 16_511, 16_512, 70_000};
        for (int t = 0; t < 40; t++) {
            byte[] txid = new byte[32];
            rnd.nextBytes(txid);
            Hash256 id = Hash256.wrap(txid);
            txids.add(id);
            for (int v : vouts) {
                if (v == 0 || rnd.nextInt(3) == 0) {
                    byte[] script = new byte[rnd.nextInt(40)];
                    rnd.nextBytes(script);
                    Coin c = new Coin(new TxOut(rnd.nextInt(1_000_000_000), script), rnd.nextInt(900_000),
                            rnd.nextBoolean());
                    coins.add(Map.entry(new OutPoint(id, v), c));
                }
            }
        }
        BlockIndexRecord best = bestRecord(123_456);
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            try (ChainDb.Batch b = db.batch()) {
                coins.forEach(e -> put(b, e));
                b.putBlockIndex(best).setBestBlock(best.hash()).commit(false);
            }
            UtxoStats serialized = UtxoStats.compute(db, UtxoStats.HashType.HASH_SERIALIZED);
            UtxoStats muhash = UtxoStats.compute(db, UtxoStats.HashType.MUHASH);
            UtxoStats none = UtxoStats.compute(db, UtxoStats.HashType.NONE);

            // Independent reference: Core's order is txid bytes, then numeric vout.
            List<Map.Entry<OutPoint, Coin>> sorted = new ArrayList<>(coins);
            sorted.sort(Comparator.<Map.Entry<OutPoint, Coin>, byte[]>comparing(e -> e.getKey().txid().bytes(),
                    Arrays::compareUnsigned).thenComparingLong(e -> e.getKey().indexUnsigned()));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            MuHash3072 mu = new MuHash3072();
            List<Map.Entry<OutPoint, Coin>> shuffled = new ArrayList<>(coins);
            Collections.shuffle(shuffled, rnd);
            long total = 0;
            long bogo = 0;
            for (var e : sorted) {
                all.writeBytes(UtxoStats.txOutSer(e.getKey(), e.getValue()));
                total += e.getValue().output().value();
                bogo += 50 + e.getValue().output().scriptPubKey().length;
            }
            shuffled.forEach(e -> mu.insert(UtxoStats.txOutSer(e.getKey(), e.getValue())));

            assertEquals(Optional.of(Hashes.hash256Of(all.toByteArray())), serialized.hashSerialized3());
            assertEquals(Optional.of(mu.finalizeHash()), muhash.muhash());
            assertTrue(none.hashSerialized3().isEmpty() && none.muhash().isEmpty());
            for (UtxoStats s : List.of(serialized, muhash, none)) {
                assertEquals(123_456, s.height());
                assertEquals(best.hash(), s.bestBlock());
                assertEquals(txids.size(), s.transactions());
                assertEquals(coins.size(), s.txouts());
                assertEquals(total, s.totalAmount());
                assertEquals(bogo, s.bogoSize());
                assertTrue(s.diskSize() > 0);
            }
        }
    }

    @Test
    void statsFollowSpendsAndAgreeAcrossReinsertion() throws Exception {
        OutPoint a = new OutPoint(Hashes.hash256Of(new byte[] {1}), 0);
        OutPoint b = new OutPoint(Hashes.hash256Of(new byte[] {2}), 5);
        Coin ca = new Coin(new TxOut(10, new byte[] {0x51}), 1, true);
        Coin cb = new Coin(new TxOut(20, new byte[] {0x52}), 2, false);
        BlockIndexRecord best = bestRecord(2);
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            db.batch().putCoin(a, ca).putCoin(b, cb).putBlockIndex(best).setBestBlock(best.hash()).commit(false);
            UtxoStats both = UtxoStats.compute(db, UtxoStats.HashType.MUHASH);
            db.batch().deleteCoin(a).commit(false);
            UtxoStats one = UtxoStats.compute(db, UtxoStats.HashType.MUHASH);
            assertEquals(1, one.txouts());
            assertEquals(20, one.totalAmount());
            assertNotEquals(both.muhash(), one.muhash());
            // The set hash of {b} is {a, b} with a removed.
            MuHash3072 expected = new MuHash3072().insert(UtxoStats.txOutSer(a, ca)).insert(UtxoStats.txOutSer(b, cb))
                    .remove(UtxoStats.txOutSer(a, ca));
            assertEquals(Optional.of(expected.finalizeHash()), one.muhash());
            db.batch().putCoin(a, ca).commit(false);
            assertEquals(both.muhash(), UtxoStats.compute(db, UtxoStats.HashType.MUHASH).muhash());
        }
    }

    @Test
    void emptySetHashesLikeCoreAtGenesis() throws Exception {
        BlockIndexRecord genesis = bestRecord(0);
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            db.batch().putBlockIndex(genesis).setBestBlock(genesis.hash()).commit(false);
            UtxoStats s = UtxoStats.compute(db, UtxoStats.HashType.HASH_SERIALIZED);
            assertEquals(0, s.transactions());
            assertEquals(0, s.txouts());
            // SHA256d of nothing, in Core's display order.
            assertEquals("56944c5d3f98413ef45cf54545538103cc9f298e0575820ad3591376e2e0f65d",
                    s.hashSerialized3().orElseThrow().toString());
        }
    }

    @Test
    void missingBestBlockIsAnError() throws Exception {
        try (ChainDb db = ChainDb.open(dir, Network.REGTEST, SMALL)) {
            StorageException e = assertThrows(StorageException.class,
                    () -> UtxoStats.compute(db, UtxoStats.HashType.NONE));
            assertTrue(e.getMessage().contains("no best block"), e.getMessage());
            db.batch().setBestBlock(Hashes.hash256Of(new byte[] {9})).commit(false);
            StorageException e2 = assertThrows(StorageException.class,
                    () -> UtxoStats.compute(db, UtxoStats.HashType.NONE));
            assertTrue(e2.getMessage().contains("has no block index record"), e2.getMessage());
        }
    }

    private static BlockIndexRecord bestRecord(int height) {
        BlockHeader hdr = new BlockHeader(4, Hashes.hash256Of(new byte[] {(byte) height}), Hash256.ZERO, 1_700_000_000L,
                0x207fffff, height);
        return new BlockIndexRecord(hdr, height, BigInteger.valueOf(height + 1L), BlockStatus.VALID_SCRIPTS, 1);
    }

    private static void put(ChainDb.Batch b, Map.Entry<OutPoint, Coin> e) {
        try {
            b.putCoin(e.getKey(), e.getValue());
        } catch (StorageException ex) {
            throw new AssertionError(ex);
        }
    }
}
