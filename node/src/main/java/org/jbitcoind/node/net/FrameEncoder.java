package org.jbitcoind.node.net;

import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.Message;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes each outbound {@link Message} as one frame (header + payload) for the node's network. */
public final class FrameEncoder extends MessageToByteEncoder<Message> {
    private final int magic;
    private final TrafficCounter counter;

    public FrameEncoder(int magic, TrafficCounter counter) {
        super(Message.class);
        this.magic = magic;
        this.counter = counter;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
        byte[] frame = Frames.encode(magic, msg);
        counter.sent(msg.command(), frame.length);
        out.writeBytes(frame);
    }
}
