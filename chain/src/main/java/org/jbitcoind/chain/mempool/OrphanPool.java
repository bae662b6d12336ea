package org.jbitcoind.chain.mempool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions whose inputs are not (yet) known (Core's TxOrphanage): kept for a while, bounded in
 * count and bytes, so they can enter the mempool when their parents arrive. Each orphan remembers
 * the peer that sent it, so its parents can be requested from that peer and its orphans dropped
 * when the peer goes. Thread-safe (one lock); {@link #processParentAccepted} calls the acceptor
 * without that lock held, because mempool acceptance may wait on the chain thread, whose block
 * listener takes the lock ({@link #eraseForBlock}).
 */
public final class OrphanPool {
    /** Core's DEFAULT_MAX_ORPHAN_TRANSACTIONS (before Core 30's per-peer accounting). */
    public static final int DEFAULT_MAX_ORPHANS = 100;
    /** Upper bound on the orphans' serialized bytes: 100 orphans of a typical 50 kB. */
    public static final long DEFAULT_MAX_BYTES = 5_000_000L;
    /** Core's ORPHAN_TX_EXPIRE_TIME. */
    public static final long EXPIRE_SECONDS = 20 * 60;
    /** Core's ORPHAN_TX_EXPIRE_INTERVAL: expiry is swept at most this often. */
    public static final long EXPIRE_INTERVAL_SECONDS = 5 * 60;

    private static final Logger LOG = LoggerFactory.getLogger(OrphanPool.class);

    /** An orphan and where it came from. */
    public record Orphan(Transaction tx, long peer, long expiresAt) {
    }

    /** An orphan that failed for a reason other than missing inputs once its parent arrived. */
    public record Rejected(Transaction tx, long peer, ValidationException reason) {
    }

    private static final Resolution NOTHING_RESOLVED = new Resolution(List.of(), List.of());

    /** What resolving the orphans of an accepted transaction did. */
    public record Resolution(List<AcceptResult> accepted, List<Rejected> rejected) {
    }

    /** Mempool acceptance as the orphan pool needs it. */
    @FunctionalInterface
    public interface Acceptor {
        AcceptResult accept(Transaction tx) throws ValidationException;
    }

    private final int maxOrphans;
    private final long maxBytes;
    private final LongSupplier clock;
    private final Random random;
    private final Map<Hash256, Orphan> byTxid = new HashMap<>();
    private final Map<Hash256, Hash256> wtxidToTxid = new HashMap<>();
    private final Map<OutPoint, Set<Hash256>> byPrevout = new HashMap<>();
    private final List<Hash256> order = new ArrayList<>();
    private long bytes;
    private long nextSweep;

    public OrphanPool(int maxOrphans, long maxBytes, LongSupplier clockSeconds, Random random) {
        this.maxOrphans = maxOrphans;
        this.maxBytes = maxBytes;
        this.clock = Objects.requireNonNull(clockSeconds, "clockSeconds");
        this.random = Objects.requireNonNull(random, "random");
    }

    public OrphanPool() {
        this(DEFAULT_MAX_ORPHANS, DEFAULT_MAX_BYTES, () -> System.currentTimeMillis() / 1000, new Random());
    }

    /**
     * Stores {@code tx} from {@code peer}. Larger than a standard transaction may be, or already
     * present: not stored. Afterwards expired orphans go and, over the bounds, random ones.
     *
     * @return whether it was stored (and is still there after the bounds were applied)
     */
    public synchronized boolean add(Transaction tx, long peer) {
        Hash256 txid = tx.txid();
        if (byTxid.containsKey(txid)) {
            return false;
        }
        // Too large an orphan would let a peer fill the pool with one message (Core ignores these).
        if (tx.weight() > Policy.MAX_STANDARD_TX_WEIGHT) {
            LOG.debug("ignoring large orphan {} ({} WU) from peer {}", txid, tx.weight(), peer);
            return false;
        }
        Orphan o = new Orphan(tx, peer, clock.getAsLong() + EXPIRE_SECONDS);
        byTxid.put(txid, o);
        wtxidToTxid.put(tx.wtxid(), txid);
        for (TxIn in : tx.inputs()) {
            byPrevout.computeIfAbsent(in.prevout(), k -> new HashSet<>()).add(txid);
        }
        order.add(txid);
        bytes += tx.totalSize();
        LOG.debug("stored orphan {} from peer {} ({} orphans)", txid, peer, byTxid.size());
        limit();
        return byTxid.containsKey(txid);
    }

    /** The parents to ask {@code tx}'s peer for: distinct input txids that {@code known} does not have. */
    public static List<Hash256> missingParents(Transaction tx, Predicate<Hash256> known) {
        Set<Hash256> out = new LinkedHashSet<>();
        for (TxIn in : tx.inputs()) {
            Hash256 parent = in.prevout().txid();
            if (!known.test(parent)) {
                out.add(parent);
            }
        }
        return List.copyOf(out);
    }

    private void limit() {
        long now = clock.getAsLong();
        if (now >= nextSweep) {
            expireLocked(now);
            nextSweep = now + EXPIRE_INTERVAL_SECONDS;
        }
        int evicted = 0;
        while (byTxid.size() > maxOrphans || bytes > maxBytes) {
            Hash256 victim = order.get(random.nextInt(order.size()));
            erase(victim);
            evicted++;
        }
        if (evicted > 0) {
            LOG.debug("orphan pool full: {} orphans evicted", evicted);
        }
    }

    /** Drops orphans older than {@link #EXPIRE_SECONDS}; returns how many. */
    public synchronized int expire() {
        return expireLocked(clock.getAsLong());
    }

    private int expireLocked(long now) {
        List<Hash256> old = new ArrayList<>();
        for (Orphan o : byTxid.values()) {
            if (o.expiresAt() <= now) {
                old.add(o.tx().txid());
            }
        }
        old.forEach(this::erase);
        if (!old.isEmpty()) {
            LOG.debug("expired {} orphans", old.size());
        }
        return old.size();
    }

    private boolean erase(Hash256 txid) {
        Orphan o = byTxid.remove(txid);
        if (o == null) {
            return false;
        }
        wtxidToTxid.remove(o.tx().wtxid());
        for (TxIn in : o.tx().inputs()) {
            Set<Hash256> spenders = byPrevout.get(in.prevout());
            if (spenders != null) {
                spenders.remove(txid);
                if (spenders.isEmpty()) {
                    byPrevout.remove(in.prevout());
                }
            }
        }
        order.remove(txid);
        bytes -= o.tx().totalSize();
        return true;
    }

    public synchronized boolean remove(Hash256 txid) {
        return erase(txid);
    }

    /** A peer disconnected: its orphans go. */
    public synchronized int eraseForPeer(long peer) {
        List<Hash256> theirs = new ArrayList<>();
        for (Orphan o : byTxid.values()) {
            if (o.peer() == peer) {
                theirs.add(o.tx().txid());
            }
        }
        theirs.forEach(this::erase);
        return theirs.size();
    }

    /** A block was connected: orphans it contains or that spend what it spent cannot enter any more. */
    public synchronized int eraseForBlock(List<Transaction> blockTxs) {
        if (byTxid.isEmpty()) {
            return 0; // the usual case during initial block download: no lookups for every input of a block
        }
        Set<Hash256> gone = new HashSet<>();
        for (Transaction tx : blockTxs) {
            if (byTxid.containsKey(tx.txid())) {
                gone.add(tx.txid());
            }
            if (tx.isCoinbase()) {
                continue;
            }
            for (TxIn in : tx.inputs()) {
                Set<Hash256> spenders = byPrevout.get(in.prevout());
                if (spenders != null) {
                    gone.addAll(spenders);
                }
            }
        }
        gone.forEach(this::erase);
        return gone.size();
    }

    /**
     * {@code parent} entered the mempool: offers every orphan spending its outputs, and the orphans
     * of those that get in, recursively. Orphans still missing another parent stay; orphans
     * failing otherwise are dropped and reported (so the sending peer can be judged).
     */
    public Resolution processParentAccepted(Transaction parent, Acceptor acceptor) {
        if (size() == 0) {
            // The usual case on every accepted transaction: no orphans, nothing to look up.
            return NOTHING_RESOLVED;
        }
        List<AcceptResult> accepted = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        ArrayDeque<Transaction> work = new ArrayDeque<>();
        work.add(parent);
        while (!work.isEmpty()) {
            for (Orphan child : spendersOf(work.poll())) {
                Hash256 childId = child.tx().txid();
                if (!contains(childId)) {
                    continue; // resolved or dropped meanwhile by another thread
                }
                try {
                    AcceptResult r = acceptor.accept(child.tx());
                    remove(childId);
                    accepted.add(r);
                    work.add(child.tx());
                } catch (ValidationException e) {
                    if (e.result() == ValidationException.Result.MISSING_INPUTS) {
                        continue;
                    }
                    remove(childId);
                    rejected.add(new Rejected(child.tx(), child.peer(), e));
                }
            }
        }
        return new Resolution(accepted, rejected);
    }

    /** The orphans spending any output of {@code parent}. */
    private synchronized List<Orphan> spendersOf(Transaction parent) {
        Hash256 ptxid = parent.txid();
        Set<Hash256> candidates = new LinkedHashSet<>();
        for (int i = 0; i < parent.outputs().size(); i++) {
            Set<Hash256> spenders = byPrevout.get(new OutPoint(ptxid, i));
            if (spenders != null) {
                candidates.addAll(spenders);
            }
        }
        List<Orphan> out = new ArrayList<>();
        for (Hash256 id : candidates) {
            Orphan o = byTxid.get(id);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    public synchronized boolean contains(Hash256 txid) {
        return byTxid.containsKey(txid);
    }

    public synchronized boolean containsWtxid(Hash256 wtxid) {
        return wtxidToTxid.containsKey(wtxid);
    }

    public synchronized int size() {
        return byTxid.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized List<Orphan> orphans() {
        return List.copyOf(byTxid.values());
    }
}
