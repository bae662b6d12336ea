package org.jbitcoind.node.relay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.jbitcoind.chain.mempool.AcceptResult;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/** Test doubles for {@link TxRelay}: a peer that records what it is sent, a map-backed mempool. */
final class FakeRelay {
    private FakeRelay() {
    }

    /** A transaction spending {@code prevout}, made unique by {@code salt}; with a witness when asked. */
    static Transaction tx(OutPoint prevout, int salt, boolean witness) {
        List<byte[]> w = witness ? List.of(new byte[] {(byte) salt}) : List.of();
        return new Transaction(2, List.of(new TxIn(prevout, new byte[0], 0xfffffffdL, w)),
                List.of(new TxOut(10_000 + salt, new byte[] {0x51})), 0);
    }

    static Transaction tx(int salt) {
        return tx(new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {(byte) salt, 7})), 0), salt, true);
    }

    static final class Peer implements RelayPeer {
        final long id;
        final boolean inbound;
        boolean txRelayConnection = true;
        boolean wtxidRelay = true;
        long feeFilter;
        boolean relayTxs = true;
        Predicate<Transaction> filter = tx -> true;
        final List<Message> sent = new ArrayList<>();
        String disconnected;
        int misbehaviour;

        Peer(long id, boolean inbound) {
            this.id = id;
            this.inbound = inbound;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public boolean isInbound() {
            return inbound;
        }

        @Override
        public boolean txRelayConnection() {
            return txRelayConnection;
        }

        @Override
        public boolean wtxidRelay() {
            return wtxidRelay;
        }

        @Override
        public long feeFilter() {
            return feeFilter;
        }

        @Override
        public boolean relayTxs() {
            return relayTxs;
        }

        @Override
        public boolean wantsTransaction(Transaction tx) {
            return relayTxs && filter.test(tx);
        }

        @Override
        public void send(Message message) {
            sent.add(message);
        }

        @Override
        public void disconnect(String reason) {
            if (disconnected == null) {
                disconnected = reason;
            }
        }

        @Override
        public void misbehaving(int score, String reason) {
            misbehaviour += score;
        }

        /** Items of every message of {@code kind} sent so far, then forgets all sent messages. */
        List<InvItem> take(InventoryMessage.Kind kind) {
            List<InvItem> out = new ArrayList<>();
            for (Message m : sent) {
                if (m instanceof InventoryMessage i && i.kind() == kind) {
                    out.addAll(i.items());
                }
            }
            sent.clear();
            return out;
        }
    }

    /** A mempool that accepts any transaction whose parents it has (or which spend "confirmed" coins). */
    static final class Mempool implements RelayMempool {
        final Map<Hash256, Entry> pool = new LinkedHashMap<>();
        final Set<Hash256> invalid = new HashSet<>();
        final Set<Hash256> nonStandard = new HashSet<>();
        final Map<Hash256, Long> fees = new LinkedHashMap<>();
        final List<Hash256> requested = new ArrayList<>();
        final List<Transaction> added = new ArrayList<>();

        /** Entry times: the test's wall clock (seconds). */
        long nowSeconds = 1_700_000_000L;

        void put(Transaction tx, long fee) {
            putAt(tx, fee, nowSeconds);
        }

        void putAt(Transaction tx, long fee, long time) {
            pool.put(tx.txid(), new Entry(tx, fee, tx.vsize(), 1 + parentsInPool(tx), time));
        }

        private long parentsInPool(Transaction tx) {
            return tx.inputs().stream().filter(in -> pool.containsKey(in.prevout().txid())).count();
        }

        @Override
        public Optional<Entry> entry(Hash256 txid) {
            return Optional.ofNullable(pool.get(txid));
        }

        @Override
        public Optional<Transaction> byWtxid(Hash256 wtxid) {
            return pool.values().stream().map(Entry::tx).filter(t -> t.wtxid().equals(wtxid)).findFirst();
        }

        @Override
        public boolean contains(Hash256 txid) {
            return pool.containsKey(txid);
        }

        @Override
        public boolean containsWtxid(Hash256 wtxid) {
            return byWtxid(wtxid).isPresent();
        }

        @Override
        public List<Entry> entries() {
            return List.copyOf(pool.values());
        }

        /** Inputs count as confirmed coins, except outputs of {@link #pendingParents}, which must be pooled first. */
        @Override
        public AcceptResult accept(Transaction tx) throws ValidationException {
            if (invalid.contains(tx.txid())) {
                throw ValidationException.consensus("bad-txns-vout-negative");
            }
            if (nonStandard.contains(tx.txid())) {
                throw new ValidationException(ValidationException.Result.NOT_STANDARD, "scriptpubkey");
            }
            for (TxIn in : tx.inputs()) {
                if (pendingParents.contains(in.prevout().txid()) && !pool.containsKey(in.prevout().txid())) {
                    throw new ValidationException(ValidationException.Result.MISSING_INPUTS, "missing-inputs");
                }
            }
            long fee = fees.getOrDefault(tx.txid(), 1000L);
            put(tx, fee);
            added.add(tx);
            return new AcceptResult(tx, tx.txid(), tx.wtxid(), fee, tx.vsize(), List.of());
        }

        /** Txids that count as unknown parents until they are in the pool. */
        final Set<Hash256> pendingParents = new HashSet<>();

        @Override
        public void requestedByPeer(Hash256 txid) {
            requested.add(txid);
        }

        long minFee = 1000;
        final Set<Hash256> unbroadcast = new HashSet<>();

        @Override
        public Set<Hash256> unbroadcast() {
            return Set.copyOf(unbroadcast);
        }

        @Override
        public long minRelayFeeRate() {
            return 1000;
        }

        @Override
        public long minFeeRate() {
            return Math.max(minFee, 1000);
        }
    }
}
