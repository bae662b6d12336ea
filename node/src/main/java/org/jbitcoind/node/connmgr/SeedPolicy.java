package org.jbitcoind.node.connmgr;

/**
 * When the outbound loop turns to seeds (Core's ThreadDNSAddressSeed and fixed-seed fallback):
 * DNS at once when no address is known, otherwise after 11 s only if fewer than two full-relay
 * peers were found; the fixed list only while the address manager is still empty, at once when
 * DNS seeding is off, otherwise after 60 s (or as soon as the DNS seeds answered nothing).
 */
final class SeedPolicy {
    static final long DNS_SEED_DELAY_SECONDS = 11;
    static final long FIXED_SEED_DELAY_SECONDS = 60;

    private SeedPolicy() {
    }

    static boolean shouldQueryDns(boolean dnsSeed, boolean alreadyQueried, boolean networkHasSeeds, int knownAddresses,
            long elapsedSeconds, long fullRelayPeers) {
        if (!dnsSeed || alreadyQueried || !networkHasSeeds) {
            return false;
        }
        return knownAddresses == 0 || (elapsedSeconds >= DNS_SEED_DELAY_SECONDS && fullRelayPeers < 2);
    }

    static boolean shouldAddFixedSeeds(boolean fixedSeeds, boolean alreadyAdded, boolean dnsSeed, int knownAddresses,
            long elapsedSeconds) {
        if (!fixedSeeds || alreadyAdded || knownAddresses > 0) {
            return false;
        }
        return !dnsSeed || elapsedSeconds >= FIXED_SEED_DELAY_SECONDS;
    }
}
