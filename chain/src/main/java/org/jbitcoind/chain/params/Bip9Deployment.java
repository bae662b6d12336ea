package org.jbitcoind.chain.params;

/**
 * A BIP9 version-bits deployment as Core's Consensus::BIP9Deployment describes it.
 *
 * @param bit                 version bit miners set to signal
 * @param startTime           median time past from which signalling counts; {@link #ALWAYS_ACTIVE} or
 *                            {@link #NEVER_ACTIVE} for the special cases
 * @param timeout             median time past after which the deployment fails if not locked in
 * @param minActivationHeight height before which it cannot become active even if locked in
 * @param threshold           signalling blocks per period needed to lock in
 * @param period              blocks per signalling period
 */
public record Bip9Deployment(int bit, long startTime, long timeout, int minActivationHeight, int threshold,
        int period) {
    public static final long ALWAYS_ACTIVE = -1;
    public static final long NEVER_ACTIVE = -2;
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    public boolean alwaysActive() {
        return startTime == ALWAYS_ACTIVE;
    }
}
