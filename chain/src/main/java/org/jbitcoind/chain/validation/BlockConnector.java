package org.jbitcoind.chain.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.SigOps;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.BlockUndo.TxUndo;
import org.jbitcoind.storage.Coin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a block to the UTXO set and takes it back off (Core's ConnectBlock and DisconnectBlock).
 * The block must already have passed {@link BlockChecks#checkBlock} and
 * {@link ContextualChecks#contextualCheckBlock} (Core's AcceptBlock does them before a block is
 * stored); these rules are not repeated here.
 */
public final class BlockConnector {
    /**
     * BIP34 made coinbases unique, so BIP30 need not be checked while its activation block is in the
     * chain; but at this height a pre-BIP34 coinbase could first repeat (its scriptSig starts with a
     * push that reads as this height), so the check comes back (Core's BIP34_IMPLIES_BIP30_LIMIT).
     */
    public static final int BIP34_IMPLIES_BIP30_LIMIT = 1_983_702;

    private static final Logger LOG = LoggerFactory.getLogger(BlockConnector.class);

    /** Outcome of {@link #disconnectBlock}. */
    public enum DisconnectResult {
        /** All good. */
        OK,
        /** Rolled back, but the coins did not match exactly what the block created or the undo data. */
        UNCLEAN,
        /** Undo data does not fit the block: the coins view must be discarded. */
        FAILED
    }

    private final ChainParams params;
    private final ScriptCheckQueue checkQueue;

    public BlockConnector(ChainParams params, ScriptCheckQueue checkQueue) {
        this.params = Objects.requireNonNull(params, "params");
        this.checkQueue = Objects.requireNonNull(checkQueue, "checkQueue");
    }

    /**
     * Connects {@code block} (whose index is {@code index}, parent of which is {@code view}'s best
     * block) to {@code view}: BIP30, inputs and fees, BIP68 sequence locks, the sigop cost limit, the
     * coinbase amount and, unless {@code checkScripts} is false (assumed-valid ancestors), every
     * input script on the check queue. On success the view holds the new coins with the block as
     * best block and the undo data is returned; on failure the view is left part-way and must be
     * discarded.
     */
    public BlockUndo connectBlock(Block block, BlockIndex index, CoinsViewCache view, boolean checkScripts)
            throws ValidationException {
        return connectBlock(block, index, view, checkScripts, null);
    }

    /**
     * {@link #connectBlock(Block, BlockIndex, CoinsViewCache, boolean)} that skips the script checks
     * of every transaction {@code scriptCache} holds under exactly this block's script flags
     * (checked when it entered the mempool; Core's CheckInputScripts with the script execution
     * cache). A hit is used up. Null checks every script.
     */
    public BlockUndo connectBlock(Block block, BlockIndex index, CoinsViewCache view, boolean checkScripts,
            ScriptExecutionCache scriptCache) throws ValidationException {
        return startConnectBlock(block, index, view, checkScripts, scriptCache).finish();
    }

    /**
     * The first part of {@link #connectBlock(Block, BlockIndex, CoinsViewCache, boolean,
     * ScriptExecutionCache)}: every rule but the scripts, with the coin changes made in {@code view}
     * and the script checks queued, so that the check queue verifies them while the caller goes on.
     * The verdict comes from {@link ConnectingBlock#finish()}; until then {@code view} holds the
     * block's changes (and the block as best block) only provisionally, and it must be discarded if
     * finish throws or the caller {@link ConnectingBlock#cancel() cancels}. Rule failures found here
     * are thrown here, with nothing left queued.
     */
    public ConnectingBlock startConnectBlock(Block block, BlockIndex index, CoinsViewCache view,
            boolean checkScripts, ScriptExecutionCache scriptCache) throws ValidationException {
        if (!index.hash().equals(block.hash())) {
            throw new IllegalArgumentException("index " + index + " is not block " + block.hash());
        }
        Hash256 expectedPrev = index.prev() == null ? Hash256.ZERO : index.prev().hash();
        if (!view.bestBlock().equals(expectedPrev)) {
            throw new IllegalStateException("coins view is at " + view.bestBlock() + ", not at the parent of " + index);
        }
        // The genesis coinbase is not spendable: Core never added it to the UTXO set.
        if (block.hash().equals(params.genesisHash())) {
            view.setBestBlock(index.hash());
            return new ConnectingBlock(block, index, null, List.of(), 0);
        }

        checkBip30(block, index, view);

        int lockTimeFlags = BuriedDeployment.CSV.activeAt(index, params) ? TxVerify.LOCKTIME_VERIFY_SEQUENCE : 0;
        int flags = BlockScriptFlags.get(index, params);
        int height = index.height();

        List<Transaction> txs = block.transactions();
        List<TxUndo> undos = new ArrayList<>(Math.max(0, txs.size() - 1));
        BlockTotals totals = new BlockTotals();
        ScriptCheckQueue.Control control = checkQueue.begin();
        boolean queued = false;
        try {
            for (Transaction tx : txs) {
                connectTransaction(tx, index, view, checkScripts, scriptCache, flags, lockTimeFlags, control, totals,
                        undos);
            }
            long fees = totals.fees;
            long reward = fees + Subsidy.getBlockSubsidy(height, params);
            long coinbaseOut = valueOut(txs.get(0));
            if (coinbaseOut > reward) {
                throw ValidationException.consensus("bad-cb-amount",
                        "coinbase pays too much (actual=" + coinbaseOut + " vs limit=" + reward + ")");
            }
            control.flush();
            queued = true;
        } finally {
            if (!queued) {
                control.cancel();
            }
        }
        view.setBestBlock(index.hash());
        return new ConnectingBlock(block, index, control, undos, totals.fees);
    }

    /**
     * A block whose connection waits only for its script checks (Core's ConnectBlock between
     * queueing the checks and control.Wait()). Used once: {@link #finish()} or {@link #cancel()}.
     */
    public static final class ConnectingBlock {
        private final Block block;
        private final BlockIndex index;
        private final ScriptCheckQueue.Control control;
        private final List<TxUndo> undos;
        private final long fees;
        private boolean done;

        private ConnectingBlock(Block block, BlockIndex index, ScriptCheckQueue.Control control, List<TxUndo> undos,
                long fees) {
            this.block = block;
            this.index = index;
            this.control = control;
            this.undos = undos;
            this.fees = fees;
        }

        /**
         * Waits for the block's script checks, this thread checking beside the pool's workers, and
         * returns the undo data; throws the first failing input's reject reason.
         */
        public BlockUndo finish() throws ValidationException {
            if (done) {
                throw new IllegalStateException("connection of " + index + " already finished");
            }
            done = true;
            if (control != null) {
                Optional<ScriptCheckFailure> failure = control.complete();
                if (failure.isPresent()) {
                    ScriptCheckFailure f = failure.get();
                    throw ValidationException.consensus(f.rejectReason(),
                            "input " + f.inputIndex() + " of " + f.txid());
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("connected block {} at {}: {} txs, {} script checks, fees {}", index.hash(),
                            index.height(), block.transactions().size(), control.added(), fees);
                }
            }
            return new BlockUndo(undos);
        }

        /** Abandons the block: its remaining checks are skipped and its view must be discarded. */
        public void cancel() {
            if (!done) {
                done = true;
                if (control != null) {
                    control.cancel();
                }
            }
        }
    }

    /** Running sums over a block's transactions. */
    private static final class BlockTotals {
        long fees;
        long sigOpCost;
    }

    /**
     * One transaction of connectBlock: inputs and fee, BIP68 sequence locks, sigop cost, its script
     * checks handed to {@code control}, then the coin changes (undo data into {@code undos}). A
     * method of its own so that the JIT compiles this hot per-transaction body once, instead of
     * recompiling the whole of connectBlock at each of its loops (on-stack replacement); the
     * coinbase (once a block) and the failures have methods of their own to keep this one small.
     */
    private void connectTransaction(Transaction tx, BlockIndex index, CoinsViewCache view, boolean checkScripts,
                                    ScriptExecutionCache scriptCache, int flags, int lockTimeFlags,
                                    ScriptCheckQueue.Control control, BlockTotals totals, List<TxUndo> undos)
            throws ValidationException {
        if (tx.isCoinbase()) {
            connectCoinbase(tx, index, view, flags, totals);
            return;
        }
        int height = index.height();
        // Each coin is looked up once: for the input rules, the sequence locks, the scripts and the
        // spend below. The loops over inputs are in the callees: a loop here would make the JIT
        // compile this method before them, inlining them all into one large compilation.
        Coin[] coins = view.accessCoins(tx.inputs());
        long fee = checkInputs(tx, coins, height);
        totals.fees += fee;
        if (!Consensus.moneyRange(totals.fees)) {
            throw ValidationException.consensus("bad-txns-accumulated-fee-outofrange",
                    "accumulated fee in the block out of range");
        }
        int[] prevHeights = new int[coins.length];
        List<TxOut> spentOutputs = spentOutputs(coins, prevHeights);
        if (!TxVerify.sequenceLocks(tx, lockTimeFlags, prevHeights, index)) {
            throw ValidationException.consensus("bad-txns-nonfinal",
                    "contains a non-BIP68-final transaction " + tx.txid());
        }

        addSigOpCost(totals, SigOps.transactionSigOpCost(tx, spentOutputs, flags));

        if (checkScripts && (scriptCache == null || !scriptCache.contains(tx.wtxid(), flags, true))) {
            queueScriptChecks(tx, spentOutputs, flags, control);
        }
        undos.add(updateCoins(tx, coins, view, height));
    }

    /**
     * The outputs {@code coins} hold, as an immutable list (PrecomputedTransactionData keeps it
     * without a copy), with their heights written into {@code prevHeights}.
     */
    private static List<TxOut> spentOutputs(Coin[] coins, int[] prevHeights) {
        TxOut[] spent = new TxOut[coins.length];
        for (int j = 0; j < coins.length; j++) {
            prevHeights[j] = coins[j].height();
            spent[j] = coins[j].output();
        }
        return List.of(spent);
    }

    /** The coinbase: only its sigops count, and its outputs become coins. */
    private static void connectCoinbase(Transaction tx, BlockIndex index, CoinsViewCache view, int flags,
            BlockTotals totals) throws ValidationException {
        addSigOpCost(totals, SigOps.transactionSigOpCost(tx, List.of(), flags));
        view.addCoins(tx, index.height(), false);
    }

    /** Core's CheckTxInputs on coins already looked up; any failure makes the block invalid. */
    private static long checkInputs(Transaction tx, Coin[] coins, int height) throws ValidationException {
        try {
            return TxVerify.checkTxInputs(tx, coins, height);
        } catch (ValidationException e) {
            throw inBlock(e, tx);
        }
    }

    private static ValidationException inBlock(ValidationException e, Transaction tx) {
        return ValidationException.consensus(e.rejectReason(), e.getMessage() + " in " + tx.txid());
    }

    private static void addSigOpCost(BlockTotals totals, long cost) throws ValidationException {
        totals.sigOpCost += cost;
        if (totals.sigOpCost > Consensus.MAX_BLOCK_SIGOPS_COST) {
            throw ValidationException.consensus("bad-blk-sigops", "too many sigops");
        }
    }

    private static void queueScriptChecks(Transaction tx, List<TxOut> spentOutputs, int flags,
            ScriptCheckQueue.Control control) {
        PrecomputedTransactionData data = new PrecomputedTransactionData(tx, spentOutputs);
        int n = tx.inputs().size();
        List<ScriptCheck> checks = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            checks.add(new ScriptCheck(data, j, flags));
        }
        control.add(checks);
    }

    /**
     * BIP30: no transaction may create an output that already exists unspent. Skipped while the
     * BIP34 activation block is an ancestor (coinbases are then unique), except for the two historical
     * repeats which may not be checked at all.
     */
    private void checkBip30(Block block, BlockIndex index, CoinsViewCache view) throws ValidationException {
        Hash256 repeat = params.bip30RepeatBlocks().get(index.height());
        boolean enforce = repeat == null || !repeat.equals(index.hash());
        BlockIndex bip34Block = index.prev() == null ? null : index.prev().getAncestor(params.bip34Height());
        enforce = enforce && (bip34Block == null || !bip34Block.hash().equals(params.bip34Hash()));
        if (!enforce && index.height() < BIP34_IMPLIES_BIP30_LIMIT) {
            return;
        }
        // Asked for all outputs at once (one database read for those no cache knows); the usual
        // answer is "none exists", and only then is it worth finding which transaction it was.
        int outputs = 0;
        for (Transaction tx : block.transactions()) {
            outputs += tx.outputs().size();
        }
        List<OutPoint> created = new ArrayList<>(outputs);
        for (Transaction tx : block.transactions()) {
            Hash256 txid = tx.txid();
            for (int o = 0; o < tx.outputs().size(); o++) {
                created.add(new OutPoint(txid, o));
            }
        }
        if (!view.haveAnyCoin(created)) {
            return;
        }
        for (Transaction tx : block.transactions()) {
            Hash256 txid = tx.txid();
            for (int o = 0; o < tx.outputs().size(); o++) {
                if (view.haveCoin(new OutPoint(txid, o))) {
                    throw ValidationException.consensus("bad-txns-BIP30",
                            "tried to overwrite transaction " + txid);
                }
            }
        }
    }

    /**
     * Spends the inputs (recording for undo the coins checkTxInputs was given) and adds the outputs
     * (Core's UpdateCoins).
     */
    private static TxUndo updateCoins(Transaction tx, Coin[] coins, CoinsViewCache view, int height) {
        List<TxIn> inputs = tx.inputs();
        for (int j = 0; j < coins.length; j++) {
            if (view.spendCoin(inputs.get(j).prevout()) == null) {
                throw vanished(inputs.get(j));
            }
        }
        view.addCoins(tx, height, false);
        return new TxUndo(List.of(coins));
    }

    private static IllegalStateException vanished(TxIn in) {
        return new IllegalStateException("input " + in.prevout() + " vanished after checkTxInputs");
    }

    private static long valueOut(Transaction tx) {
        long v = 0;
        for (TxOut out : tx.outputs()) {
            v += out.value();
        }
        return v;
    }

    /**
     * Takes {@code block} (at {@code index}) off {@code view} using its undo data (Core's
     * DisconnectBlock): removes the outputs it created, restores the coins it spent, and moves the
     * best block back to the parent.
     */
    public DisconnectResult disconnectBlock(Block block, BlockIndex index, BlockUndo undo, CoinsViewCache view) {
        List<Transaction> txs = block.transactions();
        if (undo.txUndos().size() + 1 != txs.size()) {
            LOG.error("block {} and its undo data are inconsistent", index.hash());
            return DisconnectResult.FAILED;
        }
        // Blocks whose coinbase was later overwritten by a duplicate: missing outputs are expected.
        Hash256 overwritten = params.bip30DisconnectExceptions().get(index.height());
        boolean enforceBip30 = overwritten == null || !overwritten.equals(index.hash());

        boolean clean = true;
        for (int i = txs.size() - 1; i >= 0; i--) {
            Transaction tx = txs.get(i);
            Hash256 txid = tx.txid();
            boolean coinbase = tx.isCoinbase();
            boolean bip30Exception = coinbase && !enforceBip30;
            for (int o = 0; o < tx.outputs().size(); o++) {
                TxOut out = tx.outputs().get(o);
                if (CoinsViewCache.isUnspendable(out.scriptPubKey())) {
                    continue;
                }
                Coin coin = view.spendCoin(new OutPoint(txid, o));
                boolean matches = coin != null && coin.output().equals(out) && coin.height() == index.height()
                        && coin.coinbase() == coinbase;
                if (!matches && !bip30Exception) {
                    clean = false;
                }
            }
            if (i > 0) {
                TxUndo txUndo = undo.txUndos().get(i - 1);
                if (txUndo.spent().size() != tx.inputs().size()) {
                    LOG.error("transaction {} and its undo data are inconsistent", txid);
                    return DisconnectResult.FAILED;
                }
                for (int j = tx.inputs().size() - 1; j >= 0; j--) {
                    OutPoint prevout = tx.inputs().get(j).prevout();
                    // Restoring over an unspent coin means the view was not what this block left.
                    boolean overwrite = view.haveCoin(prevout);
                    if (overwrite) {
                        clean = false;
                    }
                    view.addCoin(prevout, txUndo.spent().get(j), overwrite);
                }
            }
        }
        view.setBestBlock(index.prev() == null ? Hash256.ZERO : index.prev().hash());
        return clean ? DisconnectResult.OK : DisconnectResult.UNCLEAN;
    }
}
