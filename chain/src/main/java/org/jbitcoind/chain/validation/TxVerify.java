package org.jbitcoind.chain.validation;

import java.util.List;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;

/** Transaction rules that need context: lock times and inputs (Core's consensus/tx_verify.cpp). */
public final class TxVerify {
    /** BIP68 flag for {@link #calculateSequenceLocks}: enforce relative lock times (Core's LOCKTIME_VERIFY_SEQUENCE). */
    public static final int LOCKTIME_VERIFY_SEQUENCE = 1;

    /** BIP68: sequence numbers with this bit set carry no relative lock. */
    public static final long SEQUENCE_LOCKTIME_DISABLE_FLAG = 1L << 31;
    /** BIP68: set for a time lock (units of 512 seconds), clear for a height lock. */
    public static final long SEQUENCE_LOCKTIME_TYPE_FLAG = 1L << 22;
    public static final long SEQUENCE_LOCKTIME_MASK = 0x0000ffffL;
    public static final int SEQUENCE_LOCKTIME_GRANULARITY = 9;

    private TxVerify() {
    }

    /**
     * Whether nLockTime allows {@code tx} in a block at {@code blockHeight} whose lock-time cutoff is
     * {@code blockTime} (the block time, or since BIP113 the parent's median time past). A lock time
     * is ignored when every input has a final sequence.
     */
    public static boolean isFinalTx(Transaction tx, int blockHeight, long blockTime) {
        long lockTime = tx.lockTime();
        if (lockTime == 0) {
            return true;
        }
        long cutoff = lockTime < Consensus.LOCKTIME_THRESHOLD ? blockHeight : blockTime;
        if (lockTime < cutoff) {
            return true;
        }
        for (TxIn in : tx.inputs()) {
            if (in.sequence() != TxIn.SEQUENCE_FINAL) {
                return false;
            }
        }
        return true;
    }

    /**
     * BIP68 locks of {@code tx} if mined in {@code block}, given the heights of the coins its inputs
     * spend. Relative time locks count from the median time past of the block before the coin's.
     * Version-1 transactions (as unsigned: any version below 2) and disabled inputs have none.
     */
    public static SequenceLocks calculateSequenceLocks(Transaction tx, int flags, int[] prevHeights,
            BlockIndex block) {
        if (prevHeights.length != tx.inputs().size()) {
            throw new IllegalArgumentException("one previous height per input required");
        }
        boolean enforce = Integer.toUnsignedLong(tx.version()) >= 2 && (flags & LOCKTIME_VERIFY_SEQUENCE) != 0;
        if (!enforce) {
            return SequenceLocks.NONE;
        }
        int minHeight = -1;
        long minTime = -1;
        List<TxIn> inputs = tx.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            long seq = inputs.get(i).sequence();
            if ((seq & SEQUENCE_LOCKTIME_DISABLE_FLAG) != 0) {
                continue;
            }
            int coinHeight = prevHeights[i];
            long value = seq & SEQUENCE_LOCKTIME_MASK;
            if ((seq & SEQUENCE_LOCKTIME_TYPE_FLAG) != 0) {
                BlockIndex base = block.getAncestor(Math.max(coinHeight - 1, 0));
                if (base == null) {
                    throw new IllegalStateException("ancestor at height " + (coinHeight - 1) + " of " + block
                            + " not known");
                }
                // Minus one: the lock is the last invalid time, as nLockTime is.
                minTime = Math.max(minTime, base.medianTimePast() + (value << SEQUENCE_LOCKTIME_GRANULARITY) - 1);
            } else {
                minHeight = Math.max(minHeight, coinHeight + (int) value - 1);
            }
        }
        return new SequenceLocks(minHeight, minTime);
    }

    /** Whether {@code locks} are satisfied in {@code block}, which must have a parent. */
    public static boolean evaluateSequenceLocks(BlockIndex block, SequenceLocks locks) {
        if (locks.minHeight() >= block.height()) {
            return false;
        }
        // Block times are unsigned, so a negative time lock (none: most transactions) is met by any
        // median time past; only a real one pays for the parent's (a sort of eleven timestamps).
        return locks.minTime() < 0 || locks.minTime() < block.prev().medianTimePast();
    }

    /** Core's SequenceLocks: calculate and evaluate in one. */
    public static boolean sequenceLocks(Transaction tx, int flags, int[] prevHeights, BlockIndex block) {
        return evaluateSequenceLocks(block, calculateSequenceLocks(tx, flags, prevHeights, block));
    }

    /**
     * Core's Consensus::CheckTxInputs: every input is an unspent coin, spent coinbases have matured,
     * amounts are in range and cover the outputs.
     *
     * @param spendHeight height of the block the transaction would be in
     * @return the fee
     */
    public static long checkTxInputs(Transaction tx, CoinsViewCache inputs, int spendHeight)
            throws ValidationException {
        if (tx.isCoinbase()) {
            throw new IllegalArgumentException("a coinbase has no inputs to check");
        }
        return checkTxInputs(tx, inputs.accessCoins(tx.inputs()), spendHeight);
    }

    /**
     * {@link #checkTxInputs(Transaction, CoinsViewCache, int)} on coins the caller has already
     * looked up: {@code coins[i]} is the unspent coin input {@code i} spends, or null when there is
     * none. Connecting a block needs the coins again afterwards, so it looks each up only once.
     */
    public static long checkTxInputs(Transaction tx, Coin[] coins, int spendHeight) throws ValidationException {
        List<TxIn> ins = tx.inputs();
        if (coins.length != ins.size()) {
            throw new IllegalArgumentException("one coin per input required");
        }
        for (Coin coin : coins) {
            if (coin == null) {
                throw new ValidationException(ValidationException.Result.MISSING_INPUTS,
                        "bad-txns-inputs-missingorspent", "inputs missing/spent");
            }
        }
        long valueIn = 0;
        for (Coin coin : coins) {
            // Premature: a coinbase's coin less than COINBASE_MATURITY deep. Computed as bits, so
            // that the only branch is the rejection: a branch on the coin's kind or depth would be
            // one that long stretches of blocks never take (spent coinbases, old coins are rare),
            // which the JIT compiles as never taken and recompiles when one finally comes.
            long depth = (long) spendHeight - coin.height();
            long young = (depth - Consensus.COINBASE_MATURITY) >>> 63;
            if ((young & coin.coinbaseBit()) != 0) {
                throw prematureSpend(depth);
            }
            long value = coin.output().value();
            valueIn += value;
            if (!Consensus.moneyRange(value) || !Consensus.moneyRange(valueIn)) {
                throw ValidationException.consensus("bad-txns-inputvalues-outofrange");
            }
        }
        long valueOut = 0;
        for (TxOut out : tx.outputs()) {
            valueOut += out.value();
        }
        if (valueIn < valueOut) {
            throw belowOut(valueIn, valueOut);
        }
        long fee = valueIn - valueOut;
        if (!Consensus.moneyRange(fee)) {
            throw ValidationException.consensus("bad-txns-fee-outofrange");
        }
        return fee;
    }

    private static ValidationException prematureSpend(long depth) {
        return new ValidationException(ValidationException.Result.PREMATURE_SPEND,
                "bad-txns-premature-spend-of-coinbase", "tried to spend coinbase at depth " + depth);
    }

    private static ValidationException belowOut(long valueIn, long valueOut) {
        return ValidationException.consensus("bad-txns-in-belowout",
                "value in (" + valueIn + ") < value out (" + valueOut + ")");
    }
}
