package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/** Answer to ping, echoing its nonce (BIP31). */
public record PongMessage(long nonce) implements Message {
    public static final String COMMAND = "pong";

    @Override
    public String command() {
        return COMMAND;
    }

    public static PongMessage read(ByteReader r) throws DecodeException {
        return new PongMessage(r.readI64LE());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeI64LE(nonce);
    }
}
