package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** BIP157: request filter headers for blocks from a start height up to a stop hash. */
public record GetCFHeadersMessage(int filterType, long startHeight, Hash256 stopHash) implements Message {
    public static final String COMMAND = "getcfheaders";
    /** BIP157: at most 2,000 filter headers per request. */
    public static final int MAX_HEADERS = 2000;

    @Override
    public String command() {
        return COMMAND;
    }

    public static GetCFHeadersMessage read(ByteReader r) throws DecodeException {
        return new GetCFHeadersMessage(r.readU8(), r.readU32LE(), r.readHash());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeU8(filterType).writeU32LE(startHeight).writeHash(stopHash);
    }
}
