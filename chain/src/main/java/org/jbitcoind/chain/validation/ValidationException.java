package org.jbitcoind.chain.validation;

/**
 * A transaction or block that breaks a rule. Carries Bitcoin Core's reject reason string
 * (e.g. "bad-txns-vin-empty") so RPC results and logs read the same as Core's.
 */
public final class ValidationException extends Exception {
    /** What kind of failure, as Core's BlockValidationResult / TxValidationResult tell them apart. */
    public enum Result {
        /** Breaks a consensus rule: the block or transaction is invalid for good. */
        CONSENSUS,
        /** The data may have been altered in transit (e.g. CVE-2012-2459): the header is not proved invalid. */
        MUTATED,
        /** Block known to be invalid from an earlier check. */
        CACHED_INVALID,
        /** The header itself is invalid (PoW, difficulty, time). */
        INVALID_HEADER,
        /** Parent block unknown. */
        MISSING_PREV,
        /** Parent known invalid. */
        INVALID_PREV,
        /** Timestamp too far in the future: may become valid later. */
        TIME_FUTURE,
        /** Spends outputs that do not exist (or are already spent). */
        MISSING_INPUTS,
        /** Spends a coinbase output before it matured (may become valid later). */
        PREMATURE_SPEND,
        /** Valid by consensus but not by this node's relay policy. */
        NOT_STANDARD,
        /** Conflicts with another transaction in the mempool. */
        CONFLICT,
        /** Other mempool policy (fees, limits). */
        MEMPOOL_POLICY
    }

    private final Result result;
    private final String rejectReason;

    public ValidationException(Result result, String rejectReason, String debugMessage) {
        super(debugMessage == null || debugMessage.isEmpty() ? rejectReason : rejectReason + " (" + debugMessage + ")");
        this.result = result;
        this.rejectReason = rejectReason;
    }

    public ValidationException(Result result, String rejectReason) {
        this(result, rejectReason, null);
    }

    public static ValidationException consensus(String rejectReason) {
        return new ValidationException(Result.CONSENSUS, rejectReason);
    }

    public static ValidationException consensus(String rejectReason, String debug) {
        return new ValidationException(Result.CONSENSUS, rejectReason, debug);
    }

    public Result result() {
        return result;
    }

    public String rejectReason() {
        return rejectReason;
    }
}
