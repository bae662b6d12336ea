package org.jbitcoind.chain.coins;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jbitcoind.chain.coins.CoinsMap.Entry;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;

/**
 * A write-back cache of coins over a base store (Core's CCoinsViewCache). Each cached entry has two
 * flags: DIRTY (differs from the base, so a flush must write it) and FRESH (the base does not have
 * it, so if it is spent before a flush it can simply be forgotten). Caches stack: a cache is itself
 * a {@link CoinsStore}, and flushing a child into a parent merges flags as Core does.
 *
 * <p>Not thread-safe: one validation thread owns a cache at a time.
 */
public final class CoinsViewCache implements CoinsStore {
    /** Scripts longer than this can never be spent (Core's MAX_SCRIPT_SIZE); such outputs are never stored. */
    public static final int MAX_SCRIPT_SIZE = 10_000;
    private static final int OP_RETURN = 0x6a;

    /*
     * Rough heap cost of one cached entry apart from its script bytes, on a 64-bit JVM with
     * compressed references, as first estimated for a HashMap-backed cache: map node (32) + table
     * slot (8) + OutPoint (24) + Hash256 with its 32-byte array (24 + 48) + entry (24) + Coin (24)
     * + TxOut (24) + script array header (16). CoinsMap's entry is its own node and keeps no
     * OutPoint, so this now overstates by about 40 bytes; it is kept so that -dbcache flushes
     * happen where they did.
     * Used only for the -dbcache budget, so an estimate is enough.
     */
    static final long ENTRY_OVERHEAD_BYTES = 32 + 8 + 24 + 24 + 48 + 24 + 24 + 24 + 16;

    private static final int DIRTY = CoinsMap.DIRTY;
    private static final int FRESH = CoinsMap.FRESH;

    private CoinsStore base;
    private final CoinsMap cache;
    private Hash256 bestBlock;
    private long cachedScriptBytes;

    public CoinsViewCache(CoinsStore base) {
        this.base = Objects.requireNonNull(base, "base");
        this.cache = new CoinsMap(0);
    }

    /**
     * A cache sized up front for about {@code expectedEntries} entries (a block's inputs plus
     * outputs), so that filling it does not rehash the table again and again.
     */
    public CoinsViewCache(CoinsStore base, int expectedEntries) {
        this.base = Objects.requireNonNull(base, "base");
        this.cache = new CoinsMap(expectedEntries);
    }

    /**
     * Makes this cache's base the base of the cache it was stacked on, which must have been flushed
     * (so it is empty and everything it held is now in its own base): a block's view started on
     * top of its parent's view, once the parent's view went into the tip cache, reads and flushes
     * straight into the tip cache.
     */
    public void dropFlushedBase() {
        if (!(base instanceof CoinsViewCache parent) || !parent.cache.isEmpty()) {
            throw new IllegalStateException("the base is not a flushed cache");
        }
        base = parent.base;
    }

    /** Entry for the outpoint, loading it from the base on a miss; null when neither has it unspent. */
    private Entry fetch(OutPoint outpoint) {
        int hash = CoinsMap.hash(outpoint);
        Entry e = cache.get(outpoint, hash);
        if (e != null) {
            return e;
        }
        // A stacked cache is asked without an Optional per miss (a block's view misses on most inputs).
        Coin fromBase = base instanceof CoinsViewCache parent ? parent.accessCoin(outpoint)
                : base.getCoin(outpoint).orElse(null);
        if (fromBase == null) {
            return null;
        }
        e = cache.add(outpoint, hash, fromBase, scriptCost(fromBase), 0);
        cachedScriptBytes += e.scriptBytes;
        return e;
    }

    @Override
    public Optional<Coin> getCoin(OutPoint outpoint) {
        Entry e = fetch(outpoint);
        return e == null || e.coin == null ? Optional.empty() : Optional.of(e.coin);
    }

    /** The unspent coin, or null (Core's AccessCoin returns an empty coin instead). */
    public Coin accessCoin(OutPoint outpoint) {
        Entry e = fetch(outpoint);
        return e == null ? null : e.coin;
    }

    /**
     * {@link #accessCoin} for each of {@code inputs}' prevouts, in input order: what connecting a
     * transaction looks up once and uses for all its rules.
     */
    public Coin[] accessCoins(List<TxIn> inputs) {
        int n = inputs.size();
        Coin[] coins = new Coin[n];
        for (int i = 0; i < n; i++) {
            coins[i] = accessCoin(inputs.get(i).prevout());
        }
        return coins;
    }

    @Override
    public boolean haveCoin(OutPoint outpoint) {
        Entry e = fetch(outpoint);
        return e != null && e.coin != null;
    }

