package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * The alert system was retired in 2016 and its key published: alerts are decoded so they can be
 * recognised and ignored, and are never relayed or acted on. (The body is not called {@code payload}:
 * that name is {@link Message#payload()}, the whole encoded message.)
 */
public record AlertMessage(byte[] alertBody, byte[] signature) implements Message {
    public static final String COMMAND = "alert";

    @Override
    public String command() {
        return COMMAND;
    }

    public static AlertMessage read(ByteReader r) throws DecodeException {
        byte[] body = r.readVarBytes(r.remaining(), "alert body");
        byte[] signature = r.readVarBytes(r.remaining(), "alert signature");
        return new AlertMessage(body, signature);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeVarBytes(alertBody).writeVarBytes(signature);
    }
}
