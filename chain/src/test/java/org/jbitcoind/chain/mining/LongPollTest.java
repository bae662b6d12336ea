package org.jbitcoind.chain.mining;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jbitcoind.protocol.crypto.Hash256;
import org.junit.jupiter.api.Test;

class LongPollTest {
    private static final Hash256 A = Hash256.fromHex("aa".repeat(32));
    private static final Hash256 B = Hash256.fromHex("bb".repeat(32));

    @Test
    void returnsAtOnceOnNewTip() throws Exception {
        String id = BlockTemplateData.longPollId(A, 5);
        assertTrue(LongPoll.await(id, () -> B, () -> 5, Duration.ofMinutes(1), Duration.ofSeconds(5)));
    }

    @Test
    void mempoolChangeCountsOnlyAfterTheDelay() throws Exception {
        String id = BlockTemplateData.longPollId(A, 5);
        AtomicLong seq = new AtomicLong(6);
        // Mempool changed but the delay is longer than the timeout: times out.
        assertFalse(LongPoll.await(id, () -> A, seq::get, Duration.ofMinutes(1), Duration.ofMillis(250)));
        // With a short delay the change wakes the poll.
        assertTrue(LongPoll.await(id, () -> A, seq::get, Duration.ofMillis(50), Duration.ofSeconds(5)));
    }

    @Test
    void tipChangeDuringTheWait() throws Exception {
        String id = BlockTemplateData.longPollId(A, 1);
        AtomicReference<Hash256> tip = new AtomicReference<>(A);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tip.set(B);
        });
        t.start();
        try {
            assertTrue(LongPoll.await(id, tip::get, () -> 1, Duration.ofMinutes(1), Duration.ofSeconds(10)));
        } finally {
            t.join(5_000);
        }
        assertFalse(t.isAlive());
    }
}
