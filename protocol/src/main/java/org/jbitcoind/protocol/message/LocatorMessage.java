package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** getblocks and getheaders: a block locator and a stop hash (zero for "as many as allowed"). */
public record LocatorMessage(Kind kind, int version, List<Hash256> locator, Hash256 stopHash) implements Message {
    /** Core's MAX_LOCATOR_SZ. */
    public static final int MAX_LOCATOR_SIZE = 101;

    public enum Kind {
        GETBLOCKS("getblocks"), GETHEADERS("getheaders");

        private final String command;

        Kind(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    public LocatorMessage {
        locator = List.copyOf(locator);
    }

    @Override
    public String command() {
        return kind.command();
    }

    public static LocatorMessage read(Kind kind, ByteReader r) throws DecodeException {
        int version = r.readI32LE();
        int n = r.readCount(MAX_LOCATOR_SIZE, "locator size");
        List<Hash256> hashes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hashes.add(r.readHash());
        }
        return new LocatorMessage(kind, version, hashes, r.readHash());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeI32LE(version).writeCompactSize(locator.size());
        for (Hash256 h : locator) {
            w.writeHash(h);
        }
        w.writeHash(stopHash);
    }
}
