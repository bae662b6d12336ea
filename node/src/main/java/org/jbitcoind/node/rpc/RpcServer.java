package org.jbitcoind.node.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP JSON-RPC server: Netty accepts connections and decodes HTTP on its I/O threads; requests run on a
 * bounded pool of worker threads (Core's -rpcthreads / -rpcworkqueue; a full queue answers 503). Starting
 * writes the auth cookie when cookie authentication is in use; {@link #close()} stops listening, waits for
 * running requests and deletes the cookie.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
    /** Core's MAX_SIZE: the largest request body accepted. */
    static final int MAX_BODY_BYTES = 0x02000000;
    private static final int MAX_HEADER_BYTES = 8192;

    private final RpcServerConfig config;
    private final RpcRegistry registry;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final List<Channel> listeners = new ArrayList<>();
    private final Path cookieWritten;
    private volatile boolean closed;

    private RpcServer(RpcServerConfig config, RpcRegistry registry, EventLoopGroup group, ThreadPoolExecutor workers,
            Path cookieWritten) {
        this.config = config;
        this.registry = registry;
        this.group = group;
        this.workers = workers;
        this.cookieWritten = cookieWritten;
    }

    /**
     * Writes the cookie if needed and binds every configured endpoint.
     *
     * @throws RpcConfigException when the cookie cannot be written or no endpoint can be bound
     */
    public static RpcServer start(RpcServerConfig config, RpcRegistry registry) throws RpcConfigException {
        String userColonPassword;
        Path cookie = null;
        if (config.usesPassword()) {
            userColonPassword = (config.rpcUser() == null ? "" : config.rpcUser()) + ":" + config.rpcPassword();
        } else if (config.cookieFile() != null) {
            userColonPassword = AuthCookie.generate(config.cookieFile());
            cookie = config.cookieFile();
            LOG.info("Using random cookie authentication, cookie file {}", cookie);
        } else {
            userColonPassword = null;
        }
        boolean epoll = Epoll.isAvailable();
        LOG.debug("RPC server uses the {} transport", epoll ? "epoll" : "NIO");
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, daemonThreads("rpc-io"), io);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.workQueueDepth()), daemonThreads("rpc-worker"),
                new ThreadPoolExecutor.AbortPolicy());
        RpcServer server = new RpcServer(config, registry, group, workers, cookie);
        try {
            server.bind(new RpcAuthenticator(userColonPassword, config.rpcAuth()),
                    epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
        } catch (RpcConfigException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind(RpcAuthenticator authenticator, Class<? extends ServerChannel> channelType)
            throws RpcConfigException {
        JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(registry);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, config.serverTimeout().toMillis(),
                                        TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(MAX_HEADER_BYTES, MAX_HEADER_BYTES, 8192))
                                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                .addLast(new RpcHttpHandler(config, authenticator, dispatcher, workers,
                                        () -> closed));
                    }
                });
        for (InetSocketAddress endpoint : config.bindAddresses()) {
            try {
                Channel channel = bootstrap.bind(endpoint).sync().channel();
                listeners.add(channel);
                InetSocketAddress local = (InetSocketAddress) channel.localAddress();
                LOG.info("Binding RPC on address {} port {}", local.getAddress().getHostAddress(), local.getPort());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("Binding RPC on address {} port {} failed: {}", endpoint.getHostString(), endpoint.getPort(),
                        e.getMessage());
            }
        }
        if (listeners.isEmpty()) {
            throw new RpcConfigException("Unable to bind any endpoint for RPC server");
        }
    }

    /** The endpoints actually listening (with the real port when 0 was asked for). */
    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> bound = new ArrayList<>();
        for (Channel channel : listeners) {
            bound.add((InetSocketAddress) channel.localAddress());
        }
        return bound;
    }

    /** The port of the first bound endpoint. */
    public int port() {
        return boundAddresses().get(0).getPort();
    }

    /** Requests waiting for a worker (for tests and metrics). */
    int queuedRequests() {
        return workers.getQueue().size();
    }

    public RpcRegistry registry() {
        return registry;
    }

    public RpcServerConfig config() {
        return config;
    }

    /**
     * Stops accepting, lets running requests finish (bounded wait), and deletes the cookie. Safe to call more
     * than once, and from a worker thread (it then does not wait for itself).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel channel : listeners) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        workers.shutdown();
        if (!Thread.currentThread().getName().startsWith("rpc-worker")) {
            try {
                if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        if (cookieWritten != null) {
            AuthCookie.delete(cookieWritten);
        }
        LOG.debug("RPC server stopped");
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
