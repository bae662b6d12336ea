package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/** Keep-alive with a nonce the peer echoes in pong (BIP31). */
public record PingMessage(long nonce) implements Message {
    public static final String COMMAND = "ping";

    @Override
    public String command() {
        return COMMAND;
    }

    public static PingMessage read(ByteReader r) throws DecodeException {
        return new PingMessage(r.readI64LE());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeI64LE(nonce);
    }
}
