package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/** inv, getdata and notfound: the same list of inventory vectors under three commands. */
public record InventoryMessage(Kind kind, List<InvItem> items) implements Message {
    public static final int MAX_ENTRIES = 50_000;

    public enum Kind {
        INV("inv"), GETDATA("getdata"), NOTFOUND("notfound");

        private final String command;

        Kind(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    public InventoryMessage {
        items = List.copyOf(items);
    }

    public static InventoryMessage inv(List<InvItem> items) {
        return new InventoryMessage(Kind.INV, items);
    }

    public static InventoryMessage getData(List<InvItem> items) {
        return new InventoryMessage(Kind.GETDATA, items);
    }

    public static InventoryMessage notFound(List<InvItem> items) {
        return new InventoryMessage(Kind.NOTFOUND, items);
    }

    @Override
    public String command() {
        return kind.command();
    }

    public static InventoryMessage read(Kind kind, ByteReader r) throws DecodeException {
        int n = r.readCount(MAX_ENTRIES, kind.command() + " count");
        if ((long) n * InvItem.SIZE > r.remaining()) {
            throw new DecodeException("truncated " + kind.command() + " message");
        }
        List<InvItem> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(InvItem.read(r));
        }
        return new InventoryMessage(kind, list);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeCompactSize(items.size());
        for (InvItem item : items) {
            item.write(w);
        }
    }
}
