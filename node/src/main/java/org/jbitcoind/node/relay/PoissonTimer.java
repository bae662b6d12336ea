package org.jbitcoind.node.relay;

import java.util.Random;

/**
 * Exponentially distributed delays (Core's rand_exp_duration): announcement times that form a
 * Poisson process, so when we announce says nothing about when we learnt of a transaction.
 */
final class PoissonTimer {
    private final Random random;

    PoissonTimer(Random random) {
        this.random = random;
    }

    /** {@code now} plus a random delay whose mean is {@code meanNanos}. */
    long next(long now, long meanNanos) {
        // 1 - u lies in (0, 1]: the logarithm is finite.
        double u = 1.0 - random.nextDouble();
        long delay = (long) (-Math.log(u) * meanNanos);
        return now + Math.max(0, delay);
    }
}
