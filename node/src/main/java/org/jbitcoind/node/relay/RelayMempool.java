package org.jbitcoind.node.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

import org.jbitcoind.chain.mempool.AcceptResult;
import org.jbitcoind.chain.mempool.ChainContext;
import org.jbitcoind.chain.mempool.EntryInfo;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;

/** The mempool as transaction relay uses it; {@link #of} adapts the node's {@link TxMempool}. */
public interface RelayMempool {
    /**
     * A pooled transaction with what announcing it needs: its fee rate, its place among its
     * ancestors, and when it entered the pool (seconds since the epoch).
     */
    record Entry(Transaction tx, long fee, int vsize, long ancestorCount, long time) {
    }

    Optional<Entry> entry(Hash256 txid);

    Optional<Transaction> byWtxid(Hash256 wtxid);

    boolean contains(Hash256 txid);

    boolean containsWtxid(Hash256 wtxid);

    /** Every entry (BIP35 mempool answers). */
    List<Entry> entries();

    /** Core's AcceptToMemoryPool at the current tip. */
    AcceptResult accept(Transaction tx) throws ValidationException;

    /**
     * {@link #accept(Transaction)} after {@link #precheck} of the same transaction, whose result
     * (null when there was none) spares the acceptance a second coin read and script run
     * ({@link TxMempool#accept(Transaction, ChainContext, TxMempool.Precheck)}).
     */
    default AcceptResult accept(Transaction tx, TxMempool.Precheck precheck) throws ValidationException {
        return accept(tx);
    }

    /**
     * Checks the transaction's scripts ahead of {@link #accept}, from any thread, so that the
     * serial acceptance need not ({@link TxMempool#precheck}). Decides nothing and never throws;
     * null when there is nothing to hand on.
     */
    default TxMempool.Precheck precheck(Transaction tx) {
        return null;
    }

    /**
     * {@link #precheck(Transaction)} of several transactions, in order, each result handed to
     * {@code done} as soon as it is known. The daemon's pool reads the chain coins of all of them
     * in one call on the chain thread instead of one call per transaction.
     */
    default void precheck(List<Transaction> txs, ObjIntConsumer<TxMempool.Precheck> done) {
        for (int i = 0; i < txs.size(); i++) {
            done.accept(precheck(txs.get(i)), i);
        }
    }

    /** A peer asked for the transaction: it is no longer "unbroadcast". */
    void requestedByPeer(Hash256 txid);

    /** Transactions submitted locally (RPC) that no peer has asked for yet. */
    Set<Hash256> unbroadcast();

    /** -minrelaytxfee in sat/kvB: the feefilter the P2P layer sends after the handshake. */
    long minRelayFeeRate();

    /** The lowest fee rate (sat/kvB) a transaction needs to enter now: the minimum relay fee or the rolling minimum. */
    long minFeeRate();

    static RelayMempool of(TxMempool pool, Supplier<ChainContext> context) {
        return new RelayMempool() {
            @Override
            public Optional<Entry> entry(Hash256 txid) {
                return pool.entry(txid).map(RelayMempool::entryOf);
            }

            @Override
            public Optional<Transaction> byWtxid(Hash256 wtxid) {
                return pool.getByWtxid(wtxid);
            }

            @Override
            public boolean contains(Hash256 txid) {
                return pool.contains(txid);
            }

            @Override
            public boolean containsWtxid(Hash256 wtxid) {
                return pool.containsWtxid(wtxid);
            }

            @Override
            public List<Entry> entries() {
                List<Entry> out = new ArrayList<>();
                for (EntryInfo e : pool.entries()) {
                    out.add(entryOf(e));
                }
                return out;
            }

            @Override
            public AcceptResult accept(Transaction tx) throws ValidationException {
                return pool.accept(tx, context.get());
            }

            @Override
            public AcceptResult accept(Transaction tx, TxMempool.Precheck precheck) throws ValidationException {
                return pool.accept(tx, context.get(), precheck);
            }

            @Override
            public TxMempool.Precheck precheck(Transaction tx) {
                return pool.precheck(tx, context.get());
            }

            @Override
            public void precheck(List<Transaction> txs, ObjIntConsumer<TxMempool.Precheck> done) {
                ChainContext ctx = context.get();
                ChainContext batch = new ChainContext(BatchReadCoins.read(txs, ctx.coins()), ctx.tip(), ctx.params());
                for (int i = 0; i < txs.size(); i++) {
                    done.accept(pool.precheck(txs.get(i), batch), i);
                }
            }

            @Override
            public void requestedByPeer(Hash256 txid) {
                pool.removeUnbroadcast(txid);
            }

            @Override
            public Set<Hash256> unbroadcast() {
                return pool.unbroadcast();
            }

            @Override
            public long minRelayFeeRate() {
                return pool.options().minRelayFee().satPerKvB();
            }

            @Override
            public long minFeeRate() {
                return Math.max(pool.minFee().satPerKvB(), minRelayFeeRate());
            }
        };
    }

    private static Entry entryOf(EntryInfo e) {
        return new Entry(e.tx(), e.fee(), e.vsize(), e.ancestorCount(), e.time());
    }
}
