package org.jbitcoind.chain.mining;

import org.jbitcoind.chain.mempool.FeeRate;
import org.jbitcoind.chain.validation.Consensus;

/**
 * Block assembly settings (Core 29+ defaults).
 *
 * @param maxWeight       block weight limit [-blockmaxweight, default 4,000,000]
 * @param reservedWeight  weight kept free for the coinbase [-blockreservedweight, default 8000]
 * @param maxSigOpsCost   sigop cost limit (consensus 80,000; lower only in tests)
 * @param reservedSigOps  sigop cost kept free for the coinbase (Core: 400)
 * @param minFeeRate      packages below this ancestor feerate are left out [-blockmintxfee, default 1 sat/kvB]
 */
public record AssemblerOptions(int maxWeight, int reservedWeight, long maxSigOpsCost, long reservedSigOps,
        FeeRate minFeeRate) {
    public static final int DEFAULT_RESERVED_WEIGHT = 8000;
    public static final long RESERVED_SIGOPS = 400;
    /** Core 30 lowered -blockmintxfee from 1000 to 1 sat/kvB (bitcoin/bitcoin#33106). */
    public static final FeeRate DEFAULT_BLOCK_MIN_TX_FEE = new FeeRate(1);

    public AssemblerOptions {
        if (maxWeight <= reservedWeight || maxWeight > Consensus.MAX_BLOCK_WEIGHT || reservedWeight < 2000) {
            throw new IllegalArgumentException("block weight limits out of range: " + maxWeight + "/" + reservedWeight);
        }
    }

    public static AssemblerOptions defaults() {
        return new AssemblerOptions(Consensus.MAX_BLOCK_WEIGHT, DEFAULT_RESERVED_WEIGHT, Consensus.MAX_BLOCK_SIGOPS_COST,
                RESERVED_SIGOPS, DEFAULT_BLOCK_MIN_TX_FEE);
    }

    public AssemblerOptions withMaxWeight(int weight) {
        return new AssemblerOptions(weight, reservedWeight, maxSigOpsCost, reservedSigOps, minFeeRate);
    }

    public AssemblerOptions withMaxSigOpsCost(long cost) {
        return new AssemblerOptions(maxWeight, reservedWeight, cost, reservedSigOps, minFeeRate);
    }

    public AssemblerOptions withMinFeeRate(FeeRate rate) {
        return new AssemblerOptions(maxWeight, reservedWeight, maxSigOpsCost, reservedSigOps, rate);
    }
}
