package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TxPipelineTest {
    /** The relay thread: every step must run here, one at a time. */
    private final ExecutorService relay = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-relay"));
    /** What the relay thread ran, in order ("tx:<n>:<precheck>", "task:<n>"); touched by it only. */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<String> wrongThread = new AtomicReference<>();
    private TxPipeline<String> pipeline;

    @AfterEach
    void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
        relay.shutdownNow();
        assertTrue(relay.awaitTermination(5, TimeUnit.SECONDS));
        assertNull(wrongThread.get(), "a step ran off the relay thread");
    }

    /** A distinct transaction whose serialized size grows with {@code scriptBytes}; its lock time numbers it. */
    static Transaction tx(int n, int scriptBytes) {
        byte[] prev = new byte[32];
        prev[0] = (byte) n;
        prev[1] = (byte) (n >> 8);
        prev[2] = (byte) (n >> 16);
        return new Transaction(2, List.of(new TxIn(new OutPoint(Hash256.wrap(prev), 0), new byte[scriptBytes],
                0xffffffffL)), List.of(new TxOut(1000, new byte[] {0x51})), n);
    }

    static Transaction tx(int n) {
        return tx(n, 0);
    }

    private TxPipeline.Acceptor<String> logging() {
        return (peer, tx, precheck) -> {
            if (!Thread.currentThread().getName().equals("test-relay")) {
                wrongThread.set(Thread.currentThread().getName());
            }
            log.add("tx:" + tx.lockTime() + ":" + precheck);
        };
    }

    private FutureTask<Object> task(int n) {
        return pipeline.submitTask(() -> {
            log.add("task:" + n);
            return null;
        });
    }

    /** A checker that takes a random short time per transaction and answers "ok<lock time>". */
    private static TxPipeline.Checker<String> slowChecker(long seed, List<Integer> batchSizes) {
        Random random = new Random(seed);
        return (txs, done) -> {
            batchSizes.add(txs.size());
            for (int i = 0; i < txs.size(); i++) {
                int micros;
                synchronized (random) {
                    micros = random.nextInt(300);
                }
                sleepMicros(micros);
                done.accept("ok" + txs.get(i).lockTime(), i);
            }
        };
    }

    private static void sleepMicros(int micros) {
        long end = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void stepsRunInSubmissionOrderWithEachTransactionsOwnResult() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        pipeline = new TxPipeline<>(3, slowChecker(7, batches), relay, logging());
        List<String> expected = new ArrayList<>();
        Random random = new Random(1);
        Future<?> last = null;
        for (int n = 0; n < 2000; n++) {
            if (random.nextInt(10) == 0) {
                last = task(n);
                expected.add("task:" + n);
            } else {
                pipeline.submit(n % 3, tx(n));
                expected.add("tx:" + n + ":ok" + n);
            }
        }
        last = task(-1);
        expected.add("task:-1");
        last.get(30, TimeUnit.SECONDS);
        assertEquals(expected, new ArrayList<>(log));
        // Checkers that fall behind take several transactions at once.
        assertTrue(batches.stream().anyMatch(b -> b > 1), "no batch of more than one: " + batches);
        assertTrue(batches.stream().allMatch(b -> b >= 1 && b <= TxPipeline.MAX_BATCH), batches.toString());
        assertEquals(expected.stream().filter(s -> s.startsWith("tx:")).count(),
                batches.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aTaskWaitsForTheTransactionsQueuedBeforeIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        pipeline = new TxPipeline<>(1, (txs, done) -> {
            await(release);
            for (int i = 0; i < txs.size(); i++) {
                done.accept("ok", i);
            }
        }, relay, logging());
        TxPipeline.TxStep<String> step = pipeline.submit(1, tx(1));
        FutureTask<Object> after = task(2);
        assertThrows(java.util.concurrent.TimeoutException.class, () -> after.get(200, TimeUnit.MILLISECONDS));
        assertFalse(step.isDone());
        assertEquals(List.of(), new ArrayList<>(log));
        release.countDown();
        after.get(10, TimeUnit.SECONDS);
        assertTrue(step.isDone());
        assertEquals(List.of("tx:1:ok", "task:2"), new ArrayList<>(log));
    }

    @Test
    void aFailingCheckerLetsItsBatchThroughWithoutResults() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        pipeline = new TxPipeline<>(1, (txs, done) -> {
            if (calls.incrementAndGet() == 1) {
                done.accept("first", 0);
                throw new IllegalStateException("chain stopped");
            }
            for (int i = 0; i < txs.size(); i++) {
                done.accept("ok", i);
            }
        }, relay, logging());
        for (int n = 1; n <= 3; n++) {
            pipeline.submit(1, tx(n));
        }
        task(4).get(10, TimeUnit.SECONDS);
        // All through in order: the first with the result given before the failure, the rest of
        // its batch without one (null), any later batch with the checker's answer.
        List<String> got = new ArrayList<>(log);
        assertEquals(4, got.size(), got.toString());
        assertEquals("tx:1:first", got.get(0));
        for (int n = 2; n <= 3; n++) {
            String line = got.get(n - 1);
            assertTrue(line.equals("tx:" + n + ":null") || line.equals("tx:" + n + ":ok"), got.toString());
        }
        assertEquals("task:4", got.get(3));
    }

    @Test
    void withoutCheckersTransactionsAreReadyAtOnce() throws Exception {
        pipeline = new TxPipeline<>(0, (txs, done) -> {
            throw new AssertionError("no checker expected");
        }, relay, logging());
        for (int n = 0; n < 50; n++) {
            pipeline.submit(1, tx(n));
        }
        task(50).get(10, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            expected.add("tx:" + n + ":null");
        }
        expected.add("task:50");
        assertEquals(expected, new ArrayList<>(log));
    }

    @Test
    void aLongStreamOfReadyStepsLetsTheRelayThreadsOtherTasksIn() throws Exception {
        pipeline = new TxPipeline<>(0, (txs, done) -> {
        }, relay, logging());
        CountDownLatch hold = new CountDownLatch(1);
        relay.execute(() -> await(hold)); // everything below is queued before the relay thread runs
        for (int n = 0; n < 300; n++) {
            pipeline.submit(1, tx(n));
        }
        relay.execute(() -> log.add("timer")); // e.g. the announcement timer, behind the first drain
        FutureTask<Object> end = task(300);
        hold.countDown();
        end.get(10, TimeUnit.SECONDS);
        List<String> got = new ArrayList<>(log);
        assertEquals(302, got.size());
        assertEquals("timer", got.get(TxPipeline.MAX_STEPS_PER_TURN), "the timer waited for more than one turn");
        got.remove(TxPipeline.MAX_STEPS_PER_TURN);
        for (int n = 0; n < 300; n++) {
            assertEquals("tx:" + n + ":null", got.get(n));
        }
        assertEquals("task:300", got.get(300));
    }

    @Test
    void closingWithBatchedWorkPendingReleasesEveryWaiterAndRunsNothingMore() throws Exception {
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        pipeline = new TxPipeline<>(1, (txs, done) -> {
            if (txs.get(0).lockTime() == 0) {
                done.accept("ok", 0);
                return;
            }
            checking.countDown();
            await(never); // stuck until interrupted by close
            for (int i = 0; i < txs.size(); i++) {
                done.accept("late", i);
            }
        }, relay, logging());
        TxPipeline.TxStep<String> first = pipeline.submit(1, tx(0));
        assertTrue(pipeline.awaitDone(first));
        List<TxPipeline.TxStep<String>> stuck = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            stuck.add(pipeline.submit(1, tx(n)));
        }
        FutureTask<Object> behind = task(11);
        assertTrue(checking.await(10, TimeUnit.SECONDS));
        // The dispatcher waits for the last transaction (back-pressure) on another thread.
        AtomicReference<Boolean> waited = new AtomicReference<>();
        Thread dispatcher = new Thread(() -> waited.set(pipeline.awaitDone(stuck.get(9))));
        dispatcher.start();
        Thread.sleep(100);
        assertTrue(dispatcher.isAlive());

        long t0 = System.nanoTime();
        pipeline.close();
        dispatcher.join(5000);
        assertFalse(dispatcher.isAlive(), "dispatcher still waiting after close");
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "close took too long");
        assertEquals(Boolean.TRUE, waited.get());
        assertThrows(CancellationException.class, () -> behind.get(1, TimeUnit.SECONDS));
        for (TxPipeline.TxStep<String> s : stuck) {
            assertTrue(s.isDone());
        }
        // Only the transaction accepted before the close ran; nothing after it.
        Thread.sleep(100);
        assertEquals(List.of("tx:0:ok"), new ArrayList<>(log));
        assertNull(pipeline.submit(1, tx(12)));
        assertNull(pipeline.submitTask(() -> null));
    }

    @Test
    void backlogResumesAtHalfOfBothLimits() {
        TxPipeline<String> p = new TxPipeline<>(0, (txs, done) -> {
        }, r -> {
        }, (peer, tx, precheck) -> {
        });
        pipeline = p;
        TxPipeline.Backlog backlog = new TxPipeline.Backlog(8, 1_000_000);
        List<TxPipeline.TxStep<String>> steps = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            TxPipeline.TxStep<String> s = p.submit(1, tx(n));
            steps.add(s);
            assertFalse(backlog.isFull());
            backlog.add(s);
        }
        assertTrue(backlog.isFull());
        // Eight queued, at most four once resumed: the fourth's end brings it to four.
        assertSame(steps.get(3), backlog.resumeAt());

        // By bytes (about 70 + 1263 + 943 > 2000): resuming needs at most 1000 left, i.e. both big ones' predecessor gone and the first big one.
        TxPipeline.Backlog bytes = new TxPipeline.Backlog(8, 2_000);
        TxPipeline.TxStep<String> small = p.submit(1, tx(100, 10));
        TxPipeline.TxStep<String> big1 = p.submit(1, tx(101, 1200));
        TxPipeline.TxStep<String> big2 = p.submit(1, tx(102, 880));
        bytes.add(small);
        assertFalse(bytes.isFull());
        bytes.add(big1);
        bytes.add(big2);
        assertTrue(bytes.isFull());
        assertSame(big1, bytes.resumeAt());
    }

    @Test
    void backlogForgetsFinishedStepsAndReportsNothingToWaitForAtHalf() throws Exception {
        pipeline = new TxPipeline<>(0, (txs, done) -> {
        }, relay, logging());
        TxPipeline.Backlog backlog = new TxPipeline.Backlog(4, 1_000_000);
        CountDownLatch hold = new CountDownLatch(1);
        relay.execute(() -> await(hold)); // nothing runs until the backlog has been looked at
        List<TxPipeline.TxStep<String>> steps = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            TxPipeline.TxStep<String> s = pipeline.submit(1, tx(n));
            steps.add(s);
            backlog.add(s);
        }
        TxPipeline.TxStep<?> resume = backlog.resumeAt();
        assertSame(steps.get(1), resume);
        hold.countDown();
        assertTrue(pipeline.awaitDone(resume));
        task(9).get(10, TimeUnit.SECONDS);
        assertNull(backlog.resumeAt());
        assertEquals(0, backlog.size());
        assertEquals(0, backlog.bytes());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
