package org.jbitcoind.storage;

/**
 * A RocksDB resource handed out by a {@link ChainDb} (a snapshot, a cursor's iterator). The user
 * closes it, or whatever holds it closes it first (the snapshot its cursors, the database its
 * snapshots); either way its native resources are released exactly once, under the database lock.
 */
abstract class DbHandle implements AutoCloseable {
    final ChainDb owner;
    private boolean closed;

    DbHandle(ChainDb owner) {
        this.owner = owner;
    }

    @Override
    public final void close() {
        owner.lock().readLock().lock();
        try {
            closeInternal();
        } finally {
            owner.lock().readLock().unlock();
        }
        detach();
    }

    /** Called with the database lock held: by {@link #close()}, or by the holder closing first. */
    final synchronized void closeInternal() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Read with the database lock held. */
    final boolean isClosed() {
        return closed;
    }

    /** Frees the native resources; called once, with the database lock held. */
    abstract void release();

    /** Tells the holder to forget this handle, after {@link #close()}. */
    abstract void detach();
}
