package org.jbitcoind.node.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions reached on other threads. */
public final class Waits {
    private Waits() {
    }

    /** Polls every 10 ms until the condition holds; fails the test with {@code what} after {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
