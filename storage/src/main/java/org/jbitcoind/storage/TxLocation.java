package org.jbitcoind.storage;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/**
 * Where -txindex finds a transaction: the block holding it and the byte range of the
 * transaction inside that block's serialization, so it is sliced out without parsing the block.
 * Value layout: block hash (32 bytes), VARINT(offset), VARINT(length).
 */
public record TxLocation(Hash256 blockHash, int offset, int length) {
    public TxLocation {
        java.util.Objects.requireNonNull(blockHash, "blockHash");
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad tx location " + offset + "+" + length);
        }
    }

    public byte[] encode() {
        return new ByteWriter(42).writeHash(blockHash).writeVarInt(offset).writeVarInt(length).toByteArray();
    }

    public static TxLocation decode(byte[] bytes) throws DecodeException {
        ByteReader r = new ByteReader(bytes);
        Hash256 block = r.readHash();
        long offset = r.readVarInt32();
        long length = r.readVarInt32();
        r.expectEnd("tx location");
        if (offset > Integer.MAX_VALUE || length == 0 || length > Integer.MAX_VALUE) {
            throw new DecodeException("tx location out of range: " + offset + "+" + length);
        }
        return new TxLocation(block, (int) offset, (int) length);
    }
}
