package org.jbitcoind.chain.mining;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jbitcoind.protocol.crypto.Hash256;

/**
 * getblocktemplate longpoll (BIP22) waiting as Core does it: return at once when the tip is no
 * longer the one in the client's longpollid; return when the mempool changed only after
 * {@code mempoolDelay} (Core: one minute), so miners are not flooded with templates; otherwise
 * wait until {@code timeout}. Polls every 100 ms; the caller runs it on an RPC worker thread.
 */
public final class LongPoll {
    /** Core re-checks the mempool counter once a minute. */
    public static final Duration DEFAULT_MEMPOOL_DELAY = Duration.ofMinutes(1);
    private static final long POLL_MILLIS = 100;

    private LongPoll() {
    }

    /**
     * Waits for the template identified by {@code longPollId} to go stale.
     *
     * @return true when a new template should be built, false on timeout
     */
    public static boolean await(String longPollId, Supplier<Hash256> tip, LongSupplier mempoolSequence,
            Duration mempoolDelay, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long mempoolAfter = start + mempoolDelay.toNanos();
        while (true) {
            Hash256 current = tip.get();
            if (!longPollId.startsWith(current.toString())) {
                return true;
            }
            long now = System.nanoTime();
            if (now - mempoolAfter >= 0 && BlockTemplateData.isStale(longPollId, current, mempoolSequence.getAsLong())) {
                return true;
            }
            if (now - deadline >= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, (deadline - now) / 1_000_000)));
        }
    }
}
