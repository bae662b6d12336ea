package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.Test;

/** Scripts are checked outside the lock: concurrent acceptance must leave a consistent pool. */
class ConcurrentAcceptTest {
    @Test
    void twoThreadsAcceptingIndependentAndConflictingTransactions() throws Exception {
        try (MempoolFixture f = new MempoolFixture()) {
            Transaction fan = f.split(f.coinbase(1), 60, Kind.P2TR, 10_000);
            f.chain.mine(List.of(fan), 10_000, f.minerScript());
            List<Transaction> independent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                independent.add(f.pay(f.out(fan, i), 500 + i));
            }
            Utxo contested = f.coinbase(2);
            Transaction cheap = f.pay(contested, 1_000);
            Transaction rich = f.pay(contested, 50_000);

            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int offset = t;
                    futures.add(pool.submit(() -> {
                        for (int i = offset; i < independent.size(); i += 2) {
                            f.accept(independent.get(i));
                            if (i == 30 + offset) {
                                try {
                                    f.accept(offset == 0 ? cheap : rich);
                                } catch (ValidationException e) {
                                    // the cheap one loses to the rich one when it comes second
                                    assertEquals("insufficient fee", e.rejectReason());
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> fu : futures) {
                    fu.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
            assertEquals(61, f.pool.size());
            assertTrue(f.pool.contains(rich.txid()));
            assertFalse(f.pool.contains(cheap.txid()));
            long vsize = 0;
            long fees = 0;
            for (EntryInfo e : f.pool.entries()) {
                vsize += e.vsize();
                fees += e.fee();
            }
            assertEquals(vsize, f.pool.totalVsize());
            assertEquals(fees, f.pool.totalFees());
        }
    }
}
