package org.jbitcoind.node.rpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the RPC server needs, already resolved from settings (the daemon maps -rpcbind, -rpcport,
 * -rpcallowip, -rpcuser, -rpcpassword, -rpcauth, -rpcthreads, -rpcworkqueue, -rpcservertimeout onto it).
 *
 * @param bindAddresses   endpoints to listen on (port 0 picks a free port); start-up fails only if none binds,
 *                        as Core tolerates a missing ::1
 * @param allowedSubnets  client ranges accepted; everything else gets HTTP 403. This is the complete list: use
 *                        {@link Subnet#withLocalhost} to get Core's always-allowed localhost ranges
 * @param rpcUser         -rpcuser, or null
 * @param rpcPassword     -rpcpassword, or null; when null or empty a cookie is generated at {@code cookieFile}
 * @param cookieFile      where to write the cookie ({@code <datadir>/<network>/.cookie}); null disables cookies
 * @param rpcAuth         salted -rpcauth entries
 * @param threads         worker threads executing requests (Core's -rpcthreads, default 4)
 * @param workQueueDepth  requests allowed to wait for a worker before HTTP 503 (Core's -rpcworkqueue, 16)
 * @param serverTimeout   idle connection timeout (Core's -rpcservertimeout, 30 s)
 * @param authFailureDelay delay before answering wrong credentials with 401 (Core: 250 ms), to slow brute force
 */
public record RpcServerConfig(List<InetSocketAddress> bindAddresses, List<Subnet> allowedSubnets, String rpcUser,
        String rpcPassword, Path cookieFile, List<RpcAuthEntry> rpcAuth, int threads, int workQueueDepth,
        Duration serverTimeout, Duration authFailureDelay) {

    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_WORK_QUEUE = 16;
    public static final Duration DEFAULT_SERVER_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofMillis(250);

    public RpcServerConfig {
        bindAddresses = List.copyOf(bindAddresses);
        allowedSubnets = List.copyOf(allowedSubnets);
        rpcAuth = List.copyOf(rpcAuth);
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("no RPC bind address");
        }
        if (threads < 1 || workQueueDepth < 1) {
            throw new IllegalArgumentException("-rpcthreads and -rpcworkqueue must be at least 1");
        }
        boolean password = rpcPassword != null && !rpcPassword.isEmpty();
        if (!password && cookieFile == null && rpcAuth.isEmpty()) {
            throw new IllegalArgumentException("RPC needs a password, a cookie file or -rpcauth entries");
        }
    }

    /**
     * Core's defaults for a port: listen on 127.0.0.1 and ::1, allow localhost only, cookie authentication,
     * 4 threads, queue of 16.
     */
    public static RpcServerConfig localDefaults(int port, Path cookieFile) {
        return new RpcServerConfig(
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), new InetSocketAddress("::1", port)),
                Subnet.withLocalhost(List.of()), null, null, cookieFile, List.of(), DEFAULT_THREADS,
                DEFAULT_WORK_QUEUE, DEFAULT_SERVER_TIMEOUT, DEFAULT_AUTH_FAILURE_DELAY);
    }

    /** True when -rpcpassword is set, which turns the cookie off as in Core. */
    public boolean usesPassword() {
        return rpcPassword != null && !rpcPassword.isEmpty();
    }

    public RpcServerConfig withBind(List<InetSocketAddress> bind) {
        return new RpcServerConfig(bind, allowedSubnets, rpcUser, rpcPassword, cookieFile, rpcAuth, threads,
                workQueueDepth, serverTimeout, authFailureDelay);
    }

    public RpcServerConfig withAllowed(List<Subnet> allowed) {
        return new RpcServerConfig(bindAddresses, allowed, rpcUser, rpcPassword, cookieFile, rpcAuth, threads,
                workQueueDepth, serverTimeout, authFailureDelay);
    }

    public RpcServerConfig withUserPassword(String user, String password) {
        return new RpcServerConfig(bindAddresses, allowedSubnets, user, password, cookieFile, rpcAuth, threads,
                workQueueDepth, serverTimeout, authFailureDelay);
    }

    public RpcServerConfig withRpcAuth(List<RpcAuthEntry> entries) {
        return new RpcServerConfig(bindAddresses, allowedSubnets, rpcUser, rpcPassword, cookieFile, entries, threads,
                workQueueDepth, serverTimeout, authFailureDelay);
    }

    public RpcServerConfig withWorkers(int workerThreads, int queueDepth) {
        return new RpcServerConfig(bindAddresses, allowedSubnets, rpcUser, rpcPassword, cookieFile, rpcAuth,
                workerThreads, queueDepth, serverTimeout, authFailureDelay);
    }
}
