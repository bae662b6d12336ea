package org.jbitcoind.storage;

/**
 * Bit values of a block index record's status, identical to Bitcoin Core's BlockStatus (chain.h)
 * so that the numbers in logs and RPC mean the same thing. The low three bits are a validity
 * level, the rest independent flags.
 */
public final class BlockStatus {
    public static final int VALID_UNKNOWN = 0;
    /** Parsed, version ok, hash satisfies claimed PoW, timestamp not in the future. */
    public static final int VALID_RESERVED = 1;
    /** All parent headers found, difficulty matches, timestamp >= median previous. */
    public static final int VALID_TREE = 2;
    /** Only first tx is coinbase, transactions valid, no duplicate txids, size limits ok. */
    public static final int VALID_TRANSACTIONS = 3;
    /** Outputs do not overspend inputs, no double spends, coinbase output ok. */
    public static final int VALID_CHAIN = 4;
    /** Scripts and signatures ok. */
    public static final int VALID_SCRIPTS = 5;
    public static final int VALID_MASK = 7;

    /** The full block is in the blocks column family. */
    public static final int HAVE_DATA = 8;
    /** Its undo data is in the undo column family. */
    public static final int HAVE_UNDO = 16;
    public static final int HAVE_MASK = HAVE_DATA | HAVE_UNDO;
    public static final int FAILED_VALID = 32;
    public static final int FAILED_CHILD = 64;
    public static final int FAILED_MASK = FAILED_VALID | FAILED_CHILD;
    /** Block data was received with witness-enforcing client. */
    public static final int OPT_WITNESS = 128;

    private BlockStatus() {
    }

    public static int validity(int status) {
        return status & VALID_MASK;
    }

    public static boolean isFailed(int status) {
        return (status & FAILED_MASK) != 0;
    }

    public static boolean has(int status, int flag) {
        return (status & flag) == flag;
    }
}
