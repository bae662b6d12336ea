package org.jbitcoind.node.rpc.methods;

import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainListener;

/**
 * Lets RPC workers wait for the active tip to change (waitfornewblock, waitforblock,
 * waitforblockheight): the chain thread only signals, the waiting happens on the worker.
 */
public final class TipWatcher implements ChainListener {
    private final Object lock = new Object();
    private final Supplier<BlockIndex> currentTip;
    private boolean closed;

    public TipWatcher(Supplier<BlockIndex> currentTip) {
        this.currentTip = currentTip;
    }

    @Override
    public void newTip(BlockIndex tip, BlockIndex fork, boolean initialDownload) {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Wakes every waiter for good (shutdown): they return the tip they have. */
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    /**
     * Waits until the tip satisfies {@code done}, at most {@code timeoutMillis} (0 = no limit), and returns the
     * tip at that moment (which may not satisfy it after a timeout, an interrupt or shutdown).
     */
    public BlockIndex await(Predicate<BlockIndex> done, long timeoutMillis) {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000 : Long.MAX_VALUE;
        synchronized (lock) {
            while (true) {
                BlockIndex tip = currentTip.get();
                if (closed || done.test(tip)) {
                    return tip;
                }
                long waitMillis = timeoutMillis > 0 ? (deadline - System.nanoTime()) / 1_000_000 : 1_000;
                if (waitMillis <= 0) {
                    return tip;
                }
                try {
                    // Bounded wait: a missed signal costs at most a second.
                    lock.wait(Math.min(waitMillis, 1_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return currentTip.get();
                }
            }
        }
    }
}
