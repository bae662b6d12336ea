package org.jbitcoind.chain.validation;

/**
 * The lock a transaction's relative lock times (BIP68) impose, in nLockTime semantics: the last
 * height and the last median time past at which it is still invalid; -1 for no constraint.
 */
public record SequenceLocks(int minHeight, long minTime) {
    public static final SequenceLocks NONE = new SequenceLocks(-1, -1);
}
