package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** -maxmempool eviction with the rolling minimum fee, and -mempoolexpiry. */
class LimitsTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();

    @Test
    void trimEvictsLowestDescendantFeeratePackageAndRaisesMinFee() throws Exception {
        Transaction low = f.pay(f.coinbase(1), 200);            // ~1.8 sat/vB
        Transaction mid = f.pay(f.coinbase(2), 5_000);
        Transaction high = f.pay(f.coinbase(3), 50_000);
        // A low parent with a high child: package feerate above 'low', so 'low' goes first.
        Transaction cpfpParent = f.pay(f.coinbase(4), 150);
        Transaction cpfpChild = f.pay(f.out(cpfpParent, 0), 30_000);
        for (Transaction t : List.of(low, mid, high, cpfpParent, cpfpChild)) {
            f.accept(t);
        }
        assertEquals(FeeRate.ZERO, f.pool.minFee());
        long usage = f.pool.usage();
        long lowUsage = MempoolEntry.estimateUsage(low);
        int evicted = f.pool.trimToSize(usage - lowUsage);
        assertEquals(1, evicted);
        assertFalse(f.pool.contains(low.txid()));
        // Rolling minimum fee = evicted package feerate + incremental relay fee.
        long expected = FeeRate.of(200, low.vsize()).satPerKvB() + MempoolOptions.DEFAULT_INCREMENTAL_RELAY_FEE
                .satPerKvB();
        assertEquals(expected, f.pool.minFee().satPerKvB());
        assertEquals(expected, f.pool.info().mempoolMinFee().satPerKvB());

        // Next in line is 'mid' (5000 sat) vs the CPFP package (30150 over two txs): mid goes.
        f.pool.trimToSize(f.pool.usage() - 1);
        assertFalse(f.pool.contains(mid.txid()));
        assertTrue(f.pool.contains(cpfpParent.txid()));
        assertTrue(f.pool.contains(high.txid()));

        // A transaction below the raised minimum is now refused.
        Transaction cheap = f.pay(f.coinbase(5), 1_000);
        ValidationException e = assertThrows(ValidationException.class, () -> f.accept(cheap));
        assertEquals("mempool min fee not met", e.rejectReason());
    }

    @Test
    void evictionOrderFollowsDescendantScoresAsChildrenComeAndGo() throws Exception {
        // Coinbases 1 and 4 pay to P2PKH (192 vB spends), 2 and 3 to P2WPKH (110-111 vB).
        Transaction a = f.pay(f.coinbase(1), 300);                  // ~1.6 sat/vB alone
        Transaction p = f.pay(f.coinbase(2), 150);                  // ~1.4 alone ...
        Transaction pChild = f.pay(f.out(p, 0), 2_000);             // ... ~9.8 as a package: P's score rises
        Transaction h = f.pay(f.coinbase(3), 10_000);               // ~90 alone ...
        Transaction hChild = f.pay(f.out(h, 0), 500);               // ... package ~48: H keeps its own score
        Transaction m = f.pay(f.coinbase(4), 800);                  // ~4.2 (below H's child, ~4.5)
        for (Transaction t : List.of(a, p, h, hChild, pChild, m)) {
            f.accept(t);
        }
        // Lowest score first; a package goes with its descendants; H must still be found in the
        // index after its child left (its score unchanged throughout).
        List<List<Transaction>> expected = List.of(List.of(a), List.of(m), List.of(hChild), List.of(p, pChild),
                List.of(h));
        int left = 6;
        for (List<Transaction> step : expected) {
            f.pool.trimToSize(f.pool.usage() - 1);
            left -= step.size();
            assertEquals(left, f.pool.size(), "after evicting " + step.get(0).txid());
            for (Transaction t : step) {
                assertFalse(f.pool.contains(t.txid()), t.txid() + " evicted");
            }
        }
        assertEquals(0, f.pool.usage());
    }

    @Test
    void rollingMinFeeDecaysOnlyAfterABlock() throws Exception {
        Transaction a = f.pay(f.coinbase(1), 1_000);
        Transaction b = f.pay(f.coinbase(2), 100_000);
        f.accept(a);
        f.accept(b);
        f.pool.trimToSize(f.pool.usage() - 1);
        long raised = f.pool.minFee().satPerKvB();
        assertTrue(raised > 1_000, "raised " + raised);
        f.clock.addAndGet(12 * 3600);
        assertEquals(raised, f.pool.minFee().satPerKvB(), "no decay without a block");

        f.pool.removeForBlock(List.of());
        // The pool is under a quarter full: half-life 3 hours; after 3 hours the rate halves.
        f.clock.addAndGet(3 * 3600);
        long decayed = f.pool.minFee().satPerKvB();
        assertTrue(Math.abs(decayed - raised / 2) <= 1, raised + " -> " + decayed);
        // Far later it falls below half the incremental fee and resets to zero.
        f.clock.addAndGet(200 * 3600);
        assertEquals(0, f.pool.minFee().satPerKvB());
    }

    @Test
    void rollingMinFeeDecaysAfterABlockAlsoWhenThePoolIsEmpty() throws Exception {
        f.accept(f.pay(f.coinbase(1), 100_000));
        f.pool.trimToSize(0);
        assertEquals(0, f.pool.size());
        long raised = f.pool.minFee().satPerKvB();
        assertTrue(raised > 1_000, "raised " + raised);
        f.clock.addAndGet(12 * 3600);
        assertEquals(raised, f.pool.minFee().satPerKvB(), "no decay without a block");

        // The empty pool skips the per-transaction work of a block, not the fee's decay.
        f.pool.removeForBlock(f.chain.mine(List.of(), 0, f.minerScript()).transactions());
        f.clock.addAndGet(3 * 3600);
        long decayed = f.pool.minFee().satPerKvB();
        assertTrue(Math.abs(decayed - raised / 2) <= 1, raised + " -> " + decayed);
    }

    @Test
    void acceptanceEvictsWhenOverMaxMempool() throws Exception {
        Transaction first = f.pay(f.coinbase(1), 500);
        Transaction second = f.pay(f.coinbase(2), 20_000);
        long budget = MempoolEntry.estimateUsage(first) + MempoolEntry.estimateUsage(second) - 1;
        f.pool = f.newPool(MempoolOptions.defaults().withMaxMempoolBytes(budget));
        f.accept(first);
        f.accept(second);
        assertEquals(List.of(second.txid()), f.pool.txids());
        // The freshly evicted rate now bars a cheap transaction: "mempool min fee not met"; a
        // transaction that would itself be evicted gets "mempool full".
        Transaction third = f.pay(f.coinbase(4), 500);
        assertEquals("mempool min fee not met",
                assertThrows(ValidationException.class, () -> f.accept(third)).rejectReason());
    }

    @Test
    void lowestPaysItsWayOutAsMempoolFull() throws Exception {
        Transaction rich = f.pay(f.coinbase(1), 50_000);
        Transaction poor = f.pay(f.coinbase(2), 300);
        long budget = MempoolEntry.estimateUsage(rich) + MempoolEntry.estimateUsage(poor) - 1;
        f.pool = f.newPool(MempoolOptions.defaults().withMaxMempoolBytes(budget));
        f.accept(rich);
        ValidationException e = assertThrows(ValidationException.class, () -> f.accept(poor));
        assertEquals("mempool full", e.rejectReason());
        assertEquals(List.of(rich.txid()), f.pool.txids());
    }

    @Test
    void expiryRemovesOldEntriesWithDescendants() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withExpiry(Duration.ofHours(336)));
        Transaction old = f.pay(f.coinbase(1), 1_000);
        f.accept(old);
        f.clock.addAndGet(100 * 3600);
        Transaction child = f.pay(f.out(old, 0), 1_000);
        Transaction young = f.pay(f.coinbase(2), 1_000);
        f.accept(child);
        f.accept(young);
        f.clock.addAndGet(236 * 3600);
        assertEquals(0, f.pool.expire(), "exactly 336 hours is not yet expired");
        f.clock.addAndGet(1);
        assertEquals(2, f.pool.expire());
        assertEquals(List.of(young.txid()), f.pool.txids());
        assertEquals(0, f.pool.expire());
    }

    @Test
    void expiryRunsOnAcceptance() throws Exception {
        Transaction old = f.pay(f.coinbase(1), 1_000);
        f.accept(old);
        f.clock.addAndGet(337 * 3600);
        f.accept(f.pay(f.coinbase(2), 1_000));
        assertFalse(f.pool.contains(old.txid()));
        assertEquals(1, f.pool.size());
    }

    @Test
    void usageAndInfoTrackEntries() throws Exception {
        Transaction a = f.split(f.coinbase(1), 3, Kind.P2TR, 2_000);
        f.accept(a);
        MempoolInfo info = f.pool.info();
        assertEquals(1, info.size());
        assertEquals(a.vsize(), info.bytes());
        assertEquals(MempoolEntry.estimateUsage(a), info.usage());
        assertEquals(2_000, info.totalFee());
        assertEquals(300_000_000L, info.maxMempool());
        assertEquals(MempoolOptions.DEFAULT_MIN_RELAY_FEE, info.mempoolMinFee());
        assertTrue(info.fullRbf());
        f.pool.removeRecursive(a.txid(), RemovalReason.CONFLICT);
        assertEquals(0, f.pool.usage());
        assertEquals(0, f.pool.totalVsize());
    }
}
