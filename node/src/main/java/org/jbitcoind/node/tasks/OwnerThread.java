package org.jbitcoind.node.tasks;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;

/**
 * Hand-offs to a thread that alone owns some state (the sync manager's "sync", the relay's
 * "txrelay"), from threads that must not block for long or forever: a closing owner rejects or
 * drops tasks, and nobody waits past its closing.
 */
public final class OwnerThread {
    /** How often a waiter looks whether the owner has closed. */
    private static final long CLOSED_POLL_MS = 1000;

    private OwnerThread() {
    }

    /** Runs {@code task} on {@code owner} without waiting; a failure is logged, a closed owner drops it. */
    public static void post(Executor owner, Runnable task, Logger log, String what) {
        try {
            owner.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("{} failed", what, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the owner is closing
        }
    }

    /**
     * Waits for {@code f} while {@code open} holds. True when it completed (a failure is logged);
     * false when the waiting stopped without that: the owner closed, the task was cancelled, or
     * this thread was interrupted (its interrupt flag is set again).
     */
    public static boolean awaitWhileOpen(Future<?> f, BooleanSupplier open, Logger log, String what) {
        while (open.getAsBoolean()) {
            try {
                f.get(CLOSED_POLL_MS, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                // look at open again, wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                log.error("{} failed", what, e.getCause());
                return true;
            } catch (CancellationException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * {@code f}'s value, or {@code fallback} when it is not there within {@code timeout}, failed
     * (logged), was cancelled or this thread was interrupted (its interrupt flag is set again).
     */
    public static <T> T getOr(Future<T> f, Duration timeout, T fallback, Logger log, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        } catch (ExecutionException e) {
            log.error("{} failed", what, e.getCause());
            return fallback;
        } catch (TimeoutException | CancellationException e) {
            return fallback;
        }
    }
}
