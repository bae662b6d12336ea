package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** BIP157: one block's compact filter. */
public record CFilterMessage(int filterType, Hash256 blockHash, byte[] filter) implements Message {
    public static final String COMMAND = "cfilter";

    @Override
    public String command() {
        return COMMAND;
    }

    public static CFilterMessage read(ByteReader r) throws DecodeException {
        int type = r.readU8();
        Hash256 hash = r.readHash();
        return new CFilterMessage(type, hash, r.readVarBytes(r.remaining(), "filter"));
    }

    @Override
    public void write(ByteWriter w) {
        w.writeU8(filterType).writeHash(blockHash).writeVarBytes(filter);
    }
}
