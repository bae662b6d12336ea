package org.jbitcoind.chain.mempool;

/**
 * A fee rate in satoshis per 1000 virtual bytes (Core's CFeeRate). Fees for a size round down,
 * but never to zero for a positive rate and size, as Core's GetFee does.
 */
public record FeeRate(long satPerKvB) implements Comparable<FeeRate> {
    public static final FeeRate ZERO = new FeeRate(0);

    public FeeRate {
        if (satPerKvB < 0) {
            throw new IllegalArgumentException("negative fee rate");
        }
    }

    /** The rate of paying {@code fee} for {@code vsize} virtual bytes. */
    public static FeeRate of(long fee, long vsize) {
        if (vsize <= 0) {
            return ZERO;
        }
        return new FeeRate(Math.max(0, fee) * 1000 / vsize);
    }

    /** The fee this rate asks of {@code vsize} virtual bytes. */
    public long fee(long vsize) {
        long fee = satPerKvB * vsize / 1000;
        if (fee == 0 && vsize != 0 && satPerKvB > 0) {
            return 1;
        }
        return fee;
    }

    /** BTC per kvB, as the RPCs print it. */
    public double btcPerKvB() {
        return satPerKvB / 1e8;
    }

    @Override
    public int compareTo(FeeRate o) {
        return Long.compare(satPerKvB, o.satPerKvB);
    }

    @Override
    public String toString() {
        return satPerKvB + " sat/kvB";
    }
}
