package org.jbitcoind.chain.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptVerifier;

/**
 * Verifies input scripts in parallel while block connection goes on (Core's CCheckQueue). A queue of
 * {@code threads} runs {@code threads - 1} pool workers for the life of the node, and the thread that
 * connects the block is the last checker: in {@link Control#complete()} it takes the checks no worker
 * has started instead of sleeping, so that with N cores N threads verify and none of them is the
 * connecting thread's idle wait (with {@code threads == 1} it runs them all there). Checks go out in
 * small chunks as soon as a transaction's inputs are fetched, so workers start on the first
 * transactions of a block while the connecting thread still fetches coins for the rest. After the
 * first failing input the block's remaining checks are skipped.
 */
public final class ScriptCheckQueue implements AutoCloseable {
    /**
     * Checks handed out at once: a chunk of 16 signature checks is well under a millisecond, so the
     * threads finish a block together (little tail where one thread works and the rest wait), while
     * the hand-off (a queue offer and at most one wake-up) stays small against the work.
     */
    static final int BATCH_SIZE = 16;

    private final ScriptVerifier verifier;
    private final ExecutorService workers;
    private final int threads;

    /** @param threads checking threads in all, the connecting thread included (Core's -par) */
    public ScriptCheckQueue(ScriptVerifier verifier, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.threads = threads;
        if (threads == 1) {
            this.workers = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "script-check-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.workers = Executors.newFixedThreadPool(threads - 1, factory);
        }
    }

    /** A queue with one checking thread per available processor. */
    public static ScriptCheckQueue sizedToCores(ScriptVerifier verifier) {
        return new ScriptCheckQueue(verifier, Runtime.getRuntime().availableProcessors());
    }

    /** Checking threads in all: the pool's workers plus the thread that completes a block. */
    public int threads() {
        return threads;
    }

    public ScriptVerifier verifier() {
        return verifier;
    }

    /** Starts the checks of one block. */
    public Control begin() {
        return new Control();
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    /**
     * The checks of one block: {@link #add} as transactions are processed, then {@link #complete()}
     * (or {@link #cancel()}) on the same thread. Workers drain the block's chunk queue; at most
     * {@code threads - 1} of them at a time work on one block.
     */
    public final class Control {
        private final ConcurrentLinkedQueue<List<ScriptCheck>> chunks = new ConcurrentLinkedQueue<>();
        /** Chunks queued or being run and not yet finished; complete() waits for zero. */
        private final AtomicInteger unfinished = new AtomicInteger();
        /** Workers currently draining this block's queue. */
        private final AtomicInteger drainers = new AtomicInteger();
        private final AtomicReference<ScriptCheckFailure> failure = new AtomicReference<>();
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private volatile boolean stop;
        private List<ScriptCheck> batch = new ArrayList<>(BATCH_SIZE);
        private long added;

        private Control() {
        }

        /** Queues checks; workers may start on them at once. */
        public void add(List<ScriptCheck> checks) {
            for (ScriptCheck c : checks) {
                batch.add(c);
                added++;
                if (batch.size() == BATCH_SIZE) {
                    submit();
                }
            }
        }

        /** Hands the checks still collecting in the current chunk to the workers. */
        public void flush() {
            if (!batch.isEmpty() && !stop) {
                submit();
            }
        }

        public long added() {
            return added;
        }

        private void submit() {
            List<ScriptCheck> work = batch;
            batch = new ArrayList<>(BATCH_SIZE);
            unfinished.incrementAndGet();
            chunks.add(work);
            if (workers != null && tryStartDrainer()) {
                try {
                    workers.execute(this::drainAsWorker);
                } catch (RejectedExecutionException e) {
                    // The pool is closing (shutdown): complete() runs the chunk on this thread.
                    drainers.decrementAndGet();
                }
            }
        }

        private boolean tryStartDrainer() {
            while (true) {
                int n = drainers.get();
                if (n >= threads - 1) {
                    return false;
                }
                if (drainers.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        /*
         * A worker leaves when the queue looks empty; a chunk queued just as it leaves is either seen
         * by the re-check below or finds a free drainer slot in submit(). None can be stranded anyway:
         * complete() drains whatever is left on the connecting thread.
         */
        private void drainAsWorker() {
            do {
                drain();
                drainers.decrementAndGet();
            } while (!chunks.isEmpty() && tryStartDrainer());
        }

        private void drain() {
            List<ScriptCheck> work;
            while ((work = chunks.poll()) != null) {
                try {
                    run(work);
                } catch (RuntimeException | Error e) {
                    error.compareAndSet(null, e);
                    stop = true;
                } finally {
                    if (unfinished.decrementAndGet() == 0) {
                        synchronized (this) {
                            notifyAll();
                        }
                    }
                }
            }
        }

        private void run(List<ScriptCheck> work) {
            for (ScriptCheck c : work) {
                if (stop) {
                    return;
                }
                ScriptError err = c.run(verifier);
                if (err != ScriptError.OK) {
                    failure.compareAndSet(null,
                            new ScriptCheckFailure(c.txData().tx().txid(), c.inputIndex(), err));
                    stop = true;
                    return;
                }
            }
        }

        /** Abandons the block's remaining checks (the block already failed another rule). */
        public void cancel() {
            stop = true;
            batch.clear();
            // Queued chunks are skipped quickly (stop is set); the block's outcome no longer depends on them.
        }

        /**
         * Runs the checks no worker has taken on this thread, waits for the ones in progress, and
         * returns the first failure found, if any. An exception thrown by the verifier is a bug and
         * is rethrown. Waiting is not interruptible (checks finish in bounded time); an interrupt is
         * kept for the caller.
         */
        public Optional<ScriptCheckFailure> complete() {
            if (!batch.isEmpty() && !stop) {
                submit();
            }
            drain();
            boolean interrupted = false;
            synchronized (this) {
                while (unfinished.get() > 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = error.get();
            if (t != null) {
                throw new IllegalStateException("script check threw", t);
            }
            return Optional.ofNullable(failure.get());
        }
    }
}
