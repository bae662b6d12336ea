package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/**
 * Asserts that decoding allocates in proportion to its input. A decoder that trusts a claimed
 * count and allocates for it before reading would pass a heap-size test on a large machine and
 * still be a remote OOM; measuring this thread's allocations catches it on any input size.
 */
public final class AllocationBudget {
    /** Fixed slack for class initialisation and small per-call objects. */
    private static final long BASE = 1L << 20;
    /** Decoded objects (records, lists, hashes) cost a small multiple of their wire size. */
    private static final long PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationBudget() {
    }

    @FunctionalInterface
    public interface Decoding<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs the (deterministic) decoding twice and measures the second run, so that loading and
     * instrumenting classes on a first visit to a code path does not count against the input.
     */
    public static <T, E extends Exception> T check(int inputLength, Decoding<T, E> decoding) throws E {
        if (THREADS == null) {
            return decoding.run();
        }
        try {
            decoding.run();
        } catch (Exception warmUp) {
            // the measured run below throws it again
        }
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        try {
            return decoding.run();
        } finally {
            long used = THREADS.getThreadAllocatedBytes(id) - before;
            long budget = BASE + PER_INPUT_BYTE * inputLength;
            assertTrue(used <= budget, "decoding " + inputLength + " bytes allocated " + used + " bytes (budget " + budget + ")");
        }
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }
}
