package org.jbitcoind.node.net;

import java.util.concurrent.ThreadFactory;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport: Netty's native epoll where the native library loads (Linux), NIO
 * everywhere else. Chosen once per process; both behave the same for the P2P layer.
 */
public enum Transports {
    EPOLL,
    NIO;

    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

    /** Epoll when available unless {@code forceNio}; the reason epoll is unavailable is logged at DEBUG. */
    public static Transports select(boolean forceNio) {
        if (!forceNio && Epoll.isAvailable()) {
            return EPOLL;
        }
        if (!forceNio) {
            LOG.debug("epoll transport unavailable, using NIO", Epoll.unavailabilityCause());
        }
        return NIO;
    }

    public EventLoopGroup newEventLoopGroup(int threads, String name) {
        ThreadFactory tf = new DefaultThreadFactory(name, true);
        IoHandlerFactory io = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, tf, io);
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
