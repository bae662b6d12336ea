package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** BIP157: request filter headers at every 1,000th block up to the stop hash. */
public record GetCFCheckptMessage(int filterType, Hash256 stopHash) implements Message {
    public static final String COMMAND = "getcfcheckpt";

    @Override
    public String command() {
        return COMMAND;
    }

    public static GetCFCheckptMessage read(ByteReader r) throws DecodeException {
        return new GetCFCheckptMessage(r.readU8(), r.readHash());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeU8(filterType).writeHash(stopHash);
    }
}
