package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.script.Opcodes;
import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.chain.validation.ValidationException.Result;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Acceptance rules and Core's reject reasons, with real signatures. */
class MempoolAcceptTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();

    /** A mature coinbase whose script is of {@code kind}. */
    private Utxo coinbaseOf(Kind kind) {
        for (int h = 1; h <= 20; h++) {
            if (MempoolFixture.KINDS[h % 3] == kind) {
                return f.coinbase(h);
            }
        }
        throw new AssertionError();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void acceptsSignedSpendOfEachKind(Kind kind) throws Exception {
        Transaction tx = f.split(coinbaseOf(kind), 2, kind, 5_000);
        AcceptResult r = f.accept(tx);
        assertEquals(5_000, r.fee());
        assertEquals(tx.vsize(), r.vsize());
        assertTrue(r.replaced().isEmpty());
        assertTrue(f.pool.contains(tx.txid()));
        EntryInfo e = f.pool.entry(tx.txid()).orElseThrow();
        assertEquals(MempoolFixture.NOW, e.time());
        assertEquals(MempoolFixture.BLOCKS, e.height());
        assertEquals(1, e.ancestorCount());
        assertEquals(tx.vsize(), f.pool.totalVsize());
        assertEquals(5_000, f.pool.totalFees());
    }

    @Test
    void spendOfMempoolOutputIsAcceptedWithAncestorTotals() throws Exception {
        Transaction parent = f.split(f.coinbase(1), 2, Kind.P2TR, 1_000);
        Transaction child = f.pay(f.out(parent, 0), 2_000);
        f.accept(parent);
        f.accept(child);
        EntryInfo c = f.pool.entry(child.txid()).orElseThrow();
        assertEquals(2, c.ancestorCount());
        assertEquals(3_000, c.ancestorFees());
        assertEquals(List.of(parent.txid()), c.depends());
        EntryInfo p = f.pool.entry(parent.txid()).orElseThrow();
        assertEquals(2, p.descendantCount());
        assertEquals(List.of(child.txid()), p.spentBy());
        assertEquals(parent.vsize() + child.vsize(), p.descendantSize());
        assertEquals(child.txid(), f.pool.spender(f.out(parent, 0).outpoint()).orElseThrow());
    }

    @Test
    void alreadyInMempool() throws Exception {
        Transaction tx = f.pay(f.coinbase(1), 1_000);
        f.accept(tx);
        assertEquals("txn-already-in-mempool", f.reject(tx).rejectReason());
    }

    @Test
    void sameTxidDifferentWitness() throws Exception {
        Utxo in = coinbaseOf(Kind.P2WPKH);
        Transaction tx = f.pay(in, 1_000);
        f.accept(tx);
        // Same inputs and outputs, another (valid-looking) witness: same txid, new wtxid.
        TxIn orig = tx.inputs().get(0);
        List<byte[]> w = new ArrayList<>(orig.witness());
        w.set(0, w.get(0).clone());
        w.get(0)[w.get(0).length - 1] = 0x01;
        byte[] sig = w.get(0);
        w.set(0, java.util.Arrays.copyOf(sig, sig.length + 1));
        Transaction other = new Transaction(tx.version(), List.of(orig.withWitness(w)), tx.outputs(), tx.lockTime());
        assertEquals(tx.txid(), other.txid());
        assertEquals("txn-same-nonwitness-data-in-mempool", f.reject(other).rejectReason());
    }

    @Test
    void missingInputsIsAnOrphan() {
        Utxo ghost = new Utxo(new OutPoint(Hash256.fromHex("11".repeat(32)), 0),
                new TxOut(10_000, f.key.script(Kind.P2WPKH)), f.key);
        ValidationException e = f.reject(f.pay(ghost, 1_000));
        assertEquals("bad-txns-inputs-missingorspent", e.rejectReason());
        assertEquals(Result.MISSING_INPUTS, e.result());
    }

    @Test
    void spentConfirmedOutputIsMissing() throws Exception {
        Transaction spend = f.pay(f.coinbase(1), 1_000);
        f.chain.mine(List.of(spend), 1_000, f.minerScript());
        ValidationException e = f.reject(f.pay(f.coinbase(1), 2_000));
        assertEquals("bad-txns-inputs-missingorspent", e.rejectReason());
    }

    @Test
    void confirmedTransactionIsAlreadyKnown() throws Exception {
        Transaction spend = f.pay(f.coinbase(1), 1_000);
        f.chain.mine(List.of(spend), 1_000, f.minerScript());
        assertEquals("txn-already-known", f.reject(spend).rejectReason());
    }

    @Test
    void prematureCoinbaseSpend() {
        // Height 30 matures at 130; the next block is 121.
        ValidationException e = f.reject(f.pay(f.coinbase(30), 1_000));
        assertEquals("bad-txns-premature-spend-of-coinbase", e.rejectReason());
        assertEquals(Result.PREMATURE_SPEND, e.result());
    }

    @Test
    void coinbaseItselfIsRejected() {
        Transaction cb = f.chain.block(5).transactions().get(0);
        assertEquals("coinbase", f.reject(cb).rejectReason());
    }

    @Test
    void minRelayFeeNotMet() {
        Transaction tx = f.pay(f.coinbase(1), 0);
        ValidationException e = f.reject(tx);
        assertEquals("min relay fee not met", e.rejectReason());
        assertEquals(Result.MEMPOOL_POLICY, e.result());
        // 100 sat/kvB: a ~110 vB transaction needs 11 sat.
        long needed = MempoolOptions.DEFAULT_MIN_RELAY_FEE.fee(tx.vsize());
        assertEquals("min relay fee not met", f.reject(f.pay(f.coinbase(1), needed - 1)).rejectReason());
        assertEquals(0, f.pool.size());
    }

    @Test
    void dustOutput() {
        Utxo in = f.coinbase(1);
        // P2WPKH dust threshold at 3000 sat/kvB: (31 + 67) * 3 = 294.
        TxOut dust = new TxOut(293, f.key.script(Kind.P2WPKH));
        assertEquals(294, Policy.dustThreshold(dust, MempoolOptions.DEFAULT_DUST_RELAY_FEE));
        TxOut change = new TxOut(in.output().value() - 10_000, f.key.script(Kind.P2WPKH));
        ValidationException e = f.reject(TestWallet.spend(List.of(in), List.of(change, dust)));
        assertEquals("dust", e.rejectReason());
        assertEquals(Result.NOT_STANDARD, e.result());
    }

    @Test
    void twoDustOutputsAndEphemeralDust() {
        Utxo in = f.coinbase(1);
        TxOut dust = new TxOut(100, f.key.script(Kind.P2WPKH));
        TxOut change = new TxOut(in.output().value() - 10_000, f.key.script(Kind.P2WPKH));
        ValidationException two = f.reject(TestWallet.spend(List.of(in), List.of(change, dust, dust)));
        assertEquals("dust", two.rejectReason());
        // One dust output on a fee-paying transaction: Core 29+'s ephemeral dust rule.
        ValidationException paying = f.reject(TestWallet.spend(List.of(in), List.of(change, dust)));
        assertEquals("dust", paying.rejectReason());
        assertTrue(paying.getMessage().contains("must be 0-fee"), paying.getMessage());
        // With zero fee the dust rule passes, and the fee minimum decides (no package relay here).
        TxOut all = new TxOut(in.output().value() - 100, f.key.script(Kind.P2WPKH));
        assertEquals("min relay fee not met",
                f.reject(TestWallet.spend(List.of(in), List.of(all, dust))).rejectReason());
    }

    @Test
    void nonStandardOutputScript() {
        Utxo in = f.coinbase(1);
        TxOut weird = new TxOut(10_000, new byte[] {(byte) Opcodes.OP_1, (byte) Opcodes.OP_1, (byte) 0x93});
        TxOut change = new TxOut(in.output().value() - 20_000, f.key.script(Kind.P2WPKH));
        assertEquals("scriptpubkey", f.reject(TestWallet.spend(List.of(in), List.of(change, weird))).rejectReason());
    }

    @Test
    void datacarrierLimit() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withDatacarrier(40));
        Utxo in = f.coinbase(1);
        byte[] data = new byte[41];
        data[0] = (byte) Opcodes.OP_RETURN;
        data[1] = 39;
        TxOut opReturn = new TxOut(0, data);
        TxOut change = new TxOut(in.output().value() - 10_000, f.key.script(Kind.P2WPKH));
        assertEquals("datacarrier", f.reject(TestWallet.spend(List.of(in), List.of(change, opReturn))).rejectReason());
        // Two small OP_RETURN outputs within the total are standard (Core 30).
        byte[] small = {(byte) Opcodes.OP_RETURN, 2, 0x01, 0x02};
        f.accept(TestWallet.spend(List.of(in), List.of(change, new TxOut(0, small), new TxOut(0, small))));
    }

    @Test
    void versionThreeIsNonStandard() {
        Transaction v2 = f.pay(f.coinbase(1), 1_000);
        Transaction v3 = new Transaction(3, v2.inputs(), v2.outputs(), 0);
        assertEquals("version", f.reject(v3).rejectReason());
    }

    @Test
    void tooSmallNonWitnessSize() {
        // 1 P2TR input, 1 OP_RETURN output of 4 bytes: 10 + 41 + 13 = 64 bytes without witness.
        Transaction tx = TestWallet.spend(List.of(coinbaseOf(Kind.P2TR)),
                List.of(new TxOut(0, new byte[] {(byte) Opcodes.OP_RETURN, 2, 0x01, 0x02})));
        assertEquals(64, tx.baseSize());
        assertEquals("tx-size-small", f.reject(tx).rejectReason());
    }

    @Test
    void nonFinalLockTime() {
        Utxo in = f.coinbase(1);
        TxOut out = new TxOut(in.output().value() - 1_000, f.key.script(Kind.P2WPKH));
        // The next block is 121: lock time 121 is not yet final, 120 is.
        assertEquals("non-final", f.reject(TestWallet.spend(List.of(in), List.of(out), 0xfffffffeL, 121))
                .rejectReason());
        // A time lock is compared with the median time past: one far in the future is not final either.
        assertEquals("non-final", f.reject(TestWallet.spend(List.of(in), List.of(out), 0xfffffffeL, 2_000_000_000L))
                .rejectReason());
        // With every sequence final the lock time is ignored.
        assertTrue(org.jbitcoind.chain.validation.TxVerify.isFinalTx(TestWallet.spend(List.of(in), List.of(out), 0xffffffffL,
                2_000_000_000L), f.chain.tip().height() + 1, f.chain.tip().medianTimePast()));
    }

    @Test
    void finalLockTimeAccepted() throws Exception {
        Utxo in = f.coinbase(1);
        TxOut out = new TxOut(in.output().value() - 1_000, f.key.script(Kind.P2WPKH));
        f.accept(TestWallet.spend(List.of(in), List.of(out), 0xfffffffeL, 120));
    }

    @Test
    void bip68RelativeLock() throws Exception {
        // Coinbase 1 is 120 blocks deep at the next block (121 - 1); a lock of 150 blocks is not met.
        Utxo in = f.coinbase(1);
        TxOut out = new TxOut(in.output().value() - 1_000, f.key.script(Kind.P2WPKH));
        assertEquals("non-BIP68-final", f.reject(TestWallet.spend(List.of(in), List.of(out), 150, 0)).rejectReason());
        f.accept(TestWallet.spend(List.of(in), List.of(out), 120, 0));
    }

    @Test
    void badSignatureIsMandatoryFailure() {
        Transaction good = f.pay(coinbaseOf(Kind.P2WPKH), 1_000);
        // Sign a different transaction (other fee) and graft its witness: signature does not match.
        Transaction other = f.pay(coinbaseOf(Kind.P2WPKH), 2_000);
        Transaction bad = new Transaction(2, List.of(good.inputs().get(0).withWitness(other.inputs().get(0).witness())),
                good.outputs(), 0);
        ValidationException e = f.reject(bad);
        assertTrue(e.rejectReason().startsWith("mandatory-script-verify-flag-failed ("), e.rejectReason());
        assertEquals(Result.CONSENSUS, e.result());
    }

    @Test
    void nonMinimalPushIsNonMandatoryFailure() {
        Transaction good = f.pay(coinbaseOf(Kind.P2PKH), 1_000);
        byte[] scriptSig = good.inputs().get(0).scriptSig();
        // Re-encode the first push (the signature) with OP_PUSHDATA1: valid by consensus, not MINIMALDATA.
        int sigLen = scriptSig[0] & 0xff;
        byte[] alt = new byte[scriptSig.length + 1];
        alt[0] = (byte) Opcodes.OP_PUSHDATA1;
        System.arraycopy(scriptSig, 0, alt, 1, scriptSig.length);
        assertEquals(sigLen, alt[1] & 0xff);
        Transaction tx = new Transaction(2, List.of(good.inputs().get(0).withScriptSig(alt)), good.outputs(), 0);
        ValidationException e = f.reject(tx);
        assertTrue(e.rejectReason().startsWith("non-mandatory-script-verify-flag ("), e.rejectReason());
        assertEquals(Result.NOT_STANDARD, e.result());
    }

    @Test
    void nonPushScriptSig() {
        Transaction good = f.pay(coinbaseOf(Kind.P2PKH), 1_000);
        byte[] scriptSig = good.inputs().get(0).scriptSig();
        byte[] alt = java.util.Arrays.copyOf(scriptSig, scriptSig.length + 2);
        alt[scriptSig.length] = (byte) Opcodes.OP_1;
        alt[scriptSig.length + 1] = (byte) Opcodes.OP_DROP;
        Transaction tx = new Transaction(2, List.of(good.inputs().get(0).withScriptSig(alt)), good.outputs(), 0);
        assertEquals("scriptsig-not-pushonly", f.reject(tx).rejectReason());
    }

    @Test
    void dustAcceptedWhenPolicyOff() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withRequireStandard(false));
        Utxo in = f.coinbase(1);
        TxOut dust = new TxOut(1, f.key.script(Kind.P2WPKH));
        TxOut change = new TxOut(in.output().value() - 10_000, f.key.script(Kind.P2WPKH));
        f.accept(TestWallet.spend(List.of(in), List.of(change, dust)));
        assertEquals(1, f.pool.size());
    }

    @Test
    void ancestorCountLimit() throws Exception {
        Utxo in = f.coinbase(1);
        for (int i = 0; i < 25; i++) {
            Transaction tx = f.pay(in, 1_000);
            f.accept(tx);
            in = f.out(tx, 0);
        }
        ValidationException e = f.reject(f.pay(in, 1_000));
        assertEquals("too-long-mempool-chain", e.rejectReason());
        assertTrue(e.getMessage().contains("too many unconfirmed ancestors [limit: 25]"), e.getMessage());
        assertEquals(25, f.pool.size());
    }

    @Test
    void descendantCountLimit() throws Exception {
        f.pool = f.newPool(MempoolOptions.defaults().withChainLimits(25, 101_000, 3, 101_000));
        Transaction parent = f.split(f.coinbase(1), 4, Kind.P2WPKH, 1_000);
        f.accept(parent);
        f.accept(f.pay(f.out(parent, 0), 1_000));
        f.accept(f.pay(f.out(parent, 1), 1_000));
        ValidationException e = f.reject(f.pay(f.out(parent, 2), 1_000));
        assertEquals("too-long-mempool-chain", e.rejectReason());
        assertTrue(e.getMessage().contains("too many descendants for tx " + parent.txid()), e.getMessage());
    }

    @Test
    void ancestorSizeLimit() throws Exception {
        Transaction a = f.pay(f.coinbase(1), 1_000);
        Transaction b = f.pay(f.out(a, 0), 1_000);
        f.pool = f.newPool(MempoolOptions.defaults().withChainLimits(25, a.vsize() + b.vsize() + 1, 25, 101_000));
        f.accept(a);
        f.accept(b);
        ValidationException e = f.reject(f.pay(f.out(b, 0), 1_000));
        assertEquals("too-long-mempool-chain", e.rejectReason());
        assertTrue(e.getMessage().contains("exceeds ancestor size limit"), e.getMessage());
    }

    @Test
    void prioritiseChangesModifiedFee() throws Exception {
        Transaction tx = f.pay(f.coinbase(1), 0);
        f.pool.prioritise(tx.txid(), 10_000);
        f.accept(tx);
        EntryInfo e = f.pool.entry(tx.txid()).orElseThrow();
        assertEquals(0, e.fee());
        assertEquals(10_000, e.modifiedFee());
    }

    @Test
    void listenersHearAdditionsAndRemovals() throws Exception {
        List<String> events = new ArrayList<>();
        f.pool.addListener(new MempoolListener() {
            @Override
            public void transactionAdded(EntryInfo entry) {
                events.add("add " + entry.txid());
            }

            @Override
            public void transactionRemoved(Transaction tx, RemovalReason reason) {
                events.add(reason + " " + tx.txid());
            }
        });
        Transaction a = f.pay(f.coinbase(1), 1_000);
        Transaction b = f.pay(f.coinbase(1), 5_000);
        f.accept(a);
        f.accept(b);
        assertEquals(List.of("add " + a.txid(), "REPLACED " + a.txid(), "add " + b.txid()), events);
        long seq = f.pool.sequence();
        assertTrue(seq >= 4, "sequence " + seq);
    }
}
