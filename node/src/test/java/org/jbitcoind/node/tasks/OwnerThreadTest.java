package org.jbitcoind.node.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class OwnerThreadTest {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerThreadTest.class);
    private final ExecutorService owner = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        owner.shutdownNow();
        assertTrue(owner.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void postRunsTasksInOrderAndSurvivesAFailingOne() throws Exception {
        StringBuilder seen = new StringBuilder();
        OwnerThread.post(owner, () -> seen.append('a'), LOG, "test task");
        OwnerThread.post(owner, () -> {
            throw new IllegalStateException("expected in this test");
        }, LOG, "test task");
        CountDownLatch done = new CountDownLatch(1);
        OwnerThread.post(owner, () -> {
            seen.append('b');
            done.countDown();
        }, LOG, "test task");
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals("ab", seen.toString());
    }

    @Test
    void postToAClosedOwnerDropsTheTask() {
        owner.shutdown();
        AtomicBoolean ran = new AtomicBoolean();
        OwnerThread.post(owner, () -> ran.set(true), LOG, "test task");
        assertFalse(ran.get());
    }

    @Test
    void awaitWhileOpenTellsCompletionFromGivingUp() {
        assertTrue(OwnerThread.awaitWhileOpen(CompletableFuture.completedFuture(1), () -> true, LOG, "t"));
        assertTrue(OwnerThread.awaitWhileOpen(CompletableFuture.failedFuture(new IllegalStateException("expected")),
                () -> true, LOG, "t"), "a failed task is done");
        CompletableFuture<Object> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertFalse(OwnerThread.awaitWhileOpen(cancelled, () -> true, LOG, "t"));
        assertFalse(OwnerThread.awaitWhileOpen(new CompletableFuture<>(), () -> false, LOG, "t"),
                "a closed owner is not waited for");
    }

    @Test
    void awaitWhileOpenStopsWhenTheOwnerClosesMidWait() {
        AtomicBoolean open = new AtomicBoolean(true);
        owner.execute(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open.set(false);
        });
        long t0 = System.nanoTime();
        assertFalse(OwnerThread.awaitWhileOpen(new CompletableFuture<>(), open::get, LOG, "t"));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void getOrFallsBackOnTimeoutFailureAndCancellation() {
        assertEquals(7, OwnerThread.getOr(CompletableFuture.completedFuture(7), Duration.ofSeconds(1), -1, LOG, "t"));
        assertEquals(-1, OwnerThread.getOr(new CompletableFuture<Integer>(), Duration.ofMillis(50), -1, LOG, "t"));
        assertEquals(-1, OwnerThread.getOr(CompletableFuture.<Integer>failedFuture(new IllegalStateException("expected")),
                Duration.ofSeconds(1), -1, LOG, "t"));
        CompletableFuture<Integer> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertEquals(-1, OwnerThread.getOr(cancelled, Duration.ofSeconds(1), -1, LOG, "t"));
    }
}
