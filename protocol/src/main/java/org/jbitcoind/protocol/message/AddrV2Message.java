package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.net.PeerAddress;

/**
 * BIP155 address gossip. Entries for networks this node does not know are dropped while
 * decoding (as BIP155 asks), so {@link #addresses()} may be shorter than the wire count.
 */
public record AddrV2Message(List<PeerAddress> addresses) implements Message {
    public static final String COMMAND = "addrv2";
    public static final int MAX_ENTRIES = 1000;

    public AddrV2Message {
        addresses = List.copyOf(addresses);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static AddrV2Message read(ByteReader r) throws DecodeException {
        int n = r.readCount(MAX_ENTRIES, "addrv2 count");
        List<PeerAddress> list = new ArrayList<>(Math.min(n, r.remaining() / 9 + 1));
        for (int i = 0; i < n; i++) {
            PeerAddress a = PeerAddress.readV2(r);
            if (a != null) {
                list.add(a);
            }
        }
        return new AddrV2Message(list);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeCompactSize(addresses.size());
        for (PeerAddress a : addresses) {
            a.writeV2(w);
        }
    }
}
