package org.jbitcoind.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;

class TransportsTest {
    @Test
    void epollWhereItLoadsNioOtherwiseOrWhenForced() {
        assertEquals(Epoll.isAvailable() ? Transports.EPOLL : Transports.NIO, Transports.select(false));
        assertEquals(Transports.NIO, Transports.select(true));
        assertEquals(NioServerSocketChannel.class, Transports.NIO.serverChannel());
        assertEquals(EpollServerSocketChannel.class, Transports.EPOLL.serverChannel());
    }
}
