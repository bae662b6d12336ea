package org.jbitcoind.node.rpc;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's HTTP handling, in Core's order: source address (403), path (404), work queue (503), then on
 * a worker: method (405), credentials (401, wrong ones after a delay), and the JSON-RPC dispatch.
 */
final class RpcHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RpcHttpHandler.class);
    static final String WWW_AUTHENTICATE = "Basic realm=\"jsonrpc\"";

    private final RpcServerConfig config;
    private final RpcAuthenticator authenticator;
    private final JsonRpcDispatcher dispatcher;
    private final Executor workers;
    private final BooleanSupplier shuttingDown;
    /** A request of this connection is being answered; touched only on the event loop. */
    private boolean busy;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();

    RpcHttpHandler(RpcServerConfig config, RpcAuthenticator authenticator, JsonRpcDispatcher dispatcher,
            Executor workers, BooleanSupplier shuttingDown) {
        this.config = config;
        this.authenticator = authenticator;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.shuttingDown = shuttingDown;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (busy) {
            // HTTP/1.1 pipelining: answers must keep request order, so later requests wait their turn.
            pending.add(request.retain());
            ctx.channel().config().setAutoRead(false);
            return;
        }
        process(ctx, request);
    }

    private void process(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        LOG.debug("Received a {} request for {} from {}", request.method(), request.uri(), ctx.channel().remoteAddress());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!request.decoderResult().isSuccess()) {
            reply(ctx, 400, null, null, false);
            return;
        }
        if (!allowed(peer)) {
            LOG.debug("HTTP request from {} rejected: Client network is not allowed RPC access", peer);
            reply(ctx, 403, null, null, false);
            return;
        }
        if (!"/".equals(request.uri())) {
            reply(ctx, 404, null, null, keepAlive);
            return;
        }
        HttpMethod method = request.method();
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String body = request.content().toString(StandardCharsets.UTF_8);
        try {
            workers.execute(() -> work(ctx, method, authorization, body, peer, keepAlive));
        } catch (RejectedExecutionException e) {
            LOG.warn("Request rejected because http work queue depth exceeded, it can be increased with the "
                    + "-rpcworkqueue= setting");
            reply(ctx, 503, "Work queue depth exceeded", "text/html; charset=ISO-8859-1", keepAlive);
        }
    }

    /** Runs on the event loop once a reply is out: serve the next pipelined request, or read again. */
    private void done(ChannelHandlerContext ctx) {
        busy = false;
        FullHttpRequest next = pending.poll();
        if (next == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        try {
            process(ctx, next);
        } finally {
            next.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest waiting;
        while ((waiting = pending.poll()) != null) {
            waiting.release();
        }
        super.channelInactive(ctx);
    }

    private void work(ChannelHandlerContext ctx, HttpMethod method, String authorization, String body,
            InetSocketAddress peer, boolean keepAlive) {
        if (!HttpMethod.POST.equals(method)) {
            reply(ctx, 405, "JSONRPC server handles only POST requests", "text/html; charset=ISO-8859-1", keepAlive);
            return;
        }
        if (authorization == null) {
            reply(ctx, 401, null, null, keepAlive);
            return;
        }
        Optional<String> user = authenticator.authenticate(authorization);
        if (user.isEmpty()) {
            LOG.info("ThreadRPCServer incorrect password attempt from {}", peer);
            // Deters brute force without holding a worker: the event loop sends the 401 later.
            ctx.executor().schedule(() -> reply(ctx, 401, null, null, keepAlive),
                    config.authFailureDelay().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        JsonRpcDispatcher.Reply reply;
        try {
            reply = dispatcher.handle(body, user.get());
        } catch (RuntimeException e) {
            LOG.warn("RPC request failed unexpectedly", e);
            reply(ctx, 500, null, null, false);
            return;
        }
        reply(ctx, reply.status(), reply.body(), "application/json", keepAlive && !shuttingDown.getAsBoolean());
    }

    private boolean allowed(InetSocketAddress peer) {
        for (Subnet subnet : config.allowedSubnets()) {
            if (subnet.contains(peer.getAddress())) {
                return true;
            }
        }
        return false;
    }

    private void reply(ChannelHandlerContext ctx, int status, String body, String contentType, boolean keepAlive) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        if (status == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, WWW_AUTHENTICATE);
        }
        if (contentType != null && body != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (status != 204) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
        response.headers().set(HttpHeaderNames.CONNECTION,
                keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(future -> {
            if (!keepAlive || !future.isSuccess()) {
                ctx.close();
            } else {
                ctx.executor().execute(() -> done(ctx));
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && !busy) {
            LOG.debug("Closing idle RPC connection from {}", ctx.channel().remoteAddress());
            ctx.close(); // Core's -rpcservertimeout: drop idle connections, never one with a request in flight
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("RPC connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
