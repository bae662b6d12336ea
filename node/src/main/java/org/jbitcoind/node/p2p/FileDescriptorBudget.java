package org.jbitcoind.node.p2p;

import org.jbitcoind.node.connmgr.P2pConfig;

/**
 * How many P2P connections fit the process's open-files limit (Core's start-up check around
 * MIN_CORE_FILEDESCRIPTORS in init.cpp). Every peer is one socket; what the node needs besides is
 * reserved first:
 * <ul>
 * <li>the database: {@code ChainDbOptions.fileDescriptors()} (RocksDB's bounded table cache and its
 *     own files);</li>
 * <li>{@link #NODE_RESERVE} for the rest of the process: the JVM (class path jars, its modules file,
 *     random devices, stdio), Netty's event loops (three descriptors each), the RPC server and its
 *     clients, the metrics server, debug.log and its rotation, the lock, pid and cookie files,
 *     peers.dat, banlist.json and mempool.dat while they are written, DNS lookups;</li>
 * <li>the listening sockets (at least one, as Core counts) and the manual connections
 *     ({@link P2pConfig#MAX_ADDNODE_CONNECTIONS}), which have their own slots.</li>
 * </ul>
 * What is left caps -maxconnections. Inbound slots go first ({@link P2pConfig#maxInbound()} is what the
 * outbound slots leave); when not even the outbound slots are left, start-up fails. The outbound
 * slots are {@link P2pConfig#defaultOutboundSlots}: 8 + 2 + 1, or all of -maxconnections below 11,
 * where P2pConfig cuts them to fit (so a low -maxconnections needs only itself). Core instead goes down to zero connections; a node without its outbound peers is
 * easy to eclipse, so we refuse and say which limit to raise.
 *
 * @param limit     the open-files limit the process runs under
 * @param reserved  descriptors kept for everything but P2P connections
 * @param requested -maxconnections as configured
 * @param effective the connection limit the node uses: {@code requested} or less
 */
public record FileDescriptorBudget(long limit, int reserved, int requested, int effective) {
    /** Descriptors for everything in the process but the database and the P2P sockets (Core reserves 150 as well). */
    public static final int NODE_RESERVE = 150;

    /**
     * The budget for {@code limit} open files.
     *
     * @param databaseFiles    descriptors the chain database may hold
     * @param listeningSockets P2P listening endpoints (-bind); counted as at least one
     * @throws NotEnoughFileDescriptors when fewer than {@link #minimumConnections} connections would remain
     */
    public static FileDescriptorBudget plan(long limit, int requested, int databaseFiles, int listeningSockets)
            throws NotEnoughFileDescriptors {
        int reserved = databaseFiles + NODE_RESERVE + Math.max(1, listeningSockets)
                + P2pConfig.MAX_ADDNODE_CONNECTIONS;
        long available = limit - reserved;
        int minimum = minimumConnections(requested);
        if (available < minimum) {
            throw new NotEnoughFileDescriptors(limit, reserved, minimum);
        }
        return new FileDescriptorBudget(limit, reserved, requested, (int) Math.min(requested, available));
    }

    /** Connections that must fit: the automatic outbound slots -maxconnections gives (all of it below 11). */
    public static int minimumConnections(int requested) {
        return P2pConfig.defaultOutboundSlots(requested);
    }

    /** Whether the limit made us lower -maxconnections. */
    public boolean lowered() {
        return effective < requested;
    }

    /** The operator's WARN line when {@link #lowered()}: both numbers, why, and what to raise. */
    public String warning() {
        return "Reducing -maxconnections from " + requested + " to " + effective + ", because of system limitations:"
                + " the open-files limit is " + limit + " and " + reserved
                + " descriptors are reserved for the database and the node; raise the limit (ulimit -n,"
                + " LimitNOFILE= in systemd) to at least " + ((long) reserved + requested) + " to keep "
                + requested;
    }

    /** Too few descriptors for even the outbound connections. */
    public static final class NotEnoughFileDescriptors extends Exception {
        private static final long serialVersionUID = 1L;

        NotEnoughFileDescriptors(long limit, int reserved, int minimum) {
            super("Not enough file descriptors available: the open-files limit is " + limit + ", jbitcoind needs at"
                    + " least " + ((long) reserved + minimum) + " (" + reserved + " for the database and the node, "
                    + minimum + " for outbound connections); raise it (ulimit -n, LimitNOFILE= in systemd)");
        }
    }
}
