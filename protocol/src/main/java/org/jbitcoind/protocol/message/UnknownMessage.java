package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteWriter;

/**
 * A command this node does not know, carried with its raw payload so the caller can ignore it, as
 * Core does. Also the carrier of a payload sent as is ({@link BlockMessage#serialized}).
 */
public record UnknownMessage(String command, byte[] rawPayload) implements Message {
    @Override
    public void write(ByteWriter w) {
        w.writeBytes(rawPayload);
    }
}
