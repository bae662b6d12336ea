package org.jbitcoind.protocol.primitives;

import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;

/**
 * A transaction input: the output it spends, its scriptSig, sequence number and (BIP141)
 * witness stack. The sequence is kept as an unsigned 32-bit value in a long so that the
 * comparisons in BIP68 and locktime rules cannot go wrong on sign.
 */
public record TxIn(OutPoint prevout, byte[] scriptSig, long sequence, List<byte[]> witness) {
    public static final long SEQUENCE_FINAL = 0xffffffffL;

    public TxIn {
        java.util.Objects.requireNonNull(prevout, "prevout");
        java.util.Objects.requireNonNull(scriptSig, "scriptSig");
        witness = List.copyOf(witness);
    }

    public TxIn(OutPoint prevout, byte[] scriptSig, long sequence) {
        this(prevout, scriptSig, sequence, List.of());
    }

    public boolean hasWitness() {
        return !witness.isEmpty();
    }

    public TxIn withWitness(List<byte[]> newWitness) {
        return new TxIn(prevout, scriptSig, sequence, newWitness);
    }

    public TxIn withScriptSig(byte[] newScriptSig) {
        return new TxIn(prevout, newScriptSig, sequence, witness);
    }

    static TxIn readWithoutWitness(ByteReader r) throws DecodeException {
        OutPoint prevout = OutPoint.read(r);
        byte[] scriptSig = r.readVarBytes(r.remaining(), "scriptSig");
        long sequence = r.readU32LE();
        return new TxIn(prevout, scriptSig, sequence, List.of());
    }

    void writeWithoutWitness(ByteWriter w) {
        prevout.write(w);
        w.writeVarBytes(scriptSig).writeU32LE(sequence);
    }

    static List<byte[]> readWitness(ByteReader r) throws DecodeException {
        // Each item takes at least one byte, so the count cannot exceed what is left.
        int n = r.readCount(r.remaining(), "witness item count");
        byte[][] items = new byte[n][];
        for (int i = 0; i < n; i++) {
            items[i] = r.readVarBytes(r.remaining(), "witness item");
        }
        return List.of(items);
    }

    void writeWitness(ByteWriter w) {
        w.writeCompactSize(witness.size());
        for (byte[] item : witness) {
            w.writeVarBytes(item);
        }
    }

    int sizeWithoutWitness() {
        return OutPoint.SIZE + ByteWriter.compactSizeLength(scriptSig.length) + scriptSig.length + 4;
    }

    int witnessSize() {
        int n = ByteWriter.compactSizeLength(witness.size());
        for (byte[] item : witness) {
            n += ByteWriter.compactSizeLength(item.length) + item.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TxIn t) || t.sequence != sequence || !t.prevout.equals(prevout)
                || !Arrays.equals(t.scriptSig, scriptSig) || t.witness.size() != witness.size()) {
            return false;
        }
        for (int i = 0; i < witness.size(); i++) {
            if (!Arrays.equals(witness.get(i), t.witness.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return prevout.hashCode() * 31 + Arrays.hashCode(scriptSig);
    }

    @Override
    public String toString() {
        return "TxIn[" + prevout + ", scriptSig=" + Hex.encode(scriptSig) + ", seq=" + sequence
                + ", witness=" + witness.stream().map(Hex::encode).toList() + "]";
    }
}