    /**
     * Answers from this cache where it has an entry (a spent entry hides the base's coin) and asks
     * the base about the rest in one call. Nothing is cached: the caller only wants to know that
     * none exists.
     */
    @Override
    public boolean haveAnyCoin(List<OutPoint> outpoints) {
        List<OutPoint> unknown = new ArrayList<>(outpoints.size());
        for (OutPoint op : outpoints) {
            Entry e = cache.get(op);
            if (e == null) {
                unknown.add(op);
            } else if (e.coin != null) {
                return true;
            }
        }
        return !unknown.isEmpty() && base.haveAnyCoin(unknown);
    }

    /** Whether the coin is unspent in this cache, without asking the base. */
    public boolean haveCoinInCache(OutPoint outpoint) {
        Entry e = cache.get(outpoint);
        return e != null && e.coin != null;
    }

    /** Every input's coin is available and unspent (Core's HaveInputs). Coinbases trivially have theirs. */
    public boolean haveInputs(Transaction tx) {
        if (tx.isCoinbase()) {
            return true;
        }
        for (TxIn in : tx.inputs()) {
            if (!haveCoin(in.prevout())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds an unspent coin. Outputs that can never be spent (OP_RETURN, oversized scripts) are not
     * stored. Unless {@code possibleOverwrite}, adding over an unspent coin is a bug in the caller
     * (BIP30 guarantees it cannot happen) and throws.
     */
    public void addCoin(OutPoint outpoint, Coin coin, boolean possibleOverwrite) {
        Objects.requireNonNull(coin, "coin");
        if (isUnspendable(coin.output().scriptPubKey())) {
            return;
        }
        int hash = CoinsMap.hash(outpoint);
        Entry e = cache.get(outpoint, hash);
        boolean fresh = false;
        if (e == null) {
            e = cache.add(outpoint, hash, null, 0, 0);
            if (!possibleOverwrite) {
                fresh = true;
            }
        } else {
            if (!possibleOverwrite) {
                if (e.coin != null) {
                    throw new IllegalStateException("attempted to overwrite unspent coin " + outpoint);
                }
                // A spent entry not yet flushed must stay non-FRESH, or spending the new coin
                // would drop the entry and the earlier spend would never reach the base.
                fresh = !e.dirty();
            }
            cachedScriptBytes -= e.scriptBytes;
        }
        e.coin = coin;
        e.scriptBytes = scriptCost(coin);
        e.flags |= DIRTY | (fresh ? FRESH : 0);
        cachedScriptBytes += e.scriptBytes;
    }

    /**
     * Adds all outputs of {@code tx} created at {@code height} (Core's AddCoins). Coinbases may
     * overwrite, to accept the two historical duplicate coinbases; with {@code checkForOverwrite}
     * the cache is asked instead.
     */
    public void addCoins(Transaction tx, int height, boolean checkForOverwrite) {
        boolean coinbase = tx.isCoinbase();
        Hash256 txid = tx.txid();
        List<TxOut> outs = tx.outputs();
        for (int i = 0; i < outs.size(); i++) {
            OutPoint op = new OutPoint(txid, i);
            boolean overwrite = checkForOverwrite ? haveCoin(op) : coinbase;
            addCoin(op, new Coin(outs.get(i), height, coinbase), overwrite);
        }
    }

    /**
     * Marks the coin spent and returns it (for undo data), or null when there was no unspent coin.
     * A FRESH entry is dropped outright: the base never saw it.
     */
    public Coin spendCoin(OutPoint outpoint) {
        Entry e = fetch(outpoint);
        if (e == null || e.coin == null) {
            return null;
        }
        Coin spent = e.coin;
        cachedScriptBytes -= e.scriptBytes;
        if (e.fresh()) {
            cache.remove(e);
        } else {
            e.flags |= DIRTY;
            e.coin = null;
            e.scriptBytes = 0;
        }
        return spent;
    }

    @Override
    public Hash256 bestBlock() {
        if (bestBlock == null) {
            bestBlock = base.bestBlock();
        }
        return bestBlock;
    }

    public void setBestBlock(Hash256 hash) {
        bestBlock = Objects.requireNonNull(hash);
    }

    /** Merges a child cache's flush into this one (Core's CCoinsViewCache::BatchWrite). */
    @Override
    public void batchWrite(CoinsBatch batch) {
        for (CoinsBatch.Change c : batch.changes()) {
            mergeChange(c.outpoint(), c.coin(), c.fresh());
        }
        bestBlock = batch.bestBlock();
    }

    /** One change of a child's flush: {@code coin} null means spent; {@code fresh} is the child's FRESH flag. */
    private void mergeChange(OutPoint outpoint, Coin coin, boolean fresh) {
        int hash = CoinsMap.hash(outpoint);
        Entry ours = cache.get(outpoint, hash);
        int cost = coin == null ? 0 : scriptCost(coin);
        if (ours == null) {
            // A coin created and spent above us that we never saw needs no record at all.
            if (!(fresh && coin == null)) {
                // FRESH carries over only if it was FRESH below: otherwise it may exist in our base.
                cache.add(outpoint, hash, coin, cost, DIRTY | (fresh ? FRESH : 0));
                cachedScriptBytes += cost;
            }
        } else {
            mergeInto(ours, coin, cost, fresh);
        }
    }

    /**
     * {@link #mergeChange} for a dirty entry of a child cache that is being emptied: where we have
     * no entry for it, the child's entry itself moves over instead of a copy.
     */
    private void mergeChildEntry(Entry child) {
        boolean fresh = child.fresh();
        Entry ours = cache.get(child.txid, child.index, child.hash);
        if (ours == null) {
            if (!(fresh && child.coin == null)) {
                cache.adopt(child, DIRTY | (fresh ? FRESH : 0));
                cachedScriptBytes += child.scriptBytes;
            }
        } else {
            mergeInto(ours, child.coin, child.scriptBytes, fresh);
        }
    }

    /** {@code scriptBytes}: the cost of {@code coin}, 0 when it is null (spent). */
    private void mergeInto(Entry ours, Coin coin, int scriptBytes, boolean fresh) {
        if (fresh && ours.coin != null) {
            throw new IllegalStateException("FRESH flag misapplied to coin that exists in parent cache "
                    + ours.outpoint());
        }
        cachedScriptBytes -= ours.scriptBytes;
        if (ours.fresh() && coin == null) {
            cache.remove(ours);
        } else {
            ours.coin = coin;
            ours.scriptBytes = scriptBytes;
            ours.flags |= DIRTY;
            cachedScriptBytes += scriptBytes;
        }
    }

    /** Writes every change to the base and empties the cache (Core's Flush). */
    public void flush() {
        if (base instanceof CoinsViewCache parent) {
            // A block's view into the tip cache, once per block: merged entry by entry, without a
            // change list (and a record per change) that the parent would only walk once.
            // Our entries move into the parent where it has none (their hash with them).
            Hash256 best = bestBlock();
            cache.drain(e -> {
                if (e.dirty()) {
                    parent.mergeChildEntry(e);
                }
            });
            parent.bestBlock = best;
        } else {
            base.batchWrite(new CoinsBatch(dirtyChanges(), bestBlock()));
            cache.clear();
        }
        cachedScriptBytes = 0;
    }

    /**
     * Writes every change to the base but keeps unspent coins cached as clean entries (Core's Sync),
     * for periodic flushes that should not cost the cache its contents.
     */
    public void sync() {
        base.batchWrite(new CoinsBatch(dirtyChanges(), bestBlock()));
        cache.keepUnspentAsClean();
    }

    private List<CoinsBatch.Change> dirtyChanges() {
        List<CoinsBatch.Change> changes = new ArrayList<>();
        cache.forEach(e -> {
            if (e.dirty()) {
                changes.add(new CoinsBatch.Change(e.outpoint(), e.coin, e.fresh()));
            }
        });
        return changes;
    }

    /** Drops an unchanged entry to save memory (Core's Uncache); changed entries stay. */
    public void uncache(OutPoint outpoint) {
        Entry e = cache.get(outpoint);
        if (e != null && e.flags == 0) {
            cachedScriptBytes -= e.scriptBytes;
            cache.remove(e);
        }
    }

    /** Number of cached entries, spent ones included. */
    public int cacheSize() {
        return cache.size();
    }

    /** Number of entries a flush would write. */
    public int dirtyCount() {
        int[] n = {0};
        cache.forEach(e -> {
            if (e.dirty()) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Estimated heap bytes held by the cache, compared against the -dbcache budget. */
    public long dynamicMemoryUsage() {
        return cache.size() * ENTRY_OVERHEAD_BYTES + cachedScriptBytes;
    }

    /** An output that can never be spent, so is never added to the UTXO set (Core's IsUnspendable). */
    public static boolean isUnspendable(byte[] scriptPubKey) {
        return (scriptPubKey.length > 0 && (scriptPubKey[0] & 0xff) == OP_RETURN)
                || scriptPubKey.length > MAX_SCRIPT_SIZE;
    }

    /** An unspent coin's share of {@link #dynamicMemoryUsage}; arrays are padded to 8 bytes. */
    private static int scriptCost(Coin coin) {
        return (coin.output().scriptPubKey().length + 7) & ~7;
    }
}
