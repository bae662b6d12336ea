package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** BIP157: filter hashes for a range of blocks, chained from the previous filter header. */
public record CFHeadersMessage(int filterType, Hash256 stopHash, Hash256 previousFilterHeader,
        List<Hash256> filterHashes) implements Message {
    public static final String COMMAND = "cfheaders";
    public static final int MAX_HEADERS = 2000;

    public CFHeadersMessage {
        filterHashes = List.copyOf(filterHashes);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static CFHeadersMessage read(ByteReader r) throws DecodeException {
        int type = r.readU8();
        Hash256 stop = r.readHash();
        Hash256 prev = r.readHash();
        int n = r.readCount(MAX_HEADERS, "cfheaders count");
        List<Hash256> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(r.readHash());
        }
        return new CFHeadersMessage(type, stop, prev, list);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeU8(filterType).writeHash(stopHash).writeHash(previousFilterHeader).writeCompactSize(filterHashes.size());
        for (Hash256 h : filterHashes) {
            w.writeHash(h);
        }
    }
}
