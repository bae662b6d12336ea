package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/** BIP133: do not announce transactions below this fee rate (satoshis per 1000 vbytes). */
public record FeeFilterMessage(long feeRate) implements Message {
    public static final String COMMAND = "feefilter";

    @Override
    public String command() {
        return COMMAND;
    }

    public static FeeFilterMessage read(ByteReader r) throws DecodeException {
        return new FeeFilterMessage(r.readI64LE());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeI64LE(feeRate);
    }
}
