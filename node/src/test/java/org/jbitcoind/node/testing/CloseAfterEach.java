package org.jbitcoind.node.testing;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (nodes, raw peers, sockets), closed after it in the reverse order of opening,
 * as try-with-resources would. Register it as a field with {@code @RegisterExtension}.
 */
public final class CloseAfterEach implements AfterEachCallback {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Closes {@code resource} after the test; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        open.push(resource);
        return resource;
    }

    /** Closes everything, the last opened first; every close is tried, the first failure is thrown. */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        for (AutoCloseable c = next(); c != null; c = next()) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private synchronized AutoCloseable next() {
        return open.poll();
    }
}
