package org.jbitcoind.node;

/**
 * A part of the running node (data-directory lock, log file, pid file, storage, P2P server, RPC
 * server ...). {@link Node} starts services in the order they were added and closes them in the
 * reverse order, so a service may use everything added before it.
 */
public interface NodeService {
    /** A short name for log lines, e.g. "P2P server". */
    String name();

    /** Acquires what the service needs; a failure here stops start-up with the message. */
    void start() throws StartupException;

    /**
     * Releases everything; called once, also after a failed {@link #start()} of a later service.
     * Must return promptly (shutdown as a whole has 10 seconds) and must not throw.
     */
    void close();
}
