package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection-level behaviour: idle timeout (-rpcservertimeout) and requests outliving it. */
class RpcConnectionTest {

    private static RpcServerConfig shortTimeout() {
        RpcServerConfig base = TestRpc.loopback();
        return new RpcServerConfig(base.bindAddresses(), base.allowedSubnets(), base.rpcUser(), base.rpcPassword(),
                null, List.of(), 2, 4, Duration.ofMillis(300), base.authFailureDelay());
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        try (RpcServer server = RpcServer.start(shortTimeout(), new RpcRegistry());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            assertEquals(-1, in.read(), "server closes an idle connection");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(9).toNanos());
        }
    }

    @Test
    void busyConnectionIsNotClosedWhenIdle() {
        List<Runnable> workerTasks = new ArrayList<>();
        RpcRegistry registry = new RpcRegistry();
        registry.register(new RpcMethod("ping", "test", List.of(), "Answers null.", null, call -> null));
        RpcHttpHandler handler = new RpcHttpHandler(TestRpc.loopback(),
                new RpcAuthenticator(TestRpc.USER + ":" + TestRpc.PASSWORD, List.of()), new JsonRpcDispatcher(registry),
                workerTasks::add, () -> false);
        EmbeddedChannel channel = new EmbeddedChannel(handler) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
            }
        };
        try {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                    Unpooled.copiedBuffer("{\"method\":\"ping\",\"id\":1}", StandardCharsets.UTF_8));
            request.headers().set(HttpHeaderNames.AUTHORIZATION, TestRpc.basic(TestRpc.USER, TestRpc.PASSWORD));
            channel.writeInbound(request);
            assertEquals(1, workerTasks.size());

            channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
            assertTrue(channel.isOpen(), "a connection with a request in flight survives the idle timeout");

            workerTasks.get(0).run();
            channel.runPendingTasks();
            FullHttpResponse response = channel.readOutbound();
            assertEquals(200, response.status().code());
            response.release();

            channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
            assertFalse(channel.isOpen(), "once answered, the idle connection is closed");
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void closeIsIdempotentAndFreesThePort() throws Exception {
        RpcServer server = RpcServer.start(TestRpc.loopback(), new RpcRegistry());
        int port = server.port();
        server.close();
        server.close();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            throw new AssertionError("port " + port + " still accepts connections");
        } catch (java.net.ConnectException expected) {
            assertTrue(expected.getMessage() != null);
        }
    }
}
