package org.jbitcoind.chain.coins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.Test;

class CoinsViewCacheTest {
    private static final byte[] P2PKH = Hex.decode("76a914000000000000000000000000000000000000000088ac");
    private static final Hash256 BLOCK = Hash256.wrap(Hashes.sha256(new byte[] {9}));

    /** A base that records every batch it receives and how many reads reached it. */
    private static final class RecordingBase implements CoinsStore {
        final MemoryCoinsView store = new MemoryCoinsView();
        final List<CoinsBatch> batches = new ArrayList<>();
        int reads;

        @Override
        public Optional<Coin> getCoin(OutPoint outpoint) {
            reads++;
            return store.getCoin(outpoint);
        }

        @Override
        public Hash256 bestBlock() {
            return store.bestBlock();
        }

        @Override
        public void batchWrite(CoinsBatch batch) {
            batches.add(batch);
            store.batchWrite(batch);
        }

        List<CoinsBatch.Change> lastChanges() {
            return batches.get(batches.size() - 1).changes();
        }
    }

    private static OutPoint op(int n) {
        return new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {(byte) n})), n);
    }

    private static Coin coin(long value) {
        return new Coin(new TxOut(value, P2PKH), 10, false);
    }

    /** BIP30's batched question: a spent entry hides the base's coin, and only unknown outpoints reach the base. */
    @Test
    void haveAnyCoinAnswersFromTheCacheFirstAndAsksTheBaseOnceForTheRest() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(2), coin(70));
        base.store.put(op(3), coin(80));
        CoinsViewCache parent = new CoinsViewCache(base);
        assertEquals(coin(70), parent.spendCoin(op(2)));
        int readsBefore = base.reads;
        CoinsViewCache child = new CoinsViewCache(parent);
        assertFalse(child.haveAnyCoin(List.of(op(1), op(2), op(4))), "op(2) is spent in the parent cache");
        assertEquals(readsBefore + 2, base.reads, "op(1) and op(4) asked of the base, op(2) not");
        assertTrue(child.haveAnyCoin(List.of(op(1), op(3))), "op(3) exists in the base");
        child.addCoin(op(5), coin(90), false);
        assertTrue(child.haveAnyCoin(List.of(op(5))));
        assertFalse(child.haveAnyCoin(List.of()));
        assertEquals(0, parent.cacheSize() - 1, "nothing was cached by the question: only the spend");
    }

    @Test
    void newCoinIsFreshAndDirtyAndFlushesToBase() {
        RecordingBase base = new RecordingBase();
        CoinsViewCache cache = new CoinsViewCache(base);
        cache.addCoin(op(1), coin(50), false);
        assertTrue(cache.haveCoinInCache(op(1)));
        assertEquals(1, cache.dirtyCount());
        cache.setBestBlock(BLOCK);
        cache.flush();
        assertEquals(List.of(new CoinsBatch.Change(op(1), coin(50), true)), base.lastChanges());
        assertEquals(Optional.of(coin(50)), base.store.getCoin(op(1)));
        assertEquals(BLOCK, base.store.bestBlock());
        assertEquals(0, cache.cacheSize());
        assertEquals(0, cache.dynamicMemoryUsage());
    }

    @Test
    void freshCoinSpentBeforeFlushNeverReachesBase() {
        RecordingBase base = new RecordingBase();
        CoinsViewCache cache = new CoinsViewCache(base);
        cache.addCoin(op(1), coin(50), false);
        assertEquals(coin(50), cache.spendCoin(op(1)));
        assertEquals(0, cache.cacheSize(), "FRESH entry dropped outright");
        assertFalse(cache.haveCoin(op(1)));
        cache.flush();
        assertTrue(base.lastChanges().isEmpty());
    }

    @Test
    void spendingBaseCoinIsDirtyNotFreshAndDeletesOnFlush() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(2), coin(70));
        CoinsViewCache cache = new CoinsViewCache(base);
        assertEquals(coin(70), cache.spendCoin(op(2)));
        assertNull(cache.spendCoin(op(2)), "already spent");
        assertEquals(1, cache.cacheSize(), "spent entry kept to record the spend");
        cache.flush();
        assertEquals(List.of(new CoinsBatch.Change(op(2), null, false)), base.lastChanges());
        assertTrue(base.store.getCoin(op(2)).isEmpty());
    }

    @Test
    void readsAreCachedAndCleanEntriesAreNotWritten() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(3), coin(1));
        CoinsViewCache cache = new CoinsViewCache(base);
        assertTrue(cache.haveCoin(op(3)));
        assertEquals(Optional.of(coin(1)), cache.getCoin(op(3)));
        assertEquals(1, base.reads, "second read served from the cache");
        assertFalse(cache.haveCoin(op(4)));
        assertEquals(0, cache.dirtyCount());
        cache.flush();
        assertTrue(base.lastChanges().isEmpty());
    }

    @Test
    void overwritingUnspentCoinIsABugUnlessAllowed() {
        CoinsViewCache cache = new CoinsViewCache(new MemoryCoinsView());
        cache.addCoin(op(1), coin(1), false);
        assertThrows(IllegalStateException.class, () -> cache.addCoin(op(1), coin(2), false));
        cache.addCoin(op(1), coin(3), true);
        assertEquals(coin(3), cache.accessCoin(op(1)));
    }

    @Test
    void readdingAfterUnflushedSpendIsNotFreshSoSpendReachesBase() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(5), coin(5));
        CoinsViewCache cache = new CoinsViewCache(base);
        cache.spendCoin(op(5));
        cache.addCoin(op(5), coin(6), false); // allowed: the cached entry is spent
        cache.spendCoin(op(5));
        assertEquals(1, cache.cacheSize(), "not FRESH, so the spent entry must stay");
        cache.flush();
        assertTrue(base.store.getCoin(op(5)).isEmpty());
    }

    @Test
    void unspendableOutputsAreNeverStored() {
        CoinsViewCache cache = new CoinsViewCache(new MemoryCoinsView());
        cache.addCoin(op(1), new Coin(new TxOut(0, Hex.decode("6a0401020304")), 1, false), false);
        cache.addCoin(op(2), new Coin(new TxOut(0, new byte[10_001]), 1, false), false);
        cache.addCoin(op(3), new Coin(new TxOut(0, new byte[10_000]), 1, false), false);
        assertFalse(cache.haveCoin(op(1)));
        assertFalse(cache.haveCoin(op(2)));
        assertTrue(cache.haveCoin(op(3)));
    }

    @Test
    void stackedCachesMergeFlagsAsCore() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(7), coin(7));
        CoinsViewCache parent = new CoinsViewCache(base);
        CoinsViewCache child = new CoinsViewCache(parent);

        child.addCoin(op(1), coin(1), false); // FRESH in child
        child.spendCoin(op(7));               // a base coin spent in child
        child.setBestBlock(BLOCK);
        child.flush();
        assertEquals(BLOCK, parent.bestBlock());
        assertTrue(parent.haveCoinInCache(op(1)));
        assertFalse(parent.haveCoin(op(7)));

        // FRESH carried into the parent: spending there drops it without a trace in the base.
        parent.spendCoin(op(1));
        parent.flush();
        List<CoinsBatch.Change> changes = base.lastChanges();
        assertEquals(List.of(new CoinsBatch.Change(op(7), null, false)), changes);
        assertTrue(base.store.getCoin(op(7)).isEmpty());
        assertTrue(base.store.getCoin(op(1)).isEmpty());
    }

    @Test
    void freshChildEntryOverUnspentParentCoinIsRejected() {
        CoinsViewCache parent = new CoinsViewCache(new MemoryCoinsView());
        parent.addCoin(op(1), coin(1), false);
        CoinsBatch bad = new CoinsBatch(List.of(new CoinsBatch.Change(op(1), coin(2), true)), BLOCK);
        assertThrows(IllegalStateException.class, () -> parent.batchWrite(bad));
    }

    @Test
    void memoryUsageTracksEntriesAndScripts() {
        CoinsViewCache cache = new CoinsViewCache(new MemoryCoinsView());
        assertEquals(0, cache.dynamicMemoryUsage());
        cache.addCoin(op(1), coin(1), false);
        long one = cache.dynamicMemoryUsage();
        assertEquals(CoinsViewCache.ENTRY_OVERHEAD_BYTES + 32, one); // 25-byte script padded to 32
        cache.addCoin(op(2), new Coin(new TxOut(1, new byte[1000]), 1, false), false);
        assertEquals(one + CoinsViewCache.ENTRY_OVERHEAD_BYTES + 1000, cache.dynamicMemoryUsage());
        cache.spendCoin(op(2)); // FRESH: gone entirely
        assertEquals(one, cache.dynamicMemoryUsage());
    }

    /**
     * The estimate follows entries through a block view's flush: spent entries (kept, as their base has
     * the coin) count no script bytes, moved and merged entries bring theirs, and an uncached entry
     * takes its own away.
     */
    @Test
    void memoryUsageFollowsEntriesThroughAViewsFlush() {
        MemoryCoinsView base = new MemoryCoinsView();
        base.put(op(1), coin(1));
        base.put(op(2), new Coin(new TxOut(1, new byte[100]), 1, false));
        base.setBestBlock(BLOCK);
        CoinsViewCache tip = new CoinsViewCache(base);
        assertTrue(tip.haveCoin(op(1))); // loaded into the tip, clean
        long entry = CoinsViewCache.ENTRY_OVERHEAD_BYTES;
        assertEquals(entry + 32, tip.dynamicMemoryUsage());

        CoinsViewCache view = new CoinsViewCache(tip);
        view.spendCoin(op(1)); // the tip's copy, not FRESH: a spent entry goes down
        view.spendCoin(op(2)); // loaded through the tip from the base, spent in the view
        view.addCoin(op(3), new Coin(new TxOut(1, new byte[1000]), 2, false), false); // new: moves up
        view.flush();
        // op(1) and op(2) stay as spent entries (0 script bytes), op(3) brings its 1000.
        assertEquals(3 * entry + 1000, tip.dynamicMemoryUsage());
        assertEquals(0, view.dynamicMemoryUsage());

        CoinsViewCache second = new CoinsViewCache(tip);
        second.addCoin(op(2), coin(5), false); // re-created over the spent entry
        second.spendCoin(op(3));
        second.flush();
        assertEquals(2 * entry + 32, tip.dynamicMemoryUsage()); // op(3) was FRESH in the tip: dropped

        tip.flush();
        assertEquals(0, tip.dynamicMemoryUsage());
        assertTrue(base.getCoin(op(2)).isPresent());
        assertFalse(base.getCoin(op(1)).isPresent());
    }

    @Test
    void syncWritesChangesButKeepsCoinsCached() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(8), coin(8));
        CoinsViewCache cache = new CoinsViewCache(base);
        cache.addCoin(op(1), coin(1), false);
        cache.spendCoin(op(8));
        cache.sync();
        assertEquals(2, base.lastChanges().size());
        assertEquals(1, cache.cacheSize(), "spent entry dropped, unspent kept");
        assertEquals(0, cache.dirtyCount());
        int reads = base.reads;
        assertTrue(cache.haveCoin(op(1)));
        assertEquals(reads, base.reads);
        // Now clean: spending it must record the spend (not FRESH any more).
        cache.spendCoin(op(1));
        cache.flush();
        assertTrue(base.store.getCoin(op(1)).isEmpty());
    }

    @Test
    void uncacheDropsOnlyCleanEntries() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(9), coin(9));
        CoinsViewCache cache = new CoinsViewCache(base);
        cache.haveCoin(op(9));
        cache.addCoin(op(1), coin(1), false);
        cache.uncache(op(9));
        cache.uncache(op(1));
        assertFalse(cache.haveCoinInCache(op(9)));
        assertTrue(cache.haveCoinInCache(op(1)));
    }

    @Test
    void addCoinsAddsEveryOutputWithHeightAndCoinbaseFlag() {
        CoinsViewCache cache = new CoinsViewCache(new MemoryCoinsView());
        Transaction cb = new Transaction(1, List.of(new TxIn(OutPoint.NULL, new byte[] {1, 2}, 0xffffffffL)),
                List.of(new TxOut(10, P2PKH), new TxOut(0, Hex.decode("6a")), new TxOut(20, P2PKH)), 0);
        cache.addCoins(cb, 77, false);
        assertEquals(new Coin(new TxOut(10, P2PKH), 77, true), cache.accessCoin(new OutPoint(cb.txid(), 0)));
        assertFalse(cache.haveCoin(new OutPoint(cb.txid(), 1)));
        assertTrue(cache.haveCoin(new OutPoint(cb.txid(), 2)));
        // A coinbase may overwrite (the two historical duplicate coinbases).
        cache.addCoins(cb, 78, false);
        assertEquals(78, cache.accessCoin(new OutPoint(cb.txid(), 0)).height());
        assertTrue(cache.haveInputs(cb));
    }

    /**
     * connectBlock's one look-up per input: coins in input order, null where missing or spent,
     * read through a stacked cache (which caches what it read, as single look-ups do).
     */
    @Test
    void accessCoinsLooksUpEveryInputInOrderThroughStackedCaches() {
        RecordingBase base = new RecordingBase();
        base.store.put(op(1), coin(10));
        base.store.put(op(2), coin(20));
        CoinsViewCache parent = new CoinsViewCache(base);
        parent.addCoin(op(3), coin(30), false);
        parent.spendCoin(op(2));
        CoinsViewCache child = new CoinsViewCache(parent);
        List<TxIn> inputs = List.of(new TxIn(op(3), new byte[0], 0), new TxIn(op(2), new byte[0], 0),
                new TxIn(op(4), new byte[0], 0), new TxIn(op(1), new byte[0], 0));
        Coin[] coins = child.accessCoins(inputs);
        assertEquals(4, coins.length);
        assertEquals(coin(30), coins[0]);
        assertNull(coins[1], "spent in the parent");
        assertNull(coins[2], "nowhere");
        assertEquals(coin(10), coins[3]);
        assertTrue(child.haveCoinInCache(op(1)));
        assertTrue(parent.haveCoinInCache(op(1)));
        int reads = base.reads;
        assertEquals(coin(10), child.accessCoins(List.of(new TxIn(op(1), new byte[0], 0)))[0]);
        assertEquals(reads, base.reads, "answered from the cache");
    }
}
