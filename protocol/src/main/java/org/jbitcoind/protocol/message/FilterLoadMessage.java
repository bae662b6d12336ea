package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/** BIP37: install a bloom filter. Oversized filters are malformed by definition. */
public record FilterLoadMessage(byte[] filter, long hashFunctions, long tweak, int flags) implements Message {
    public static final String COMMAND = "filterload";
    public static final int MAX_FILTER_SIZE = 36_000;
    public static final int MAX_HASH_FUNCTIONS = 50;

    @Override
    public String command() {
        return COMMAND;
    }

    public static FilterLoadMessage read(ByteReader r) throws DecodeException {
        byte[] filter = r.readVarBytes(MAX_FILTER_SIZE, "bloom filter");
        long funcs = r.readU32LE();
        if (funcs > MAX_HASH_FUNCTIONS) {
            throw new DecodeException("bloom filter with " + funcs + " hash functions, max " + MAX_HASH_FUNCTIONS);
        }
        return new FilterLoadMessage(filter, funcs, r.readU32LE(), r.readU8());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeVarBytes(filter).writeU32LE(hashFunctions).writeU32LE(tweak).writeU8(flags);
    }
}
