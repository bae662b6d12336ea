package org.jbitcoind.chain.validation;

/** Consensus constants shared by transaction and block rules (Core's consensus/consensus.h, amount.h). */
public final class Consensus {
    public static final long COIN = 100_000_000L;
    /** No amount larger than this (in satoshis) is valid. */
    public static final long MAX_MONEY = 21_000_000L * COIN;
    /** BIP141. */
    public static final int MAX_BLOCK_WEIGHT = 4_000_000;
    public static final int MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;
    public static final int MAX_BLOCK_SIGOPS_COST = 80_000;
    public static final int WITNESS_SCALE_FACTOR = 4;
    /** Coinbase outputs can be spent only after this many confirmations. */
    public static final int COINBASE_MATURITY = 100;
    /** Lock times below this are block heights, above are UNIX times. */
    public static final long LOCKTIME_THRESHOLD = 500_000_000L;
    public static final int MIN_TRANSACTION_WEIGHT = WITNESS_SCALE_FACTOR * 60;

    private Consensus() {
    }

    public static boolean moneyRange(long value) {
        return value >= 0 && value <= MAX_MONEY;
    }
}
