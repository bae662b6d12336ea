package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteWriter;

/** A command this node does not know. Carried with its raw payload so the caller can ignore it, as Core does. */
public record UnknownMessage(String command, byte[] rawPayload) implements Message {
    @Override
    public void write(ByteWriter w) {
        w.writeBytes(rawPayload);
    }
}
