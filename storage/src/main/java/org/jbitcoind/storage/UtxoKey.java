package org.jbitcoind.storage;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.OutPoint;

/**
 * Key of the UTXO column family: txid in internal byte order, then VARINT(vout), the bytes Core's
 * chainstate uses after its 'C' prefix. RocksDB's bytewise order therefore groups a transaction's
 * outputs together and orders transactions exactly as Core's coins cursor does.
 */
public final class UtxoKey {
    private UtxoKey() {
    }

    public static byte[] encode(OutPoint outPoint) {
        int size = 32 + ByteWriter.varIntLength(outPoint.indexUnsigned());
        ByteWriter w = new ByteWriter(size);
        w.writeHash(outPoint.txid());
        w.writeVarInt(outPoint.indexUnsigned());
        // Sized exactly: the writer's array is the key, without a copy.
        return w.size() == size && w.array().length == size ? w.array() : w.toByteArray();
    }

    public static OutPoint decode(byte[] key) throws DecodeException {
        ByteReader r = new ByteReader(key);
        OutPoint p = new OutPoint(r.readHash(), (int) r.readVarInt32());
        r.expectEnd("UTXO key");
        return p;
    }
}
