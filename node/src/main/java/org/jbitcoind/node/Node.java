package org.jbitcoind.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's lifecycle: services start in order, the node runs until someone asks it to shut
 * down (a signal, the RPC {@code stop} call), then services close in reverse order.
 */
public final class Node {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final Settings settings;
    private final List<NodeService> services = new ArrayList<>();
    private final Deque<NodeService> running = new ArrayDeque<>();
    private final CountDownLatch shutdownRequested = new CountDownLatch(1);
    private boolean started;
    private boolean stopped;
    private String fatalError;

    public Node(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Adds a service to start after the ones already added. Only before {@link #start()}. */
    public synchronized Node add(NodeService service) {
        if (started) {
            throw new IllegalStateException("services are added before the node starts");
        }
        services.add(service);
        return this;
    }

    /**
     * Starts every service in order. If one fails, the ones already started are closed (in
     * reverse order) and its exception is rethrown; an unchecked exception is wrapped in a
     * {@link StartupException} naming the service.
     */
    public synchronized void start() throws StartupException {
        if (started) {
            throw new IllegalStateException("node already started");
        }
        started = true;
        for (NodeService service : services) {
            log.debug("Starting {}", service.name());
            try {
                service.start();
            } catch (StartupException e) {
                log.debug("{} could not start: {}", service.name(), e.getMessage());
                stop();
                throw e;
            } catch (RuntimeException e) {
                // A bug, not an operator error; still leave nothing running (e.g. non-daemon threads).
                log.error("{} failed to start", service.name(), e);
                stop();
                throw new StartupException(service.name() + " failed to start: " + e, e);
            }
            running.push(service);
        }
    }

    /**
     * A part of the node cannot go on (Core's AbortNode): remembers the first reason and asks for
     * shutdown; the daemon then exits with status 1 and prints the reason. Any thread.
     */
    public void fatalError(String message) {
        synchronized (shutdownRequested) {
            if (fatalError == null) {
                fatalError = message;
            }
        }
        requestShutdown();
    }

    /** The first {@link #fatalError} reason, if any. */
    public Optional<String> fatalError() {
        synchronized (shutdownRequested) {
            return Optional.ofNullable(fatalError);
        }
    }

    /** Asks the node to shut down; returns at once. Safe from any thread, any number of times. */
    public void requestShutdown() {
        shutdownRequested.countDown();
    }

    public boolean isShutdownRequested() {
        return shutdownRequested.getCount() == 0;
    }

    /** Blocks until {@link #requestShutdown()} has been called. */
    public void awaitShutdownRequest() throws InterruptedException {
        shutdownRequested.await();
    }

    public boolean awaitShutdownRequest(long timeout, TimeUnit unit) throws InterruptedException {
        return shutdownRequested.await(timeout, unit);
    }

    /** Closes the started services, last started first. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        requestShutdown();
        while (!running.isEmpty()) {
            NodeService service = running.pop();
            log.debug("Stopping {}", service.name());
            try {
                service.close();
            } catch (RuntimeException e) {
                // One service failing to close must not keep the others (the lock, the database) open.
                log.error("{} failed to close cleanly", service.name(), e);
            }
        }
    }
}
