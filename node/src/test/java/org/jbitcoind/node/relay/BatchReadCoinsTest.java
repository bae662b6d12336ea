package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.Test;

class BatchReadCoinsTest {
    /** A chain view that counts its one-step reads and can move to another block. */
    private static final class CountingView implements CoinsView {
        final Map<OutPoint, Coin> coins = new HashMap<>();
        Hash256 best = Hash256.wrap(filled(1));
        int reads;

        @Override
        public Optional<Coin> getCoin(OutPoint outpoint) {
            return Optional.ofNullable(coins.get(outpoint));
        }

        @Override
        public Hash256 bestBlock() {
            return best;
        }

        @Override
        public Read readCoins(List<OutPoint> outpoints) {
            reads++;
            return CoinsView.super.readCoins(outpoints);
        }
    }

    private static byte[] filled(int b) {
        byte[] a = new byte[32];
        java.util.Arrays.fill(a, (byte) b);
        return a;
    }

    private static OutPoint op(int n, int vout) {
        return new OutPoint(Hash256.wrap(filled(n)), vout);
    }

    private static Transaction spending(OutPoint... prevouts) {
        List<TxIn> ins = java.util.Arrays.stream(prevouts).map(p -> new TxIn(p, new byte[0], 0xffffffffL)).toList();
        return new Transaction(2, ins, List.of(new TxOut(1, new byte[] {0x51})), 0);
    }

    private static Coin coin(long value) {
        return new Coin(new TxOut(value, new byte[] {0x51}), 5, false);
    }

    @Test
    void oneReadForTheBatchAndEachTransactionGetsExactlyItsOwnCoins() {
        CountingView chain = new CountingView();
        chain.coins.put(op(10, 0), coin(100));
        chain.coins.put(op(10, 1), coin(101));
        chain.coins.put(op(11, 0), coin(110));
        Transaction a = spending(op(10, 0), op(10, 1));
        Transaction b = spending(op(11, 0), op(12, 0)); // op(12, 0) is not on chain
        Transaction c = spending(op(10, 0)); // a double spend of a's first input
        BatchReadCoins batch = BatchReadCoins.read(List.of(a, b, c), chain);
        assertEquals(1, chain.reads);
        Hash256 readAt = chain.best;
        chain.best = Hash256.wrap(filled(2)); // the chain moves on: the batch still reports its own block

        for (Transaction tx : List.of(a, b, c)) {
            List<OutPoint> outs = tx.inputs().stream().map(TxIn::prevout).toList();
            CoinsView.Read got = batch.readCoins(outs);
            Map<OutPoint, Coin> expected = new HashMap<>();
            for (OutPoint o : outs) {
                if (chain.coins.containsKey(o)) {
                    expected.put(o, chain.coins.get(o));
                }
            }
            assertEquals(expected, got.coins());
            assertEquals(readAt, got.bestBlock());
        }
        assertEquals(1, chain.reads, "the transactions' own reads went to the chain");
        assertTrue(batch.getCoin(op(12, 0)).isEmpty());
        assertEquals(readAt, batch.bestBlock());
    }

    @Test
    void outpointsOutsideTheBatchAreReadFromTheChain() {
        CountingView chain = new CountingView();
        chain.coins.put(op(10, 0), coin(100));
        chain.coins.put(op(20, 0), coin(200));
        BatchReadCoins batch = BatchReadCoins.read(List.of(spending(op(10, 0))), chain);
        chain.best = Hash256.wrap(filled(3));
        CoinsView.Read got = batch.readCoins(List.of(op(10, 0), op(20, 0)));
        assertEquals(2, chain.reads);
        assertEquals(Map.of(op(10, 0), coin(100), op(20, 0), coin(200)), got.coins());
        assertEquals(chain.best, got.bestBlock());
        assertEquals(Optional.of(coin(200)), batch.getCoin(op(20, 0)));
    }
}
