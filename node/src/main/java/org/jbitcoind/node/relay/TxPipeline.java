package org.jbitcoind.node.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjIntConsumer;

import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.protocol.primitives.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers' messages on their way to the relay thread, in the order the dispatcher gave them: a
 * peer's transactions get their script precheck on the "txcheck-N" threads first, and every
 * other relay step (inv, getdata, connect, disconnect, queries) waits behind the transactions
 * queued before it. The relay thread runs the steps one after the other, each transaction only
 * once its precheck is done.
 *
 * <p>Why not one executor task per transaction (as before): on two cores every hand-off that
 * parks or wakes a thread costs system calls and a context switch. Here the hand-offs are in
 * batches: a checker takes the next several transactions at once ({@link Checker} reads all
 * their coins in one call on the chain thread) and wakes the relay thread at most once per
 * batch; the relay thread, once woken, runs every step that is ready without going back to its
 * executor; and a dispatcher stopped by back-pressure is woken only when its peer's backlog is
 * down to half (see {@link Backlog}), not after every transaction.
 *
 * <p>Threads: {@link #submit} and {@link #submitTask} from one thread (the dispatcher), which
 * fixes the order; the steps run on the relay thread given as an {@link Executor}.
 *
 * @param <P> a precheck's result handed to the acceptance (the node's: {@link TxMempool.Precheck})
 */
