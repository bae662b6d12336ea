package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Double spends and full replace-by-fee (Core's rules 2-5 and the feerate rule). */
class ReplacementTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();

    /** The same input paying a different amount (never signalling BIP125: sequence final). */
    private Transaction spendFinal(Utxo in, long fee) {
        return TestWallet.spend(List.of(in), List.of(new TxOut(in.output().value() - fee,
                f.key.script(Kind.P2WPKH))), 0xffffffffL, 0);
    }

    @Test
    void doubleSpendWithoutReplacementIsAConflict() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withFullRbf(false));
        Utxo in = f.coinbase(1);
        Transaction original = spendFinal(in, 1_000);
        f.accept(original);
        ValidationException e = f.reject(spendFinal(in, 50_000));
        assertEquals("txn-mempool-conflict", e.rejectReason());
        assertEquals(ValidationException.Result.CONFLICT, e.result());
        assertTrue(f.pool.contains(original.txid()));
    }

    @Test
    void bip125SignallingIsReplaceableWithoutFullRbf() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withFullRbf(false));
        Utxo in = f.coinbase(1);
        Transaction original = f.pay(in, 1_000); // sequence 0xfffffffd signals
        f.accept(original);
        AcceptResult r = f.accept(f.pay(in, 50_000));
        assertEquals(List.of(original), r.replaced());
    }

    @Test
    void doubleSpendWithLowerFeeIsInsufficientFee() throws Exception {
        Utxo in = f.coinbase(1);
        f.accept(spendFinal(in, 5_000));
        ValidationException e = f.reject(spendFinal(in, 4_000));
        assertEquals("insufficient fee", e.rejectReason());
        assertEquals(ValidationException.Result.MEMPOOL_POLICY, e.result());
    }

    @Test
    void fullRbfReplacesNonSignallingOriginal() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction original = spendFinal(in, 1_000);
        f.accept(original);
        Transaction replacement = spendFinal(in, 10_000);
        AcceptResult r = f.accept(replacement);
        assertEquals(List.of(original), r.replaced());
        assertFalse(f.pool.contains(original.txid()));
        assertTrue(f.pool.contains(replacement.txid()));
        assertEquals(1, f.pool.size());
        assertEquals(10_000, f.pool.totalFees());
        assertEquals(replacement.txid(), f.pool.spender(in.outpoint()).orElseThrow());
    }

    @Test
    void replacementEvictsDescendants() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction parent = f.split(in, 2, Kind.P2WPKH, 1_000);
        Transaction child = f.pay(f.out(parent, 0), 1_000);
        Transaction grandchild = f.pay(f.out(child, 0), 1_000);
        Transaction unrelated = f.pay(f.coinbase(2), 1_000);
        for (Transaction t : List.of(parent, child, grandchild, unrelated)) {
            f.accept(t);
        }
        Transaction replacement = f.pay(in, 10_000);
        AcceptResult r = f.accept(replacement);
        Set<Hash256> replaced = r.replaced().stream().map(Transaction::txid).collect(Collectors.toSet());
        assertEquals(Set.of(parent.txid(), child.txid(), grandchild.txid()), replaced);
        assertEquals(Set.of(replacement.txid(), unrelated.txid()), Set.copyOf(f.pool.txids()));
    }

    @Test
    void mustPayForEvictedDescendants() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction parent = f.split(in, 2, Kind.P2WPKH, 1_000);
        Transaction child = f.pay(f.out(parent, 0), 20_000);
        f.accept(parent);
        f.accept(child);
        // Higher feerate than the parent, but less than parent + child fees together.
        ValidationException e = f.reject(f.pay(in, 15_000));
        assertEquals("insufficient fee", e.rejectReason());
        assertTrue(e.getMessage().contains("less fees than conflicting txs"), e.getMessage());
        assertEquals(2, f.pool.size());
    }

    @Test
    void mustPayIncrementalRelayFeeForItsOwnSize() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction original = spendFinal(in, 1_000);
        f.accept(original);
        // Needs 1000 + 100 sat/kvB * vsize (11 sat for ~110 vB); 1005 is more but not enough.
        ValidationException e = f.reject(spendFinal(in, 1_005));
        assertEquals("insufficient fee", e.rejectReason());
        assertTrue(e.getMessage().contains("not enough additional fees to relay"), e.getMessage());
        long needed = 1_000 + MempoolOptions.DEFAULT_INCREMENTAL_RELAY_FEE.fee(original.vsize());
        f.accept(spendFinal(in, needed));
    }

    @Test
    void mustNotAddUnconfirmedInputs() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction original = f.pay(in, 1_000);
        Transaction other = f.pay(f.coinbase(2), 1_000);
        f.accept(original);
        f.accept(other);
        Utxo unconfirmed = f.out(other, 0);
        Transaction replacement = TestWallet.spend(List.of(in, unconfirmed), List.of(new TxOut(
                in.output().value() + unconfirmed.output().value() - 50_000, f.key.script(Kind.P2WPKH))));
        assertEquals("replacement-adds-unconfirmed", f.reject(replacement).rejectReason());
    }

    @Test
    void mustNotSpendWhatItReplaces() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction parent = f.split(in, 2, Kind.P2WPKH, 1_000);
        f.accept(parent);
        // Spends the coinbase again (conflicts with parent) and an output of parent itself.
        Transaction bad = TestWallet.spend(List.of(in, f.out(parent, 1)), List.of(new TxOut(
                in.output().value() + f.out(parent, 1).output().value() - 100_000, f.key.script(Kind.P2WPKH))));
        assertEquals("bad-txns-spends-conflicting-tx", f.reject(bad).rejectReason());
    }

    @Test
    void tooManyPotentialReplacements() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withChainLimits(25, 101_000, 200, 1_000_000));
        Utxo in = f.coinbase(1);
        Transaction parent = f.split(in, 101, Kind.P2TR, 10_000);
        f.accept(parent);
        List<Transaction> children = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Transaction c = f.pay(f.out(parent, i), 200);
            f.accept(c);
            children.add(c);
        }
        assertEquals(101, f.pool.size());
        ValidationException e = f.reject(f.pay(in, 1_000_000));
        assertEquals("too many potential replacements", e.rejectReason());
        assertEquals(101, f.pool.size());
    }

    @Test
    void childOfAFullPackageCanBeReplaced() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withChainLimits(25, 101_000, 3, 101_000));
        Transaction parent = f.split(f.coinbase(1), 3, Kind.P2WPKH, 1_000);
        Transaction c1 = f.pay(f.out(parent, 0), 1_000);
        Transaction c2 = f.pay(f.out(parent, 1), 1_000);
        for (Transaction t : List.of(parent, c1, c2)) {
            f.accept(t);
        }
        // The package is at its descendant limit, yet a replacement of one child fits once it is gone.
        assertEquals("too-long-mempool-chain", f.reject(f.pay(f.out(parent, 2), 5_000)).rejectReason());
        AcceptResult r = f.accept(f.pay(f.out(parent, 1), 5_000));
        assertEquals(List.of(c2), r.replaced());
        assertEquals(3, f.pool.entry(parent.txid()).orElseThrow().descendantCount());
    }

    @Test
    void lowerFeerateThanDirectConflictIsRejected() throws Exception {
        Utxo a = f.coinbase(1);
        Utxo b = f.coinbase(2);
        Transaction small = f.pay(a, 20_000);
        f.accept(small);
        // Replacement spends a and b: more absolute fee, but its feerate is below small's.
        Transaction big = TestWallet.spend(List.of(a, b), List.of(new TxOut(
                a.output().value() + b.output().value() - 25_000, f.key.script(Kind.P2WPKH))));
        assertTrue(25_000L * small.vsize() < 20_000L * big.vsize());
        ValidationException e = f.reject(big);
        assertEquals("insufficient fee", e.rejectReason());
        assertTrue(e.getMessage().contains("new feerate"), e.getMessage());
    }
}
