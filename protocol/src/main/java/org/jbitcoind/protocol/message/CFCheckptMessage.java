package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** BIP157: filter headers at 1,000-block intervals. */
public record CFCheckptMessage(int filterType, Hash256 stopHash, List<Hash256> filterHeaders) implements Message {
    public static final String COMMAND = "cfcheckpt";

    public CFCheckptMessage {
        filterHeaders = List.copyOf(filterHeaders);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static CFCheckptMessage read(ByteReader r) throws DecodeException {
        int type = r.readU8();
        Hash256 stop = r.readHash();
        int n = r.readCount(r.remaining() / 32, "cfcheckpt count");
        List<Hash256> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(r.readHash());
        }
        return new CFCheckptMessage(type, stop, list);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeU8(filterType).writeHash(stopHash).writeCompactSize(filterHeaders.size());
        for (Hash256 h : filterHeaders) {
            w.writeHash(h);
        }
    }
}
