package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mempool.dat round trip across a restart, damaged files, expiry on load. */
class PersistTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();
    @TempDir
    Path dir;

    private List<Transaction> fill() throws Exception {
        Transaction a = f.split(f.coinbase(1), 2, Kind.P2TR, 2_000);
        Transaction b = f.pay(f.out(a, 0), 3_000);
        Transaction c = f.pay(f.coinbase(2), 1_000);
        for (Transaction t : List.of(a, b, c)) {
            f.accept(t);
        }
        return List.of(a, b, c);
    }

    @Test
    void roundTripAcrossRestart() throws Exception {
        List<Transaction> txs = fill();
        f.pool.prioritise(txs.get(2).txid(), 777);
        Hash256 absent = Hash256.fromHex("ab".repeat(32));
        f.pool.prioritise(absent, -5);
        f.pool.addUnbroadcast(txs.get(0).txid());
        long timeA = f.pool.entry(txs.get(0).txid()).orElseThrow().time();
        Path file = dir.resolve(MempoolPersist.FILE_NAME);
        MempoolPersist.dump(f.pool, file);
        assertTrue(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("mempool.dat.new")));
        byte[] raw = Files.readAllBytes(file);
        assertEquals(2, raw[0], "version 2 (obfuscated), as Core writes");

        f.clock.addAndGet(60);
        TxMempool restarted = f.newPool(MempoolOptions.defaults());
        MempoolPersist.LoadResult r = MempoolPersist.load(restarted, file, f.chain.context());
        assertEquals(3, r.accepted());
        assertTrue(r.complete());
        assertEquals(Set.copyOf(f.pool.txids()), Set.copyOf(restarted.txids()));
        assertEquals(timeA, restarted.entry(txs.get(0).txid()).orElseThrow().time(), "entry time kept");
        assertEquals(1_777, restarted.entry(txs.get(2).txid()).orElseThrow().modifiedFee());
        assertEquals(java.util.Map.of(txs.get(2).txid(), 777L, absent, -5L), restarted.deltas(),
                "each delta applied once: in-pool ones with their entry, others from the map");
        assertEquals(Set.of(txs.get(0).txid()), restarted.unbroadcast());
        assertEquals(2, restarted.entry(txs.get(1).txid()).orElseThrow().ancestorCount());
    }

    @Test
    void truncatedFileLoadsWhatPrecedesTheDamage() throws Exception {
        fill();
        Path file = dir.resolve(MempoolPersist.FILE_NAME);
        MempoolPersist.dump(f.pool, file);
        byte[] raw = Files.readAllBytes(file);
        // Cut inside the third transaction: the first two survive.
        Files.write(file, Arrays.copyOf(raw, raw.length - 120));
        TxMempool restarted = f.newPool(MempoolOptions.defaults());
        MempoolPersist.LoadResult r = MempoolPersist.load(restarted, file, f.chain.context());
        assertFalse(r.complete());
        assertEquals(2, r.accepted());
        assertEquals(2, restarted.size());
    }

    @Test
    void garbageAndMissingFilesAreHarmless() throws Exception {
        Path file = dir.resolve(MempoolPersist.FILE_NAME);
        TxMempool pool = f.newPool(MempoolOptions.defaults());
        MempoolPersist.LoadResult missing = MempoolPersist.load(pool, file, f.chain.context());
        assertEquals(0, missing.accepted());
        assertTrue(missing.complete());

        Files.write(file, new byte[] {7, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        MempoolPersist.LoadResult bad = MempoolPersist.load(pool, file, f.chain.context());
        assertFalse(bad.complete());
        assertEquals(0, pool.size());

        byte[] noise = new byte[5000];
        new java.util.Random(5).nextBytes(noise);
        noise[0] = 2;
        Arrays.fill(noise, 1, 8, (byte) 0);
        noise[8] = 8;
        Files.write(file, noise);
        assertFalse(MempoolPersist.load(pool, file, f.chain.context()).complete());
        assertEquals(0, pool.size());
    }

    @Test
    void expiredEntriesAreNotLoaded() throws Exception {
        fill();
        Path file = dir.resolve(MempoolPersist.FILE_NAME);
        MempoolPersist.dump(f.pool, file);
        f.clock.addAndGet(337 * 3600);
        TxMempool restarted = f.newPool(MempoolOptions.defaults());
        MempoolPersist.LoadResult r = MempoolPersist.load(restarted, file, f.chain.context());
        assertEquals(3, r.expired());
        assertEquals(0, restarted.size());
    }

    @Test
    void plainVersionOneIsRead() throws Exception {
        List<Transaction> txs = fill();
        byte[] v2 = MempoolPersist.encode(f.pool.snapshotForDump(), java.util.Map.of(), Set.of(), new byte[8]);
        // With an all-zero key the payload is plain: drop the key to get a version-1 file.
        byte[] v1 = new byte[v2.length - 9];
        v1[0] = 1;
        System.arraycopy(v2, 17, v1, 8, v2.length - 17);
        Path file = dir.resolve(MempoolPersist.FILE_NAME);
        Files.write(file, v1);
        TxMempool restarted = f.newPool(MempoolOptions.defaults());
        assertEquals(3, MempoolPersist.load(restarted, file, f.chain.context()).accepted());
        assertTrue(restarted.contains(txs.get(1).txid()));
    }
}
