package org.jbitcoind.protocol.primitives;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** A reference to one output of an earlier transaction: its txid and output index. */
public record OutPoint(Hash256 txid, int index) {
    public static final int SIZE = 36;
    /** The prevout of a coinbase input: zero hash, index 0xffffffff. */
    public static final OutPoint NULL = new OutPoint(Hash256.ZERO, -1);

    public OutPoint {
        java.util.Objects.requireNonNull(txid, "txid");
    }

    public boolean isNull() {
        return index == -1 && txid.isZero();
    }

    public long indexUnsigned() {
        return Integer.toUnsignedLong(index);
    }

    public static OutPoint read(ByteReader r) throws DecodeException {
        return new OutPoint(r.readHash(), r.readI32LE());
    }

    public void write(ByteWriter w) {
        w.writeHash(txid).writeI32LE(index);
    }

    @Override
    public String toString() {
        return txid + ":" + indexUnsigned();
    }
}
