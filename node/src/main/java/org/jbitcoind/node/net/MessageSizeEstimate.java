package org.jbitcoind.node.net;

import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.UnknownMessage;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;

/**
 * Tells Netty how big a message is before it is encoded. A write from a thread other than the
 * channel's I/O thread is queued as a task and counted against the send buffer at once, with this
 * estimate; Netty's default counts an unencoded object as 8 bytes, so a thread that sends block
 * after block would see the channel writable until the I/O thread caught up. With the block's real
 * size counted, {@code isWritable} turns false as soon as the queued blocks pass the high-water
 * mark, which is what the getdata server pauses on.
 */
public final class MessageSizeEstimate implements MessageSizeEstimator {
    public static final MessageSizeEstimate INSTANCE = new MessageSizeEstimate();
    private static final Handle DEFAULT = DefaultMessageSizeEstimator.DEFAULT.newHandle();
    private static final Handle HANDLE = MessageSizeEstimate::size;

    private static int size(Object msg) {
        if (msg instanceof BlockMessage b) {
            return MessageHeader.SIZE + (b.withWitness() ? b.block().totalSize() : b.block().baseSize());
        }
        // Stored blocks are served as raw payloads (BlockMessage.serialized): count their bytes too.
        if (msg instanceof UnknownMessage u) {
            return MessageHeader.SIZE + u.rawPayload().length;
        }
        return DEFAULT.size(msg);
    }

    private MessageSizeEstimate() {
    }

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
