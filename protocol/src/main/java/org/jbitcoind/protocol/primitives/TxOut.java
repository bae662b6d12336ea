package org.jbitcoind.protocol.primitives;

import java.util.Arrays;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;

/** A transaction output: an amount in satoshis locked by a scriptPubKey. */
public record TxOut(long value, byte[] scriptPubKey) {
    public TxOut {
        java.util.Objects.requireNonNull(scriptPubKey, "scriptPubKey");
    }

    public static TxOut read(ByteReader r) throws DecodeException {
        long value = r.readI64LE();
        byte[] script = r.readVarBytes(r.remaining(), "scriptPubKey");
        return new TxOut(value, script);
    }

    public void write(ByteWriter w) {
        w.writeI64LE(value).writeVarBytes(scriptPubKey);
    }

    public int serializedSize() {
        return 8 + ByteWriter.compactSizeLength(scriptPubKey.length) + scriptPubKey.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TxOut t && t.value == value && Arrays.equals(t.scriptPubKey, scriptPubKey);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value) * 31 + Arrays.hashCode(scriptPubKey);
    }

    @Override
    public String toString() {
        return "TxOut[value=" + value + ", script=" + Hex.encode(scriptPubKey) + "]";
    }
}
