package org.jbitcoind.chain.index;

/**
 * Validation progress and data availability of a block index entry, as Core's BlockStatus bits
 * (chain.h), so the values can be stored and compared one to one.
 */
public final class BlockStatus {
    public static final int VALID_UNKNOWN = 0;
    /** Reserved (Core: parsed, version ok, hash satisfies claimed PoW, timestamp not in the future). */
    public static final int VALID_RESERVED = 1;
    /** All parent headers found, difficulty matches, timestamp >= median previous: checkpoint-able. */
    public static final int VALID_TREE = 2;
    /** Transactions were received and passed checkBlock/contextualCheckBlock. */
    public static final int VALID_TRANSACTIONS = 3;
    /** Outputs do not overspend inputs, no double spends, coinbase output ok, BIP30. */
    public static final int VALID_CHAIN = 4;
    /** Scripts and signatures ok. */
    public static final int VALID_SCRIPTS = 5;
    public static final int VALID_MASK = 7;

    public static final int HAVE_DATA = 8;
    public static final int HAVE_UNDO = 16;
    public static final int HAVE_MASK = HAVE_DATA | HAVE_UNDO;

    /** The block itself failed validation. */
    public static final int FAILED_VALID = 32;
    /** Descends from a failed block. */
    public static final int FAILED_CHILD = 64;
    public static final int FAILED_MASK = FAILED_VALID | FAILED_CHILD;

    /** Block data was received with witness-enforcing client. */
    public static final int OPT_WITNESS = 128;

    private BlockStatus() {
    }
}
