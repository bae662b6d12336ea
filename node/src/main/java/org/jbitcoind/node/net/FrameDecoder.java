package org.jbitcoind.node.net;

import java.util.List;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageHeader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the inbound byte stream into P2P messages. The 24-byte header is decoded and checked
 * (magic, command, length limit) before the payload is waited for, so a hostile length is refused
 * without allocating for it. Emits {@link Message} for each good frame and a single
 * {@link FrameError} for the first bad one, after which all further input is discarded.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    private final int magic;
    private final TrafficCounter counter;
    private MessageHeader pending;
    private boolean failed;

    public FrameDecoder(int magic, TrafficCounter counter) {
        this.magic = magic;
        this.counter = counter;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (pending == null) {
            if (in.readableBytes() < MessageHeader.SIZE) {
                return;
            }
            byte[] head = new byte[MessageHeader.SIZE];
            in.readBytes(head);
            try {
                MessageHeader header = MessageHeader.decode(head, magic);
                int max = FrameLimits.maxPayload(header.command());
                if (header.length() > max) {
                    fail(ctx, in, out, new FrameError(header.command(),
                            "oversized " + header.command() + " payload " + header.length() + " > " + max));
                    return;
                }
                pending = header;
            } catch (DecodeException e) {
                fail(ctx, in, out, new FrameError("", "bad message header: " + e.getMessage()));
                return;
            }
        }
        if (in.readableBytes() < pending.length()) {
            return;
        }
        MessageHeader header = pending;
        pending = null;
        byte[] payload = new byte[header.length()];
        in.readBytes(payload);
        counter.received(header.command(), MessageHeader.SIZE + payload.length);
        try {
            Message m = Frames.decodePayload(header, payload);
            out.add(m);
        } catch (DecodeException e) {
            fail(ctx, in, out, new FrameError(header.command(), "malformed " + header.command() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            // A decoder that throws unchecked is our bug; the bytes were still the peer's, so treat them as malformed.
            LOG.warn("decoder for {} threw on peer data", header.command(), e);
            fail(ctx, in, out, new FrameError(header.command(), "undecodable " + header.command() + ": " + e));
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, FrameError error) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(error);
    }
}