final class TxPipeline<P> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TxPipeline.class);
    /** At most this many transactions per checker batch (one chain read, one relay wake-up). */
    static final int MAX_BATCH = 32;
    /** Steps the relay thread runs before letting its other tasks in. */
    static final int MAX_STEPS_PER_TURN = 64;

    /** Script prechecks of several transactions, in order; each result goes to {@code done} as soon as it is known. */
    interface Checker<P> {
        /** {@code done.accept(result, i)} for the {@code i}-th transaction, in order. */
        void precheck(List<Transaction> txs, ObjIntConsumer<P> done);
    }

    /** The relay's acceptance of one transaction (on the relay thread). */
    interface Acceptor<P> {
        void accept(long peerId, Transaction tx, P precheck);
    }

    /** A queued relay step: a peer's transaction or another task. */
    private abstract static sealed class Step permits TxStep, TaskStep {
        abstract boolean ready();

        abstract void run();

        /** Closing: the step will not run; release whoever waits for it. */
        abstract void abandon();
    }

    /** One peer's transaction: ready once its precheck is done (or there is none). */
    static final class TxStep<P> extends Step {
        final long peerId;
        final Transaction tx;
        final int bytes;
        private final Acceptor<P> acceptor;
        private volatile boolean checked;
        private volatile boolean done;
        private P precheck;

        private TxStep(long peerId, Transaction tx, Acceptor<P> acceptor) {
            this.peerId = peerId;
            this.tx = tx;
            this.bytes = tx.totalSize();
            this.acceptor = acceptor;
        }

        /** Whether the relay thread has finished with it (accepted, rejected, or dropped when closing). */
        boolean isDone() {
            return done;
        }

        void checked(P result) {
            precheck = result; // published by the volatile write below
            checked = true;
        }

        @Override
        boolean ready() {
            return checked;
        }

        @Override
        void run() {
            try {
                acceptor.accept(peerId, tx, precheck);
            } finally {
                precheck = null;
                done = true;
            }
        }

        @Override
        void abandon() {
            done = true;
        }
    }

    private static final class TaskStep extends Step {
        private final FutureTask<?> task;

        private TaskStep(FutureTask<?> task) {
            this.task = task;
        }

        @Override
        boolean ready() {
            return true;
        }

        @Override
        void run() {
            task.run();
        }

        @Override
        void abandon() {
            task.cancel(false);
        }
    }

    private final Executor relayThread;
    private final Acceptor<P> acceptor;
    private final Checker<P> checker;
    private final List<Thread> checkers = new ArrayList<>();
    private final BlockingQueue<TxStep<P>> toCheck = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
    /** A drain of {@link #steps} is queued on or running on the relay thread. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition progress = waitLock.newCondition();
    /** The step a dispatcher waits for (back-pressure); the relay thread signals when it is done. */
    private volatile TxStep<?> awaited;
    private volatile boolean closed;

    /**
     * @param checkThreads threads for the script prechecks; 0 for none (transactions are then
     *                     ready at once, with no precheck result)
     */
    TxPipeline(int checkThreads, Checker<P> checker, Executor relayThread, Acceptor<P> acceptor) {
        this.checker = checker;
        this.relayThread = relayThread;
        this.acceptor = acceptor;
        AtomicInteger n = new AtomicInteger();
        for (int i = 0; i < checkThreads; i++) {
            Thread t = new Thread(this::checkLoop, "txcheck-" + n.incrementAndGet());
            t.setDaemon(true);
            checkers.add(t);
        }
        checkers.forEach(Thread::start);
    }

    /** Queues a peer's transaction for its precheck and then acceptance; null when closed. */
    TxStep<P> submit(long peerId, Transaction tx) {
        if (closed) {
            return null;
        }
        TxStep<P> step = new TxStep<>(peerId, tx, acceptor);
        steps.add(step);
        if (checkers.isEmpty()) {
            step.checked(null);
            nudge();
        } else {
            toCheck.add(step);
        }
        return step;
    }

    /**
     * Queues {@code task} for the relay thread behind every transaction submitted before it; the
     * future is cancelled if the pipeline closes first. Null when closed.
     */
    <T> FutureTask<T> submitTask(Callable<T> task) {
        if (closed) {
            return null;
        }
        FutureTask<T> f = new FutureTask<>(task);
        steps.add(new TaskStep(f));
        nudge();
        if (closed) {
            f.cancel(false);
        }
        return f;
    }

    // ---- the relay thread ------------------------------------------------------------------------

    /** Makes sure a drain will look at the head of the queue after this call. */
    private void nudge() {
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                relayThread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false); // closing
            }
        }
    }

    /**
     * On the relay thread: runs the steps that are ready, in order, stopping at the first that is
     * not. After {@link #MAX_STEPS_PER_TURN} it queues itself again instead, so that the relay
     * thread's other tasks (its timer, the mempool listener's announcements) are not held up by a
     * long stream of transactions.
     */
    private void drain() {
        while (true) {
            if (!runReadySteps()) {
                try {
                    relayThread.execute(this::drain); // the flag stays set: this drain goes on later
                    return;
                } catch (RejectedExecutionException e) {
                    drainScheduled.set(false); // closing
                    return;
                }
            }
            drainScheduled.set(false);
            // A step may have become ready after the last look and before the flag was cleared,
            // its nudge then seeing the flag still set: look once more.
            Step head = steps.peek();
            if (closed || head == null || !head.ready() || !drainScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** False when it stopped at the turn's limit with more steps possibly ready. */
    private boolean runReadySteps() {
        Step head;
        int ran = 0;
        while (!closed && (head = steps.peek()) != null && head.ready()) {
            if (ran++ == MAX_STEPS_PER_TURN) {
                return false;
            }
            if (steps.poll() != head) {
                return true; // closing took it
            }
            try {
                head.run();
            } catch (RuntimeException e) {
                LOG.error("transaction relay task failed", e);
            }
            if (head == awaited) {
                signalProgress();
            }
        }
        return true;
    }

    // ---- the checkers ----------------------------------------------------------------------------

    private void checkLoop() {
        List<TxStep<P>> batch = new ArrayList<>(MAX_BATCH);
        List<Transaction> txs = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(toCheck.take());
            } catch (InterruptedException e) {
                return;
            }
            // A fair share of what waits, so that the other checkers are not left idle.
            int share = (toCheck.size() + checkers.size()) / checkers.size();
            toCheck.drainTo(batch, Math.min(MAX_BATCH, share) - 1);
            for (TxStep<P> s : batch) {
                txs.add(s.tx);
            }
            checkBatch(batch, txs);
            batch.clear();
            txs.clear();
        }
    }

    private void checkBatch(List<TxStep<P>> batch, List<Transaction> txs) {
        try {
            checker.precheck(txs, (result, i) -> batch.get(i).checked(result));
        } catch (RuntimeException e) {
            // A failed precheck decides nothing: acceptance finds the reason itself.
            LOG.debug("script precheck of {} transactions stopped: {}", txs.size(), e.toString());
        } finally {
            for (TxStep<P> s : batch) {
                if (!s.ready()) {
                    s.checked(null);
                }
            }
            nudge();
        }
    }

    // ---- back-pressure -------------------------------------------------------------------------

    /**
     * Waits until the relay thread is done with {@code step} (steps dropped by closing count as
     * done); false when interrupted.
     */
    boolean awaitDone(TxStep<?> step) {
        if (step.isDone()) {
            return true;
        }
        waitLock.lock();
        try {
            awaited = step;
            while (!step.isDone() && !closed) {
                progress.await(1, TimeUnit.SECONDS);
            }
            return step.isDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            awaited = null;
            waitLock.unlock();
        }
    }

    private void signalProgress() {
        waitLock.lock();
        try {
            progress.signalAll();
        } finally {
            waitLock.unlock();
        }
    }

    /**
     * Stops the checkers and drops what has not run: queued tasks are cancelled and waiting
     * dispatchers released. The relay thread's executor is the caller's to shut down.
     */
    @Override
    public void close() {
        closed = true;
        checkers.forEach(Thread::interrupt);
        for (Thread t : checkers) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        toCheck.clear();
        Step s;
        while ((s = steps.poll()) != null) {
            s.abandon();
        }
        signalProgress();
    }

    /**
     * One peer's transactions between the dispatcher and the end of their relay step, oldest
     * first, with their total size. Used by the dispatcher only. Full at {@code maxTxs}
     * transactions or over {@code maxBytes}; once full, the dispatcher waits until the backlog
     * is down to half of both, so that it is woken once per half backlog rather than per
     * transaction.
     */
    static final class Backlog {
        private final ArrayDeque<TxStep<?>> pending = new ArrayDeque<>();
        private final int maxTxs;
        private final long maxBytes;
        private long bytes;

        Backlog(int maxTxs, long maxBytes) {
            this.maxTxs = maxTxs;
            this.maxBytes = maxBytes;
        }

        void add(TxStep<?> step) {
            dropDone();
            pending.addLast(step);
            bytes += step.bytes;
        }

        boolean isFull() {
            return !pending.isEmpty() && (pending.size() >= maxTxs || bytes > maxBytes);
        }

        int size() {
            return pending.size();
        }

        long bytes() {
            return bytes;
        }

        /**
         * The step whose end brings the backlog down to half of both limits (steps end in queue
         * order); null when it already is.
         */
        TxStep<?> resumeAt() {
            dropDone();
            int count = pending.size();
            long left = bytes;
            if (count <= maxTxs / 2 && left <= maxBytes / 2) {
                return null;
            }
            for (TxStep<?> s : pending) {
                count--;
                left -= s.bytes;
                if (count <= maxTxs / 2 && left <= maxBytes / 2) {
                    return s;
                }
            }
            return pending.peekLast();
        }

        /** Forgets the finished ones at the head. */
        void dropDone() {
            while (!pending.isEmpty() && pending.peekFirst().isDone()) {
                bytes -= pending.removeFirst().bytes;
            }
        }
    }
}
