package org.jbitcoind.chain.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.mempool.AcceptResult;
import org.jbitcoind.chain.mempool.MempoolOptions;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.testing.TestWallet.Key;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * A regtest chain of 120 blocks whose coinbases pay to test keys (P2WPKH, P2PKH, P2TR in turn),
 * so heights 1..20 are mature, and a mempool on a controllable clock.
 */
public final class MempoolFixture implements AutoCloseable {
    public static final long NOW = 1_750_000_000L;
    public static final int BLOCKS = 120;
    public static final Kind[] KINDS = {Kind.P2WPKH, Kind.P2PKH, Kind.P2TR};

    public final AtomicLong clock = new AtomicLong(NOW);
    public final RegtestChain chain;
    public final Key key = TestWallet.key(1);
    public final Key minerKey = TestWallet.key(99);
    public TxMempool pool;

    /**
     * A fresh chain and pool for each test: use it as a field with {@code @AutoClose}, or in
     * try-with-resources.
     */
    public MempoolFixture() {
        this(MempoolOptions.defaults());
    }

    public MempoolFixture(MempoolOptions opts) {
        chain = matureChain(key);
        pool = newPool(opts);
    }

    private static RegtestChain matureChain(Key key) {
        RegtestChain chain = null;
        try {
            chain = new RegtestChain(NOW - 100_000);
            for (int h = 1; h <= BLOCKS; h++) {
                chain.mine(List.of(), 0, key.script(KINDS[h % 3]));
            }
            return chain;
        } catch (ValidationException e) {
            if (chain != null) {
                chain.close();
            }
            throw new IllegalStateException("the fixture's own chain was rejected: " + e.getMessage(), e);
        }
    }

    public TxMempool newPool(MempoolOptions opts) {
        return new TxMempool(opts, new ScriptVerifier(new SignatureCache(10_000), true), clock::get);
    }

    /** The coinbase output of block {@code height}, spendable by {@link #key}. */
    public Utxo coinbase(int height) {
        Transaction cb = chain.block(height).transactions().get(0);
        return new Utxo(new OutPoint(cb.txid(), 0), cb.outputs().get(0), key);
    }

    /** Spends {@code in} into {@code n} equal outputs of {@code kind} to {@link #key}, paying {@code fee}. */
    public Transaction split(Utxo in, int n, Kind kind, long fee) {
        long each = (in.output().value() - fee) / n;
        List<TxOut> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outs.add(new TxOut(i == 0 ? in.output().value() - fee - each * (n - 1) : each, key.script(kind)));
        }
        return TestWallet.spend(List.of(in), outs);
    }

    /** One input to one output of the same kind to {@link #key}, paying {@code fee}. */
    public Transaction pay(Utxo in, long fee) {
        return TestWallet.spend(List.of(in), List.of(new TxOut(in.output().value() - fee,
                key.script(TestWallet.kindOf(in.output().scriptPubKey())))));
    }

    public Utxo out(Transaction tx, int index) {
        return new Utxo(new OutPoint(tx.txid(), index), tx.outputs().get(index), key);
    }

    public AcceptResult accept(Transaction tx) throws ValidationException {
        return pool.accept(tx, chain.context());
    }

    /** The rejection of a transaction the pool must refuse; fails if the pool accepts it. */
    public ValidationException reject(Transaction tx) {
        try {
            AcceptResult accepted = accept(tx);
            throw new AssertionError("accepted " + tx.txid() + ": " + accepted);
        } catch (ValidationException e) {
            return e;
        }
    }

    /** An output script of {@link #minerKey}, for the coinbases of blocks mined in a test. */
    public byte[] minerScript() {
        return minerKey.script(Kind.P2WPKH);
    }

    @Override
    public void close() {
        chain.close();
    }
}
