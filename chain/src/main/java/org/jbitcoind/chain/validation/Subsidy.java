package org.jbitcoind.chain.validation;

import org.jbitcoind.chain.params.ChainParams;

/** The new coins a block may create (Core's GetBlockSubsidy). */
public final class Subsidy {
    private Subsidy() {
    }

    /** 50 BTC halved every {@code subsidyHalvingInterval} blocks; zero once the shift would reach 64. */
    public static long getBlockSubsidy(int height, ChainParams params) {
        int halvings = height / params.subsidyHalvingInterval();
        if (halvings >= 64) {
            return 0;
        }
        return (50 * Consensus.COIN) >> halvings;
    }
}
