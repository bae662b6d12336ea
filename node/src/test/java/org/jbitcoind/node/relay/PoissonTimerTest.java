package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Exponential delays: never in the past, the asked-for mean, deterministic for a seed. */
class PoissonTimerTest {
    @Test
    void delaysHaveTheRequestedMean() {
        PoissonTimer t = new PoissonTimer(new Random(7));
        long mean = 2_000_000_000L;
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            long next = t.next(1000, mean);
            assertTrue(next >= 1000);
            sum += next - 1000;
        }
        double avg = sum / n;
        assertTrue(Math.abs(avg - mean) < mean * 0.05, "mean " + avg);
    }

    @Test
    void sameSeedSameDelays() {
        PoissonTimer a = new PoissonTimer(new Random(3));
        PoissonTimer b = new PoissonTimer(new Random(3));
        for (int i = 0; i < 100; i++) {
            assertEquals(a.next(0, 5_000_000_000L), b.next(0, 5_000_000_000L));
        }
    }
}
