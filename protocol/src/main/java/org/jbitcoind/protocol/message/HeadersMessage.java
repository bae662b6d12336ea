package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.BlockHeader;

/** Block headers, each followed on the wire by a transaction count that must be zero. */
public record HeadersMessage(List<BlockHeader> headers) implements Message {
    public static final String COMMAND = "headers";
    /** Core's MAX_HEADERS_RESULTS. */
    public static final int MAX_HEADERS = 2000;

    public HeadersMessage {
        headers = List.copyOf(headers);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static HeadersMessage read(ByteReader r) throws DecodeException {
        int n = r.readCount(MAX_HEADERS, "headers count");
        if ((long) n * (BlockHeader.SIZE + 1) > r.remaining()) {
            throw new DecodeException("truncated headers message");
        }
        List<BlockHeader> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(BlockHeader.read(r));
            if (r.readCompactSize() != 0) {
                throw new DecodeException("headers entry with non-zero transaction count");
            }
        }
        return new HeadersMessage(list);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeCompactSize(headers.size());
        for (BlockHeader h : headers) {
            h.write(w);
            w.writeU8(0);
        }
    }
}
