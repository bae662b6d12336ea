package org.jbitcoind.chain.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptVerifier;

/**
 * A fixed pool of threads that verifies input scripts in parallel while block connection goes on
 * (Core's CCheckQueue). The pool lives as long as the node and is reused for every block; each
 * block gets its own {@link Control}. After the first failing input the remaining checks of that
 * block are skipped.
 */
public final class ScriptCheckQueue implements AutoCloseable {
    /** Checks handed to a worker at once: big enough to amortize the hand-off, small enough to spread. */
    static final int BATCH_SIZE = 64;

    private final ScriptVerifier verifier;
    private final ExecutorService workers;
    private final int threads;

    public ScriptCheckQueue(ScriptVerifier verifier, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "script-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(threads, factory);
    }

    /** A queue with one worker per available processor. */
    public static ScriptCheckQueue sizedToCores(ScriptVerifier verifier) {
        return new ScriptCheckQueue(verifier, Runtime.getRuntime().availableProcessors());
    }

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
        workers.shutdownNow();
    }

    /** The checks of one block: add as transactions are processed, then {@link #complete()}. */
    public final class Control {
        private final AtomicReference<ScriptCheckFailure> failure = new AtomicReference<>();
        private volatile boolean cancelled;
        private final List<Future<?>> pending = new ArrayList<>();
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

        public long added() {
            return added;
        }

        private void submit() {
            List<ScriptCheck> work = batch;
            batch = new ArrayList<>(BATCH_SIZE);
            pending.add(workers.submit(() -> runBatch(work)));
        }

        private void runBatch(List<ScriptCheck> work) {
            for (ScriptCheck c : work) {
                if (cancelled || failure.get() != null) {
                    return;
                }
                ScriptError err = c.run(verifier);
                if (err != ScriptError.OK) {
                    failure.compareAndSet(null,
                            new ScriptCheckFailure(c.txData().tx().txid(), c.inputIndex(), err));
                    return;
                }
            }
        }

        /** Abandons the block's remaining checks (the block already failed another rule). */
        public void cancel() {
            cancelled = true;
            batch.clear();
        }

        /**
         * Waits for every queued check; returns the first failure found, if any. An exception thrown
         * by the verifier is a bug and is rethrown. Waiting is not interruptible (checks finish in
         * bounded time); an interrupt is kept for the caller.
         */
        public Optional<ScriptCheckFailure> complete() {
            if (!batch.isEmpty()) {
                submit();
            }
            boolean interrupted = false;
            RuntimeException error = null;
            for (Future<?> f : pending) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        if (error == null) {
                            error = new IllegalStateException("script check threw", e.getCause());
                        }
                        break;
                    }
                }
            }
            pending.clear();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            return Optional.ofNullable(failure.get());
        }
    }
}
