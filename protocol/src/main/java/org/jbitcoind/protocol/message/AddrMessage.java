package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.net.PeerAddress;

/** Legacy address gossip: IPv4/IPv6 entries with time and services. */
public record AddrMessage(List<PeerAddress> addresses) implements Message {
    public static final String COMMAND = "addr";
    public static final int MAX_ENTRIES = 1000;
    private static final int ENTRY_SIZE = 30;

    public AddrMessage {
        addresses = List.copyOf(addresses);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static AddrMessage read(ByteReader r) throws DecodeException {
        int n = r.readCount(MAX_ENTRIES, "addr count");
        if ((long) n * ENTRY_SIZE > r.remaining()) {
            throw new DecodeException("truncated addr message");
        }
        List<PeerAddress> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(PeerAddress.readLegacy(r));
        }
        return new AddrMessage(list);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeCompactSize(addresses.size());
        for (PeerAddress a : addresses) {
            a.writeLegacy(w);
        }
    }
}
