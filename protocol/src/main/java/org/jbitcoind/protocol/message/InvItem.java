package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** One inventory vector: a type and a hash. */
public record InvItem(int type, Hash256 hash) {
    public static final int ERROR = 0;
    public static final int MSG_TX = 1;
    public static final int MSG_BLOCK = 2;
    /** BIP37. */
    public static final int MSG_FILTERED_BLOCK = 3;
    /** BIP152. */
    public static final int MSG_CMPCT_BLOCK = 4;
    /** BIP339. */
    public static final int MSG_WTX = 5;
    /** BIP144: ask for the witness serialization. */
    public static final int MSG_WITNESS_FLAG = 1 << 30;
    public static final int MSG_WITNESS_TX = MSG_TX | MSG_WITNESS_FLAG;
    public static final int MSG_WITNESS_BLOCK = MSG_BLOCK | MSG_WITNESS_FLAG;
    public static final int SIZE = 36;

    public static InvItem read(ByteReader r) throws DecodeException {
        return new InvItem(r.readI32LE(), r.readHash());
    }

    public void write(ByteWriter w) {
        w.writeI32LE(type).writeHash(hash);
    }

    /** The type without the witness flag. */
    public int baseType() {
        return type & ~MSG_WITNESS_FLAG;
    }

    public boolean wantsWitness() {
        return (type & MSG_WITNESS_FLAG) != 0;
    }
}
