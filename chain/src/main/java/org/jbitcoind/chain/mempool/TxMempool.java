package org.jbitcoind.chain.mempool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.script.SigOps;
import org.jbitcoind.chain.validation.BlockScriptFlags;
import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.chain.validation.ScriptExecutionCache;
import org.jbitcoind.chain.validation.TxCheck;
import org.jbitcoind.chain.validation.TxVerify;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.chain.validation.ValidationException.Result;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of valid unconfirmed transactions (Core's CTxMemPool with MemPoolAccept): acceptance
 * against the chain tip's coins plus the pool, Core's standardness and fee policy, full
 * replace-by-fee, ancestor/descendant limits, the -maxmempool budget with its rolling minimum fee,
 * expiry, and the updates for connected and disconnected blocks.
 *
 * <p>Threading: one lock guards the whole pool; every public method takes it, so each call sees
 * and leaves a consistent pool. Acceptance (including script checks) runs under the lock.
 * Listeners are called under the lock.
 */
public final class TxMempool {
    /** Rule 5 of replacement: at most this many transactions are evicted by one replacement. */
    public static final int MAX_REPLACEMENT_CANDIDATES = 100;
    /** Half-life of the rolling minimum fee after an eviction (Core's ROLLING_FEE_HALFLIFE). */
    public static final long ROLLING_FEE_HALFLIFE_SECONDS = 12 * 60 * 60;
    private static final long BIP125_MAX_SEQUENCE = 0xfffffffdL;

    private static final Logger LOG = LoggerFactory.getLogger(TxMempool.class);

    private final Object lock = new Object();
    private final MempoolOptions opts;
    private final ScriptVerifier verifier;
    private final ScriptExecutionCache scriptCache;
    private final LongSupplier clock;
    /** What acceptance derives from the last tip seen alone (next block, median time past, script flags). */
    private volatile TipState tipState;

    private final Map<Hash256, MempoolEntry> byTxid = new HashMap<>();
    private final Map<Hash256, MempoolEntry> byWtxid = new HashMap<>();
    /** Outpoint to the mempool transaction spending it (Core's mapNextTx). */
    private final Map<OutPoint, MempoolEntry> spentBy = new HashMap<>();
    /** Eviction order (Core's descendant_score index): lowest descendant score first. */
    private final DescendantScoreIndex byDescendantScore = new DescendantScoreIndex();
    /** Entry time order (Core's entry_time index): expiry, and the listings oldest first. */
    private final EntryTimeIndex byTime = new EntryTimeIndex();
    /** prioritisetransaction deltas, kept also for transactions not (yet) in the pool. */
    private final Map<Hash256, Long> deltas = new HashMap<>();
    private final Set<Hash256> unbroadcast = new HashSet<>();
    private final List<MempoolListener> listeners = new CopyOnWriteArrayList<>();

    private long totalUsage;
    private long totalVsize;
    private long totalFees;
    private long nextEntrySequence;
    private long sequenceNumber = 1;
    /** Changes whenever anything acceptance depends on changes (entries, links, fee deltas). */
    private long poolVersion;
    private double rollingMinimumFeeRate;
    private long lastRollingFeeUpdate;
    private boolean blockSinceLastRollingFeeBump;

    /**
     * @param verifier     script verifier; a cache-storing one lets block validation skip signatures already checked here
     * @param clockSeconds current time in seconds since the epoch (entry times, expiry, fee decay)
     */
    public TxMempool(MempoolOptions opts, ScriptVerifier verifier, LongSupplier clockSeconds) {
        this(opts, verifier, clockSeconds, new ScriptExecutionCache());
    }

    /**
     * @param scriptCache transactions whose scripts passed under given flags; the chain's own
     *                    ({@code ChainstateManager.scriptExecutionCache()}) lets block connection skip
     *                    the scripts of transactions accepted here under the next block's flags
     */
    public TxMempool(MempoolOptions opts, ScriptVerifier verifier, LongSupplier clockSeconds,
            ScriptExecutionCache scriptCache) {
        this.opts = Objects.requireNonNull(opts, "opts");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.clock = Objects.requireNonNull(clockSeconds, "clockSeconds");
        this.scriptCache = Objects.requireNonNull(scriptCache, "scriptCache");
    }

    /** With a fresh signature cache that remembers valid signatures, and the system clock. */
    public TxMempool(MempoolOptions opts) {
        this(opts, new ScriptVerifier(new SignatureCache(SignatureCache.DEFAULT_MAX_ENTRIES), true),
                () -> System.currentTimeMillis() / 1000);
    }

    public MempoolOptions options() {
        return opts;
    }

    public void addListener(MempoolListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MempoolListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- acceptance

    /** Core's AcceptToMemoryPool with fee and size limits applied. */
    public AcceptResult accept(Transaction tx, ChainContext ctx) throws ValidationException {
        return accept(tx, ctx, false);
    }

    /**
     * Core's AcceptToMemoryPool. {@code bypassLimits} skips the fee minimums and the size limit
     * (used for transactions from disconnected blocks). On failure the pool is unchanged and the
     * exception carries Core's reject reason; {@link Result#MISSING_INPUTS} means an orphan.
     */
    public AcceptResult accept(Transaction tx, ChainContext ctx, boolean bypassLimits) throws ValidationException {
        return acceptUnlocked(tx, ctx, bypassLimits, clock.getAsLong(), null);
    }

    /**
     * {@link #accept(Transaction, ChainContext)} after {@link #precheck} of the same transaction:
     * its coins are used again when the tip has not moved since (no second read from the chain),
     * and its scripts are not run again when the precheck passed them under the flags that apply
     * now. {@code precheck} may be null or of another transaction (then it is ignored).
     */
    public AcceptResult accept(Transaction tx, ChainContext ctx, Precheck precheck) throws ValidationException {
        return acceptUnlocked(tx, ctx, false, clock.getAsLong(), precheck);
    }

    /**
     * Acceptance from a thread that holds no lock. The chain's coins are read before the pool's
     * lock is taken (the chain's view may have to wait for the chain thread, which in turn may be
     * waiting for this pool in a listener), and scripts are checked without the lock.
     */
    private AcceptResult acceptUnlocked(Transaction tx, ChainContext ctx, boolean bypassLimits, long entryTime,
            Precheck precheck) throws ValidationException {
        ChainContext local = new ChainContext(coinsFor(tx, ctx, precheck), ctx.tip(), ctx.params());
        Prepared p;
        try {
            synchronized (lock) {
                p = prepare(tx, local, bypassLimits);
            }
        } catch (ValidationException e) {
            throw e.result() == Result.MISSING_INPUTS && outputsAlreadyConfirmed(tx, ctx) ? new ValidationException(
                    Result.CONFLICT, "txn-already-known") : e;
        }
        // Scripts depend only on the transaction and the outputs it spends, never on the pool:
        // they are checked without the lock so that several threads can accept at once.
        checkInputScripts(tx, p.spent(), ctx, precheck);
        synchronized (lock) {
            if (p.poolVersion() != poolVersion) {
                // The pool moved meanwhile (a conflict, a parent gone, new limits): check again.
                p = prepare(tx, local, bypassLimits);
            }
            return commit(p, entryTime, bypassLimits, true);
        }
    }

    /**
     * testmempoolaccept: every check {@link #accept} makes, scripts included, without adding the
     * transaction or telling listeners. The result's {@code replaced} is empty.
     */
    public AcceptResult testAccept(Transaction tx, ChainContext ctx) throws ValidationException {
        ChainContext local = new ChainContext(PrefetchedCoins.of(tx, ctx.coins()), ctx.tip(), ctx.params());
        Prepared p;
        try {
            synchronized (lock) {
                p = prepare(tx, local, false);
            }
        } catch (ValidationException e) {
            throw e.result() == Result.MISSING_INPUTS && outputsAlreadyConfirmed(tx, ctx) ? new ValidationException(
                    Result.CONFLICT, "txn-already-known") : e;
        }
        checkInputScripts(tx, p.spent(), ctx, null);
        return new AcceptResult(tx, tx.txid(), tx.wtxid(), p.fee(), tx.vsize(), List.of());
    }

    /** The precheck's coins when they are the state of this tip, else a fresh read. */
    private static PrefetchedCoins coinsFor(Transaction tx, ChainContext ctx, Precheck precheck) {
        if (precheck != null && precheck.coins != null && precheck.wtxid.equals(tx.wtxid())
                && precheck.coins.bestBlock().equals(ctx.tip().hash())) {
            return precheck.coins;
        }
        return PrefetchedCoins.of(tx, ctx.coins());
    }

    /**
     * What {@link #precheck} found out about one transaction, for its acceptance: the chain coins
     * its inputs spend (with the block they are the state of) and whether its scripts passed.
     */
    public static final class Precheck {
        private final Hash256 wtxid;
        private final PrefetchedCoins coins;
        private final boolean scriptsPassed;
        /** The script execution cache keys it recorded (null when none), and the block flags of the second. */
        private final ScriptCacheKeys keys;

        private Precheck(Hash256 wtxid, PrefetchedCoins coins, boolean scriptsPassed) {
            this(wtxid, coins, scriptsPassed, null);
        }

        private Precheck(Hash256 wtxid, PrefetchedCoins coins, boolean scriptsPassed, ScriptCacheKeys keys) {
            this.wtxid = wtxid;
            this.coins = coins;
            this.scriptsPassed = scriptsPassed;
            this.keys = keys;
        }

        /** Whether every input passed under the standard flags and the next block's flags. */
        public boolean scriptsPassed() {
            return scriptsPassed;
        }
    }

    /**
     * Checks a transaction's scripts ahead of {@link #accept}, from any thread, so that the (serial)
     * acceptance need not: P2P relay calls this on several threads and then accepts in arrival
     * order, handing the result to {@link #accept(Transaction, ChainContext, Precheck)}. When every
     * input passes under the standard flags and under the next block's consensus flags, both are
     * recorded in the script execution cache (its valid signatures are in the signature cache
     * too). It decides nothing: a failure is left for acceptance to find and report. Scripts are
     * not checked for a transaction already in the pool or with an input neither the chain nor the
     * pool has (an orphan); the pool's lock is held only to look up the spent outputs. Never throws.
     */
    public Precheck precheck(Transaction tx, ChainContext ctx) {
        Hash256 wtxid = tx.wtxid();
        PrefetchedCoins chainCoins = null;
        try {
            TxCheck.checkTransaction(tx);
            if (tx.isCoinbase()) {
                return new Precheck(wtxid, null, false);
            }
            // Chain coins first, without the lock (the chain's view may wait for the chain thread).
            chainCoins = PrefetchedCoins.of(tx, ctx.coins());
            List<TxOut> spent = new ArrayList<>(tx.inputs().size());
            synchronized (lock) {
                if (byWtxid.containsKey(wtxid)) {
                    return new Precheck(wtxid, chainCoins, false);
                }
                CoinsViewMemPool view = new CoinsViewMemPool(chainCoins, byTxid, ctx.nextHeight());
                for (TxIn in : tx.inputs()) {
                    Optional<Coin> coin = view.getCoin(in.prevout());
                    if (coin.isEmpty()) {
                        return new Precheck(wtxid, chainCoins, false);
                    }
                    spent.add(coin.get().output());
                }
            }
            // The same verifier and flags as checkInputScripts: its signature cache keys then match.
            // A failure is left for acceptance, which runs the scripts again and reports it.
            PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
            int blockFlags = nextBlockScriptFlags(ctx);
            if (firstFailure(data, Policy.STANDARD_SCRIPT_VERIFY_FLAGS) != null
                    || firstFailure(data, blockFlags) != null) {
                return new Precheck(wtxid, chainCoins, false);
            }
            ScriptCacheKeys keys = scriptCacheKeys(wtxid, blockFlags);
            recordScriptsPassed(keys);
            return new Precheck(wtxid, chainCoins, true, keys);
        } catch (ValidationException | RuntimeException e) {
            LOG.debug("script precheck of {} stopped: {}", tx.txid(), e.toString());
            return new Precheck(wtxid, chainCoins, false);
        }
    }

    /**
     * {@link #precheck}, for tests and callers that keep nothing.
     *
     * @return whether every input's scripts passed under the standard and the next block's flags
     */
    public boolean precheckScripts(Transaction tx, ChainContext ctx) {
        return precheck(tx, ctx).scriptsPassed();
    }

    /** The consensus script flags of the block after {@code ctx}'s tip (Core's GetBlockScriptFlags). */
    private int nextBlockScriptFlags(ChainContext ctx) {
        return tipState(ctx).nextBlockFlags();
    }

    /**
     * The tip's derived state, computed once per tip rather than per transaction: building the next
     * block's index hashes a header and divides 256-bit numbers, and the median time past sorts
     * eleven timestamps. Read from several threads; a race only computes it twice.
     */
    private TipState tipState(ChainContext ctx) {
        TipState s = tipState;
        BlockIndex tip = ctx.tip();
        if (s == null || s.params() != ctx.params() || (s.tip() != tip && !sameBlock(s.tip(), tip))) {
            BlockIndex next = nextBlock(tip);
            s = new TipState(tip, ctx.params(), next, tip.medianTimePast(), BlockScriptFlags.get(next, ctx.params()));
            tipState = s;
        }
        return s;
    }

    private static boolean sameBlock(BlockIndex a, BlockIndex b) {
        return a.height() == b.height() && a.hash().equals(b.hash());
    }

    /**
     * @param next            an index for the block after {@code tip}, as BIP68 evaluates locks against it
     * @param medianTimePast  the tip's median time past: the BIP113 lock time cutoff of the next block
     * @param nextBlockFlags  the consensus script flags of the next block (they change only at soft-fork heights)
     */
    private record TipState(BlockIndex tip, ChainParams params, BlockIndex next, long medianTimePast,
            int nextBlockFlags) {
    }

    /** Core's "txn-already-known": a transaction whose inputs are gone because it is itself confirmed. */
    private static boolean outputsAlreadyConfirmed(Transaction tx, ChainContext ctx) {
        Hash256 txid = tx.txid();
        for (int o = 0; o < tx.outputs().size(); o++) {
            if (ctx.coins().haveCoin(new OutPoint(txid, o))) {
                return true;
            }
        }
        return false;
    }

    /** Everything acceptance found out before the scripts are checked. */
    private record Prepared(Transaction tx, long fee, long delta, long sigOpCost, boolean spendsCoinbase,
            int tipHeight, Set<MempoolEntry> parents, Set<MempoolEntry> ancestors, Set<MempoolEntry> allConflicting,
            List<TxOut> spent, long poolVersion) {
    }

    /** Acceptance with the lock held: only for the chain thread (reorgs), whose coin reads never wait. */
    private AcceptResult acceptLocked(Transaction tx, ChainContext ctx, boolean bypassLimits, long entryTime,
            boolean limitSize) throws ValidationException {
        Prepared p = prepare(tx, ctx, bypassLimits);
        checkInputScripts(tx, p.spent(), ctx, null);
        return commit(p, entryTime, bypassLimits, limitSize);
    }

    /** Every check but the scripts (Core's PreChecks, ReplacementChecks and the policy checks). */
    private Prepared prepare(Transaction tx, ChainContext ctx, boolean bypassLimits) throws ValidationException {
        TxCheck.checkTransaction(tx);
        if (tx.isCoinbase()) {
            throw ValidationException.consensus("coinbase");
        }
        if (opts.requireStandard()) {
            Policy.checkStandardTx(tx, opts);
        }
        if (tx.baseSize() < Policy.MIN_STANDARD_TX_NONWITNESS_SIZE) {
            throw new ValidationException(Result.NOT_STANDARD, "tx-size-small");
        }
        // BIP113: the lock time cutoff of the next block is the tip's median time past.
        TipState tipState = tipState(ctx);
        if (!TxVerify.isFinalTx(tx, ctx.nextHeight(), tipState.medianTimePast())) {
            throw new ValidationException(Result.PREMATURE_SPEND, "non-final");
        }
        Hash256 txid = tx.txid();
        if (byWtxid.containsKey(tx.wtxid())) {
            throw new ValidationException(Result.CONFLICT, "txn-already-in-mempool");
        }
        if (byTxid.containsKey(txid)) {
            throw new ValidationException(Result.CONFLICT, "txn-same-nonwitness-data-in-mempool");
        }

        // Sets only for the transactions that have conflicts or parents (most have neither).
        Set<MempoolEntry> directConflicts = Set.of();
        for (TxIn in : tx.inputs()) {
            MempoolEntry spender = spentBy.get(in.prevout());
            if (spender != null) {
                if (directConflicts.isEmpty()) {
                    directConflicts = new LinkedHashSet<>();
                }
                directConflicts.add(spender);
            }
        }
        if (!opts.fullRbf()) {
            for (MempoolEntry c : directConflicts) {
                if (!signalsReplaceability(c)) {
                    throw new ValidationException(Result.CONFLICT, "txn-mempool-conflict");
                }
            }
        }

        int nextHeight = ctx.nextHeight();
        CoinsViewMemPool poolView = new CoinsViewMemPool(ctx.coins(), byTxid, nextHeight);
        CoinsViewCache view = new CoinsViewCache(poolView);
        for (TxIn in : tx.inputs()) {
            if (!view.haveCoin(in.prevout())) {
                throw new ValidationException(Result.MISSING_INPUTS, "bad-txns-inputs-missingorspent",
                        "missing " + in.prevout());
            }
        }

        List<TxIn> inputs = tx.inputs();
        int[] prevHeights = new int[inputs.size()];
        boolean spendsCoinbase = false;
        for (int i = 0; i < inputs.size(); i++) {
            Coin coin = view.accessCoin(inputs.get(i).prevout());
            prevHeights[i] = coin.height();
            spendsCoinbase |= coin.coinbase();
        }
        if (!TxVerify.sequenceLocks(tx, TxVerify.LOCKTIME_VERIFY_SEQUENCE, prevHeights, tipState.next())) {
            throw new ValidationException(Result.PREMATURE_SPEND, "non-BIP68-final");
        }
        long fee = TxVerify.checkTxInputs(tx, view, nextHeight);
        List<TxOut> spent = Policy.spentOutputs(tx, view);
        if (opts.requireStandard() && !Policy.areInputsStandard(tx, spent)) {
            throw new ValidationException(Result.NOT_STANDARD, "bad-txns-nonstandard-inputs");
        }
        if (opts.requireStandard() && tx.hasWitness() && !Policy.isWitnessStandard(tx, spent)) {
            throw new ValidationException(Result.NOT_STANDARD, "bad-witness-nonstandard");
        }
        long sigOpCost = SigOps.transactionSigOpCost(tx, spent, Policy.STANDARD_SCRIPT_VERIFY_FLAGS);
        if (sigOpCost > Policy.MAX_STANDARD_TX_SIGOPS_COST) {
            throw new ValidationException(Result.NOT_STANDARD, "bad-txns-too-many-sigops", Long.toString(sigOpCost));
        }

        long delta = deltas.getOrDefault(txid, 0L);
        long modFee = fee + delta;
        int vsize = tx.vsize();
        if (opts.requireStandard()) {
            Policy.checkEphemeralDust(tx, fee, modFee, opts);
        }
        if (!bypassLimits) {
            checkFeeRate(modFee, vsize);
        }

        Set<MempoolEntry> parents = Set.of();
        for (TxIn in : inputs) {
            MempoolEntry p = byTxid.get(in.prevout().txid());
            if (p != null) {
                if (parents.isEmpty()) {
                    parents = new LinkedHashSet<>();
                }
                parents.add(p);
            }
        }
        // One direct conflict: the limits are checked as if it and its descendants were already
        // gone (Core's RBF allowance), so a child can be replaced in a full package.
        long extraDescendantCount = 0;
        long extraDescendantSize = 0;
        if (directConflicts.size() == 1) {
            MempoolEntry c = directConflicts.iterator().next();
            extraDescendantCount = 1;
            extraDescendantSize = c.sizeWithDescendants;
        }
        Set<MempoolEntry> ancestors = calculateAncestors(parents, vsize, extraDescendantCount, extraDescendantSize);

        Set<MempoolEntry> allConflicting = Set.of();
        if (!directConflicts.isEmpty()) {
            allConflicting = withDescendants(directConflicts);
            for (MempoolEntry a : ancestors) {
                if (allConflicting.contains(a)) {
                    throw ValidationException.consensus("bad-txns-spends-conflicting-tx",
                            txid + " spends conflicting transaction " + a.txid());
                }
            }
            ReplacementRules.check(tx, modFee, vsize, directConflicts, allConflicting, byTxid::containsKey,
                    opts.incrementalRelayFee());
        }

        return new Prepared(tx, fee, delta, sigOpCost, spendsCoinbase, ctx.tip().height(), parents, ancestors,
                allConflicting, spent, poolVersion);
    }

    /** Replaces the conflicts, adds the entry and applies the size limit. */
    private AcceptResult commit(Prepared p, long entryTime, boolean bypassLimits, boolean limitSize)
            throws ValidationException {
        Transaction tx = p.tx();
        Hash256 txid = tx.txid();
        Set<MempoolEntry> allConflicting = p.allConflicting();
        List<Transaction> replaced = new ArrayList<>(allConflicting.size());
        if (!allConflicting.isEmpty()) {
            for (MempoolEntry c : allConflicting) {
                replaced.add(c.tx());
            }
            LOG.debug("replacing {} transactions with {} (fee {} vs {})", allConflicting.size(), txid,
                    p.fee() + p.delta(), sumModifiedFees(allConflicting));
            removeStaged(allConflicting, RemovalReason.REPLACED);
        }
        MempoolEntry entry = new MempoolEntry(tx, p.fee(), entryTime, p.tipHeight(), p.sigOpCost(),
                p.spendsCoinbase(), nextEntrySequence++, p.delta());
        addEntry(entry, p.parents(), p.ancestors());
        long fee = p.fee();
        int vsize = entry.vsize();

        if (!bypassLimits && limitSize) {
            limitSize();
            if (!byTxid.containsKey(txid)) {
                throw new ValidationException(Result.MEMPOOL_POLICY, "mempool full");
            }
        }
        return new AcceptResult(tx, txid, tx.wtxid(), fee, vsize, replaced);
    }

    /** A block index for the block after {@code tip}, as BIP68 evaluates locks against it. */
    private static BlockIndex nextBlock(BlockIndex tip) {
        BlockHeader h = new BlockHeader(tip.version(), tip.hash(), Hash256.ZERO, tip.time(), tip.bits(), 0);
        return new BlockIndex(h, tip);
    }

    /** BIP125 opt-in (only consulted with full RBF switched off): the transaction or an unconfirmed ancestor signals. */
    private boolean signalsReplaceability(MempoolEntry e) {
        // The entry itself first: most have no in-pool ancestors, and then no set is built.
        if (signalsOptIn(e.tx())) {
            return true;
        }
        if (e.parents.isEmpty()) {
            return false;
        }
        for (MempoolEntry a : ancestorsOf(e)) {
            if (signalsOptIn(a.tx())) {
                return true;
            }
        }
        return false;
    }

    private static boolean signalsOptIn(Transaction tx) {
        for (TxIn in : tx.inputs()) {
            if (in.sequence() <= BIP125_MAX_SEQUENCE) {
                return true;
            }
        }
        return false;
    }

    private void checkFeeRate(long modFee, int vsize) throws ValidationException {
        long mempoolRejectFee = minFeeLocked().fee(vsize);
        if (mempoolRejectFee > 0 && modFee < mempoolRejectFee) {
            throw new ValidationException(Result.MEMPOOL_POLICY, "mempool min fee not met",
                    modFee + " < " + mempoolRejectFee);
        }
        long minRelay = opts.minRelayFee().fee(vsize);
        if (modFee < minRelay) {
            throw new ValidationException(Result.MEMPOOL_POLICY, "min relay fee not met", modFee + " < " + minRelay);
        }
    }

    /**
     * The in-pool ancestors of a transaction with these parents, enforcing the ancestor and
     * descendant count and size limits (Core's CalculateMemPoolAncestors).
     */
    private Set<MempoolEntry> calculateAncestors(Set<MempoolEntry> parents, long ownVsize, long extraDescendantCount,
            long extraDescendantSize) throws ValidationException {
        long descendantCountLimit = opts.descendantCountLimit() + extraDescendantCount;
        long descendantSizeLimit = opts.descendantSizeLimitVb() + extraDescendantSize;
        if (parents.size() + 1 > opts.ancestorCountLimit()) {
            throw chainLimit("too many unconfirmed parents [limit: " + opts.ancestorCountLimit() + "]");
        }
        if (parents.isEmpty()) {
            return Set.of();
        }
        Set<MempoolEntry> ancestors = new LinkedHashSet<>();
        LinkedHashSet<MempoolEntry> staged = new LinkedHashSet<>(parents);
        long totalSize = ownVsize;
        while (!staged.isEmpty()) {
            MempoolEntry a = staged.iterator().next();
            staged.remove(a);
            ancestors.add(a);
            totalSize += a.vsize();
            if (a.sizeWithDescendants + ownVsize > descendantSizeLimit) {
                throw chainLimit("exceeds descendant size limit for tx " + a.txid() + " [limit: "
                        + descendantSizeLimit + "]");
            }
            if (a.countWithDescendants + 1 > descendantCountLimit) {
                throw chainLimit("too many descendants for tx " + a.txid() + " [limit: "
                        + descendantCountLimit + "]");
            }
            if (totalSize > opts.ancestorSizeLimitVb()) {
                throw chainLimit("exceeds ancestor size limit [limit: " + opts.ancestorSizeLimitVb() + "]");
            }
            for (MempoolEntry p : a.parents) {
                if (!ancestors.contains(p)) {
                    staged.add(p);
                }
                if (staged.size() + ancestors.size() + 1 > opts.ancestorCountLimit()) {
                    throw chainLimit("too many unconfirmed ancestors [limit: " + opts.ancestorCountLimit() + "]");
                }
            }
        }
        return ancestors;
    }

    private static ValidationException chainLimit(String detail) {
        return new ValidationException(Result.MEMPOOL_POLICY, "too-long-mempool-chain", detail);
    }

    static long sumModifiedFees(Set<MempoolEntry> entries) {
        long sum = 0;
        for (MempoolEntry e : entries) {
            sum += e.modifiedFee();
        }
        return sum;
    }

    /**
     * Scripts under the standard flags; a failure is re-checked under the mandatory flags to tell
     * an invalid transaction (peer misbehaves) from a merely non-standard one. Core 30 renamed the
     * reasons to "mempool-script-verify-flag-failed"; the project keeps Core 29's pair. Then, as
     * Core's ConsensusScriptChecks, under the next block's consensus flags: a transaction passing
     * the standard flags but not those would be a bug in the flags (Core's "BUG! PLEASE REPORT
     * THIS!"), and the pass is what lets block connection skip these scripts through the script
     * execution cache. Skipped altogether when the cache holds the transaction under both flag sets.
     */
    private void checkInputScripts(Transaction tx, List<TxOut> spent, ChainContext ctx, Precheck precheck)
            throws ValidationException {
        Hash256 wtxid = tx.wtxid();
        int blockFlags = nextBlockScriptFlags(ctx);
        // The precheck's keys when they are this transaction's under these flags (no second hashing).
        ScriptCacheKeys keys = precheck != null && precheck.keys != null && precheck.keys.blockFlags() == blockFlags
                && precheck.wtxid.equals(wtxid) ? precheck.keys : scriptCacheKeys(wtxid, blockFlags);
        if (scriptCache.contains(keys.standard(), false) && scriptCache.contains(keys.block(), false)) {
            return;
        }
        PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spent);
        InputFailure standard = firstFailure(data, Policy.STANDARD_SCRIPT_VERIFY_FLAGS);
        if (standard != null) {
            int i = standard.input();
            ScriptError mandatory = verifier.verify(data, i, Policy.MANDATORY_SCRIPT_VERIFY_FLAGS);
            if (mandatory != ScriptError.OK) {
                throw new ValidationException(Result.CONSENSUS,
                        "mandatory-script-verify-flag-failed (" + mandatory.description() + ")", "input " + i);
            }
            throw new ValidationException(Result.NOT_STANDARD,
                    "non-mandatory-script-verify-flag (" + standard.error().description() + ")", "input " + i);
        }
        InputFailure block = firstFailure(data, blockFlags);
        if (block != null) {
            LOG.error("BUG: {} input {} passes the standard script flags but not the next block's ({}): {}",
                    tx.txid(), block.input(), Integer.toHexString(blockFlags), block.error().description());
            // Refused without blaming the peer: the fault is in our flags.
            throw new ValidationException(Result.NOT_STANDARD,
                    "block-script-verify-flag-failed (" + block.error().description() + ")", "input " + block.input());
        }
        recordScriptsPassed(keys);
    }

    /** The first input whose scripts fail under {@code flags}, or null when all pass. */
    private InputFailure firstFailure(PrecomputedTransactionData data, int flags) {
        int inputs = data.tx().inputs().size();
        for (int i = 0; i < inputs; i++) {
            ScriptError err = verifier.verify(data, i, flags);
            if (err != ScriptError.OK) {
                return new InputFailure(i, err);
            }
        }
        return null;
    }

    private record InputFailure(int input, ScriptError error) {
    }

    /**
     * Records that every input passed under the standard and the next block's flags, so that
     * acceptance and block connection may skip them.
     */
    private void recordScriptsPassed(ScriptCacheKeys keys) {
        scriptCache.add(keys.block());
        scriptCache.add(keys.standard());
    }

    private ScriptCacheKeys scriptCacheKeys(Hash256 wtxid, int blockFlags) {
        return new ScriptCacheKeys(scriptCache.keyOf(wtxid, Policy.STANDARD_SCRIPT_VERIFY_FLAGS),
                scriptCache.keyOf(wtxid, blockFlags), blockFlags);
    }

    /** A transaction's script execution cache keys under the standard flags and under {@code blockFlags}. */
    private record ScriptCacheKeys(ScriptExecutionCache.Key standard, ScriptExecutionCache.Key block,
            int blockFlags) {
    }

    // ---------------------------------------------------------------- entry bookkeeping

    private void addEntry(MempoolEntry e, Set<MempoolEntry> parents, Set<MempoolEntry> ancestors) {
        byTxid.put(e.txid(), e);
        byWtxid.put(e.wtxid(), e);
        for (TxIn in : e.tx().inputs()) {
            spentBy.put(in.prevout(), e);
        }
        for (MempoolEntry p : parents) {
            e.addParent(p);
            p.addChild(e);
        }
        for (MempoolEntry a : ancestors) {
            e.countWithAncestors++;
            e.sizeWithAncestors += a.vsize();
            e.modFeesWithAncestors += a.modifiedFee();
            e.sigOpCostWithAncestors += a.sigOpCost();
            updateDescendantState(a, 1, e.vsize(), e.modifiedFee());
        }
        addToEvictionIndex(e);
        byTime.add(e);
        totalUsage += e.usage();
        totalVsize += e.vsize();
        totalFees += e.fee();
        sequenceNumber++;
        poolVersion++;
        if (!listeners.isEmpty()) {
            EntryInfo info = EntryInfo.of(e, signalsReplaceability(e), false);
            for (MempoolListener l : listeners) {
                l.transactionAdded(info);
            }
        }
    }

    /** Changes an entry's descendant totals, keeping the eviction index ordered. */
    private void updateDescendantState(MempoolEntry a, long count, long size, long fees) {
        a.countWithDescendants += count;
        a.sizeWithDescendants += size;
        a.modFeesWithDescendants += fees;
        placeInEvictionIndex(a, true);
    }

    /** Enters an entry into the eviction index with the score its current totals give. */
    private void addToEvictionIndex(MempoolEntry e) {
        placeInEvictionIndex(e, false);
    }

    /**
     * Gives an entry the eviction score of its current totals: the larger of its own feerate and
     * its package-with-descendants feerate, as (fee, size).
     */
    private void placeInEvictionIndex(MempoolEntry e, boolean alreadyIn) {
        boolean own = ownRateIsHigher(e);
        long fee = own ? e.modifiedFee() : e.modFeesWithDescendants;
        long size = own ? e.vsize() : e.sizeWithDescendants;
        if (alreadyIn) {
            byDescendantScore.update(e, fee, size);
        } else {
            byDescendantScore.add(e, fee, size);
        }
    }

    /** Removes {@code stage} (Core's RemoveStaged), fixing the totals of entries that stay. */
    private void removeStaged(Set<MempoolEntry> stage, RemovalReason reason) {
        for (MempoolEntry e : stage) {
            for (MempoolEntry a : ancestorsOf(e)) {
                if (!stage.contains(a)) {
                    updateDescendantState(a, -1, -e.vsize(), -e.modifiedFee());
                }
            }
            for (MempoolEntry d : descendantsOf(e)) {
                if (!stage.contains(d)) {
                    // Ancestor totals only: the descendant score (the eviction key) stays.
                    d.countWithAncestors--;
                    d.sizeWithAncestors -= e.vsize();
                    d.modFeesWithAncestors -= e.modifiedFee();
                    d.sigOpCostWithAncestors -= e.sigOpCost();
                }
            }
        }
        for (MempoolEntry e : stage) {
            byDescendantScore.remove(e);
            byTime.remove(e);
            for (MempoolEntry p : e.parents) {
                p.removeChild(e);
            }
            for (MempoolEntry c : e.children) {
                c.removeParent(e);
            }
            byTxid.remove(e.txid());
            byWtxid.remove(e.wtxid());
            for (TxIn in : e.tx().inputs()) {
                spentBy.remove(in.prevout(), e);
            }
            totalUsage -= e.usage();
            totalVsize -= e.vsize();
            totalFees -= e.fee();
            unbroadcast.remove(e.txid());
            sequenceNumber++;
            poolVersion++;
            for (MempoolListener l : listeners) {
                l.transactionRemoved(e.tx(), reason);
            }
        }
    }

    private static Set<MempoolEntry> ancestorsOf(MempoolEntry e) {
        if (e.parents.isEmpty()) {
            return Set.of();
        }
        Set<MempoolEntry> out = new HashSet<>();
        Deque<MempoolEntry> todo = new ArrayDeque<>(e.parents);
        while (!todo.isEmpty()) {
            MempoolEntry x = todo.poll();
            if (out.add(x)) {
                todo.addAll(x.parents);
            }
        }
        return out;
    }

    private static Set<MempoolEntry> descendantsOf(MempoolEntry e) {
        if (e.children.isEmpty()) {
            return Set.of();
        }
        Set<MempoolEntry> out = new HashSet<>();
        Deque<MempoolEntry> todo = new ArrayDeque<>(e.children);
        while (!todo.isEmpty()) {
            MempoolEntry x = todo.poll();
            if (out.add(x)) {
                todo.addAll(x.children);
            }
        }
        return out;
    }

    /** The entries and all their descendants (Core's CalculateDescendants). */
    private static Set<MempoolEntry> withDescendants(Collection<MempoolEntry> roots) {
        Set<MempoolEntry> out = new LinkedHashSet<>();
        for (MempoolEntry r : roots) {
            out.add(r);
            out.addAll(descendantsOf(r));
        }
        return out;
    }

    /**
     * Whether the entry's eviction score is its own feerate: the larger of that and its
     * package-with-descendants feerate is the score.
     */
    private static boolean ownRateIsHigher(MempoolEntry e) {
        return compareRates(e.modifiedFee(), e.vsize(), e.modFeesWithDescendants, e.sizeWithDescendants) > 0;
    }

    /** Exact comparison of fee1/size1 with fee2/size2 (sizes positive), without overflow. */
    static int compareRates(long fee1, long size1, long fee2, long size2) {
        long hi1 = Math.multiplyHigh(fee1, size2);
        long lo1 = fee1 * size2;
        long hi2 = Math.multiplyHigh(fee2, size1);
        long lo2 = fee2 * size1;
        int c = Long.compare(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    // ---------------------------------------------------------------- limits, expiry, fees

    /** Core's LimitMempoolSize: expiry first, then eviction down to -maxmempool. */
    private void limitSize() {
        expireLocked();
        trimToSizeLocked(opts.maxMempoolBytes());
    }

    /** Drops entries older than -mempoolexpiry, with their descendants; returns how many left. */
    public int expire() {
        synchronized (lock) {
            return expireLocked();
        }
    }

    private int expireLocked() {
        long cutoff = clock.getAsLong() - opts.expiry().toSeconds();
        List<MempoolEntry> expired = byTime.olderThan(cutoff);
        if (expired.isEmpty()) {
            return 0;
        }
        Set<MempoolEntry> stage = withDescendants(expired);
        removeStaged(stage, RemovalReason.EXPIRY);
        LOG.debug("expired {} mempool transactions", stage.size());
        return stage.size();
    }

    /**
     * Evicts the packages (an entry with its descendants) of lowest descendant feerate until the
     * pool's memory use is at most {@code sizeLimitBytes}, raising the rolling minimum fee to each
     * evicted package's feerate plus the incremental relay fee (Core's TrimToSize).
     *
     * @return the number of transactions evicted
     */
    public int trimToSize(long sizeLimitBytes) {
        synchronized (lock) {
            return trimToSizeLocked(sizeLimitBytes);
        }
    }

    private int trimToSizeLocked(long sizeLimitBytes) {
        int evicted = 0;
        FeeRate maxRemoved = FeeRate.ZERO;
        while (totalUsage > sizeLimitBytes && !byDescendantScore.isEmpty()) {
            MempoolEntry worst = byDescendantScore.first();
            FeeRate removed = new FeeRate(FeeRate.of(worst.modFeesWithDescendants, worst.sizeWithDescendants)
                    .satPerKvB() + opts.incrementalRelayFee().satPerKvB());
            trackPackageRemoved(removed);
            if (removed.compareTo(maxRemoved) > 0) {
                maxRemoved = removed;
            }
            Set<MempoolEntry> stage = withDescendants(Set.of(worst));
            evicted += stage.size();
            removeStaged(stage, RemovalReason.SIZELIMIT);
        }
        if (evicted > 0) {
            LOG.debug("evicted {} mempool transactions to stay within {} bytes, max feerate evicted {}", evicted,
                    sizeLimitBytes, maxRemoved);
        }
        return evicted;
    }

    private void trackPackageRemoved(FeeRate rate) {
        if (rate.satPerKvB() > rollingMinimumFeeRate) {
            rollingMinimumFeeRate = rate.satPerKvB();
            blockSinceLastRollingFeeBump = false;
        }
    }

    /**
     * The fee rate a new transaction must pay to get in (Core's GetMinFee): zero while nothing was
     * evicted; after an eviction it halves every 12 hours once a block has been connected (faster
     * while the pool is less than half or a quarter full), and drops to zero below half the
     * incremental relay fee.
     */
    public FeeRate minFee() {
        synchronized (lock) {
            return minFeeLocked();
        }
    }

    private FeeRate minFeeLocked() {
        if (!blockSinceLastRollingFeeBump || rollingMinimumFeeRate == 0) {
            return new FeeRate(Math.round(rollingMinimumFeeRate));
        }
        long now = clock.getAsLong();
        if (now > lastRollingFeeUpdate + 10) {
            double halflife = ROLLING_FEE_HALFLIFE_SECONDS;
            if (totalUsage < opts.maxMempoolBytes() / 4) {
                halflife /= 4;
            } else if (totalUsage < opts.maxMempoolBytes() / 2) {
                halflife /= 2;
            }
            rollingMinimumFeeRate /= Math.pow(2.0, (now - lastRollingFeeUpdate) / halflife);
            lastRollingFeeUpdate = now;
            if (rollingMinimumFeeRate < opts.incrementalRelayFee().satPerKvB() / 2.0) {
                rollingMinimumFeeRate = 0;
                return FeeRate.ZERO;
            }
        }
        FeeRate rolling = new FeeRate(Math.round(rollingMinimumFeeRate));
        return rolling.compareTo(opts.incrementalRelayFee()) > 0 ? rolling : opts.incrementalRelayFee();
    }

    // ---------------------------------------------------------------- blocks and reorgs

    /**
     * A block was connected (Core's removeForBlock): its transactions leave the pool, and so do
     * mempool transactions spending the same outputs, with their descendants. Also lets the
     * rolling minimum fee start decaying.
     */
    public void removeForBlock(List<Transaction> blockTxs) {
        synchronized (lock) {
            // An empty pool without fee deltas (initial block download, an import) has nothing a block
            // could confirm, conflict with or clear: skip the lookup of every transaction and input.
            if (!byTxid.isEmpty() || !deltas.isEmpty()) {
                removeConfirmedAndConflicts(blockTxs);
            }
            lastRollingFeeUpdate = clock.getAsLong();
            blockSinceLastRollingFeeBump = true;
        }
    }

    /** removeForBlock's work on the entries, with the lock held. */
    private void removeConfirmedAndConflicts(List<Transaction> blockTxs) {
        for (Transaction tx : blockTxs) {
            Hash256 txid = tx.txid();
            MempoolEntry e = byTxid.get(txid);
            if (e != null) {
                removeStaged(Set.of(e), RemovalReason.BLOCK);
            }
            if (!tx.isCoinbase()) {
                Set<MempoolEntry> conflicts = new LinkedHashSet<>();
                for (TxIn in : tx.inputs()) {
                    MempoolEntry c = spentBy.get(in.prevout());
                    if (c != null && !c.txid().equals(txid)) {
                        conflicts.add(c);
                    }
                }
                if (!conflicts.isEmpty()) {
                    removeStaged(withDescendants(conflicts), RemovalReason.CONFLICT);
                }
            }
            deltas.remove(txid);
        }
    }

    /**
     * After a reorganisation (Core's MaybeUpdateMempoolForReorg): the transactions of the
     * disconnected blocks that are not in the new chain are offered again, oldest first, without
     * fee or size limits; then every entry is re-checked against the new tip (lock time, BIP68,
     * coinbase maturity, inputs) and the invalid ones leave with their descendants; last the size
     * limit applies. {@code ctx} is the new tip. Clears {@code disconnected}.
     *
     * @return the number of transactions that went back into the pool
     */
    public int updateForReorg(DisconnectedBlockTransactions disconnected, ChainContext ctx) {
        synchronized (lock) {
            int readded = 0;
            long now = clock.getAsLong();
            for (Transaction tx : disconnected.takeOldestFirst()) {
                if (tx.isCoinbase()) {
                    continue;
                }
                try {
                    acceptLocked(tx, ctx, true, now, false);
                    readded++;
                } catch (ValidationException e) {
                    LOG.debug("disconnected transaction {} not re-added: {}", tx.txid(), e.getMessage());
                    removeSpendersOf(tx);
                }
            }
            relinkAll();
            removeForReorgLocked(ctx);
            limitSize();
            return readded;
        }
    }

    /** A transaction that could not come back takes the pool's spenders of its outputs with it. */
    private void removeSpendersOf(Transaction tx) {
        Set<MempoolEntry> spenders = new LinkedHashSet<>();
        Hash256 txid = tx.txid();
        for (int o = 0; o < tx.outputs().size(); o++) {
            MempoolEntry s = spentBy.get(new OutPoint(txid, o));
            if (s != null) {
                spenders.add(s);
            }
        }
        if (!spenders.isEmpty()) {
            removeStaged(withDescendants(spenders), RemovalReason.REORG);
        }
    }

    /**
     * Rebuilds parent/child links and all totals: re-added transactions may have children that
     * were already in the pool (Core's UpdateTransactionsFromBlock).
     */
    private void relinkAll() {
        poolVersion++;
        for (MempoolEntry e : byTxid.values()) {
            e.clearLinks();
        }
        for (MempoolEntry e : byTxid.values()) {
            for (TxIn in : e.tx().inputs()) {
                MempoolEntry p = byTxid.get(in.prevout().txid());
                if (p != null) {
                    e.addParent(p);
                    p.addChild(e);
                }
            }
        }
        byDescendantScore.clear();
        for (MempoolEntry e : byTxid.values()) {
            e.countWithAncestors = 1;
            e.sizeWithAncestors = e.vsize();
            e.modFeesWithAncestors = e.modifiedFee();
            e.sigOpCostWithAncestors = e.sigOpCost();
            for (MempoolEntry a : ancestorsOf(e)) {
                e.countWithAncestors++;
                e.sizeWithAncestors += a.vsize();
                e.modFeesWithAncestors += a.modifiedFee();
                e.sigOpCostWithAncestors += a.sigOpCost();
            }
            e.countWithDescendants = 1;
            e.sizeWithDescendants = e.vsize();
            e.modFeesWithDescendants = e.modifiedFee();
            for (MempoolEntry d : descendantsOf(e)) {
                e.countWithDescendants++;
                e.sizeWithDescendants += d.vsize();
                e.modFeesWithDescendants += d.modifiedFee();
            }
            addToEvictionIndex(e);
        }
    }

    /** Core's removeForReorg: entries no longer final, BIP68-final or mature at the new tip leave. */
    private void removeForReorgLocked(ChainContext ctx) {
        int nextHeight = ctx.nextHeight();
        TipState tipState = tipState(ctx);
        BlockIndex next = tipState.next();
        long mtp = tipState.medianTimePast();
        Set<MempoolEntry> invalid = new LinkedHashSet<>();
        for (MempoolEntry e : byTxid.values()) {
            Transaction tx = e.tx();
            if (!TxVerify.isFinalTx(tx, nextHeight, mtp)) {
                invalid.add(e);
                continue;
            }
            int[] prevHeights = new int[tx.inputs().size()];
            for (int i = 0; i < prevHeights.length; i++) {
                OutPoint op = tx.inputs().get(i).prevout();
                if (byTxid.containsKey(op.txid())) {
                    prevHeights[i] = nextHeight;
                    continue;
                }
                Optional<Coin> coin = ctx.coins().getCoin(op);
                if (coin.isEmpty()) {
                    prevHeights[i] = -1;
                    break;
                }
                prevHeights[i] = coin.get().height();
                if (coin.get().coinbase() && nextHeight - coin.get().height() < Consensus.COINBASE_MATURITY) {
                    prevHeights[i] = -1;
                    break;
                }
            }
            boolean bad = false;
            for (int h : prevHeights) {
                bad |= h < 0;
            }
            if (bad || !TxVerify.sequenceLocks(tx, TxVerify.LOCKTIME_VERIFY_SEQUENCE, prevHeights, next)) {
                invalid.add(e);
            }
        }
        if (!invalid.isEmpty()) {
            removeStaged(withDescendants(invalid), RemovalReason.REORG);
        }
    }

    /** Removes a transaction and its descendants (Core's removeRecursive); false when not in the pool. */
    public boolean removeRecursive(Hash256 txid, RemovalReason reason) {
        synchronized (lock) {
            MempoolEntry e = byTxid.get(txid);
            if (e == null) {
                return false;
            }
            removeStaged(withDescendants(Set.of(e)), reason);
            return true;
        }
    }

    /** Empties the pool (used when the chain state is discarded). */
    public void clear() {
        synchronized (lock) {
            removeStaged(new LinkedHashSet<>(byTxid.values()), RemovalReason.REORG);
            rollingMinimumFeeRate = 0;
        }
    }

    // ---------------------------------------------------------------- queries (RPC, relay)

    public int size() {
        synchronized (lock) {
            return byTxid.size();
        }
    }

    /** Sum of virtual sizes (getmempoolinfo "bytes"). */
    public long totalVsize() {
        synchronized (lock) {
            return totalVsize;
        }
    }

    /** Estimated heap use, the quantity -maxmempool bounds (getmempoolinfo "usage"). */
    public long usage() {
        synchronized (lock) {
            return totalUsage;
        }
    }

    public long totalFees() {
        synchronized (lock) {
            return totalFees;
        }
    }

    /** Increases on every addition and removal: getrawmempool's mempool_sequence and the getblocktemplate longpoll trigger. */
    public long sequence() {
        synchronized (lock) {
            return sequenceNumber;
        }
    }

    public boolean contains(Hash256 txid) {
        synchronized (lock) {
            return byTxid.containsKey(txid);
        }
    }

    public boolean containsWtxid(Hash256 wtxid) {
        synchronized (lock) {
            return byWtxid.containsKey(wtxid);
        }
    }

    public Optional<Transaction> get(Hash256 txid) {
        synchronized (lock) {
            MempoolEntry e = byTxid.get(txid);
            return e == null ? Optional.empty() : Optional.of(e.tx());
        }
    }

    public Optional<Transaction> getByWtxid(Hash256 wtxid) {
        synchronized (lock) {
            MempoolEntry e = byWtxid.get(wtxid);
            return e == null ? Optional.empty() : Optional.of(e.tx());
        }
    }

    public Optional<EntryInfo> entry(Hash256 txid) {
        synchronized (lock) {
            MempoolEntry e = byTxid.get(txid);
            return e == null ? Optional.empty() : Optional.of(info(e));
        }
    }

    /** Every entry, oldest first. */
    public List<EntryInfo> entries() {
        synchronized (lock) {
            List<EntryInfo> out = new ArrayList<>(byTxid.size());
            for (MempoolEntry e : byTime.inOrder()) {
                out.add(info(e));
            }
            return out;
        }
    }

    public List<Hash256> txids() {
        synchronized (lock) {
            return byTime.inOrder().stream().map(MempoolEntry::txid).toList();
        }
    }

    /** In-pool ancestors of {@code txid} (getmempoolancestors); empty when it is not in the pool. */
    public List<EntryInfo> ancestors(Hash256 txid) {
        synchronized (lock) {
            MempoolEntry e = byTxid.get(txid);
            return e == null ? List.of() : ancestorsOf(e).stream().map(this::info).toList();
        }
    }

    /** In-pool descendants of {@code txid} (getmempooldescendants). */
    public List<EntryInfo> descendants(Hash256 txid) {
        synchronized (lock) {
            MempoolEntry e = byTxid.get(txid);
            return e == null ? List.of() : descendantsOf(e).stream().map(this::info).toList();
        }
    }

    /** The mempool transaction spending {@code outpoint} (gettxspendingprevout). */
    public Optional<Hash256> spender(OutPoint outpoint) {
        synchronized (lock) {
            MempoolEntry e = spentBy.get(outpoint);
            return e == null ? Optional.empty() : Optional.of(e.txid());
        }
    }

    /** An output of a mempool transaction, for gettxout with include_mempool; empty if spent in the pool. */
    public Optional<TxOut> unspentOutput(OutPoint outpoint) {
        synchronized (lock) {
            MempoolEntry e = byTxid.get(outpoint.txid());
            if (e == null || spentBy.containsKey(outpoint) || outpoint.indexUnsigned() >= e.tx().outputs().size()) {
                return Optional.empty();
            }
            return Optional.of(e.tx().outputs().get(outpoint.index()));
        }
    }

    /** Whether a chain coin is spent by a pool transaction. */
    public boolean isSpent(OutPoint outpoint) {
        synchronized (lock) {
            return spentBy.containsKey(outpoint);
        }
    }

    /** prioritisetransaction: adds {@code feeDelta} to the fee used for selection, eviction and fee checks. */
    public void prioritise(Hash256 txid, long feeDelta) {
        synchronized (lock) {
            poolVersion++;
            long delta = deltas.merge(txid, feeDelta, Long::sum);
            if (delta == 0) {
                deltas.remove(txid);
            }
            MempoolEntry e = byTxid.get(txid);
            if (e != null) {
                // Simplest correct update of all package totals: relink everything.
                e.setFeeDelta(delta);
                relinkAll();
            }
        }
    }

    public Map<Hash256, Long> deltas() {
        synchronized (lock) {
            return Map.copyOf(deltas);
        }
    }

    /** Marks a transaction as submitted locally and not yet requested by a peer. */
    public void addUnbroadcast(Hash256 txid) {
        synchronized (lock) {
            if (byTxid.containsKey(txid)) {
                unbroadcast.add(txid);
            }
        }
    }

    public void removeUnbroadcast(Hash256 txid) {
        synchronized (lock) {
            unbroadcast.remove(txid);
        }
    }

    public Set<Hash256> unbroadcast() {
        synchronized (lock) {
            return Set.copyOf(unbroadcast);
        }
    }

    /** getmempoolinfo. */
    public MempoolInfo info() {
        synchronized (lock) {
            FeeRate min = minFeeLocked();
            FeeRate mempoolMinFee = min.compareTo(opts.minRelayFee()) > 0 ? min : opts.minRelayFee();
            return new MempoolInfo(byTxid.size(), totalVsize, totalUsage, totalFees, opts.maxMempoolBytes(),
                    mempoolMinFee, opts.minRelayFee(), opts.incrementalRelayFee(), unbroadcast.size(), opts.fullRbf());
        }
    }

    /**
     * A snapshot of every entry for block assembly, in no particular order (the assembler orders
     * by the parent links). Kept short because it holds the pool's lock; selection runs without it.
     */
    public List<MiningCandidate> miningCandidates() {
        synchronized (lock) {
            List<MiningCandidate> out = new ArrayList<>(byTxid.size());
            for (MempoolEntry e : byTxid.values()) {
                List<Hash256> parents = List.of();
                if (!e.parents.isEmpty()) {
                    parents = new ArrayList<>(e.parents.size());
                    for (MempoolEntry p : e.parents) {
                        parents.add(p.txid());
                    }
                }
                out.add(new MiningCandidate(e.tx(), e.txid(), e.fee(), e.modifiedFee(), e.vsize(), e.weight(),
                        e.sigOpCost(), parents));
            }
            return out;
        }
    }

    /** What mempool.dat stores: every entry's transaction, time and fee delta, parents first. */
    List<PersistedEntry> snapshotForDump() {
        synchronized (lock) {
            List<MempoolEntry> ordered = new ArrayList<>(byTxid.values());
            ordered.sort(Comparator.comparingLong((MempoolEntry e) -> e.countWithAncestors)
                    .thenComparingLong(MempoolEntry::sequence));
            List<PersistedEntry> out = new ArrayList<>(ordered.size());
            for (MempoolEntry e : ordered) {
                out.add(new PersistedEntry(e.tx(), e.time(), e.feeDelta()));
            }
            return out;
        }
    }

    /** Accepts a transaction read back from mempool.dat with its original entry time. */
    AcceptResult acceptWithTime(Transaction tx, ChainContext ctx, long time) throws ValidationException {
        return acceptUnlocked(tx, ctx, false, time, null);
    }

    long now() {
        return clock.getAsLong();
    }

    private EntryInfo info(MempoolEntry e) {
        return EntryInfo.of(e, signalsReplaceability(e), unbroadcast.contains(e.txid()));
    }

    /** One line of mempool.dat. */
    record PersistedEntry(Transaction tx, long time, long feeDelta) {
    }
}
