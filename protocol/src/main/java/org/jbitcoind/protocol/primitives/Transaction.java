package org.jbitcoind.protocol.primitives;

import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * An immutable transaction with legacy and BIP144 (segwit) serialization. A transaction read from
 * bytes gets its txid, wtxid and sizes from those very bytes while they are at hand (as Core's
 * CTransaction hashes on construction): the decoder accepts only the canonical encoding, so they are
 * what serializing it would give. One built from parts computes them on first use and caches them.
 */
public final class Transaction {
    /** BIP141: weight = base size * 3 + total size. */
    public static final int WITNESS_SCALE_FACTOR = 4;
    private static final int MIN_TXIN_SIZE = OutPoint.SIZE + 1 + 4;
    private static final int MIN_TXOUT_SIZE = 8 + 1;

    private final int version;
    private final List<TxIn> inputs;
    private final List<TxOut> outputs;
    private final long lockTime;

    private Hash256 txid;
    private Hash256 wtxid;
    private int baseSize = -1;
    private int totalSize = -1;

    public Transaction(int version, List<TxIn> inputs, List<TxOut> outputs, long lockTime) {
        this.version = version;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.lockTime = lockTime;
    }

    /** A decoded transaction with its hashes and sizes, taken from the bytes it was read from. */
    private Transaction(int version, List<TxIn> inputs, List<TxOut> outputs, long lockTime, Hash256 txid,
            Hash256 wtxid, int baseSize, int totalSize) {
        this.version = version;
        this.inputs = inputs;
        this.outputs = outputs;
        this.lockTime = lockTime;
        this.txid = txid;
        this.wtxid = wtxid;
        this.baseSize = baseSize;
        this.totalSize = totalSize;
    }

    public int version() {
        return version;
    }

    public List<TxIn> inputs() {
        return inputs;
    }

    public List<TxOut> outputs() {
        return outputs;
    }

    /** nLockTime as an unsigned 32-bit value. */
    public long lockTime() {
        return lockTime;
    }

    public boolean isCoinbase() {
        return inputs.size() == 1 && inputs.get(0).prevout().isNull();
    }

    public boolean hasWitness() {
        for (TxIn in : inputs) {
            if (in.hasWitness()) {
                return true;
            }
        }
        return false;
    }

    public Hash256 txid() {
        Hash256 h = txid;
        if (h == null) {
            if (!hasWitness()) {
                h = wtxid();
            } else {
                ByteWriter w = new ByteWriter(baseSize());
                write(w, false);
                h = Hashes.hash256Of(w.array(), 0, w.size());
            }
            txid = h;
        }
        return h;
    }

    public Hash256 wtxid() {
        Hash256 h = wtxid;
        if (h == null) {
            ByteWriter w = new ByteWriter(totalSize());
            write(w, true);
            h = Hashes.hash256Of(w.array(), 0, w.size());
            wtxid = h;
        }
        return h;
    }

    /** Size without witness data ("stripped size"). */
    public int baseSize() {
        if (baseSize < 0) {
            int n = 8 + ByteWriter.compactSizeLength(inputs.size()) + ByteWriter.compactSizeLength(outputs.size());
            for (TxIn in : inputs) {
                n += in.sizeWithoutWitness();
            }
            for (TxOut out : outputs) {
                n += out.serializedSize();
            }
            baseSize = n;
        }
        return baseSize;
    }

    /** Serialized size with witness data, as sent on the wire to witness peers. */
    public int totalSize() {
        if (totalSize < 0) {
            int n = baseSize();
            if (hasWitness()) {
                n += 2;
                for (TxIn in : inputs) {
                    n += in.witnessSize();
                }
            }
            totalSize = n;
        }
        return totalSize;
    }

    public int weight() {
        return baseSize() * (WITNESS_SCALE_FACTOR - 1) + totalSize();
    }

    /** Virtual size: weight / 4 rounded up (BIP141). */
    public int vsize() {
        return (weight() + WITNESS_SCALE_FACTOR - 1) / WITNESS_SCALE_FACTOR;
    }

    public byte[] serialize() {
        ByteWriter w = new ByteWriter(totalSize());
        write(w, true);
        return w.toByteArray();
    }

    public byte[] serializeWithoutWitness() {
        ByteWriter w = new ByteWriter(baseSize());
        write(w, false);
        return w.toByteArray();
    }

    /** Writes the transaction; with {@code withWitness}, uses BIP144 form when it has witness data. */
    public void write(ByteWriter w, boolean withWitness) {
        boolean segwit = withWitness && hasWitness();
        w.writeI32LE(version);
        if (segwit) {
            w.writeU8(0).writeU8(1);
        }
        w.writeCompactSize(inputs.size());
        for (TxIn in : inputs) {
            in.writeWithoutWitness(w);
        }
        w.writeCompactSize(outputs.size());
        for (TxOut out : outputs) {
            out.write(w);
        }
        if (segwit) {
            for (TxIn in : inputs) {
                in.writeWitness(w);
            }
        }
        w.writeU32LE(lockTime);
    }

    public static Transaction deserialize(byte[] bytes) throws DecodeException {
        ByteReader r = new ByteReader(bytes);
        Transaction tx = read(r);
        r.expectEnd("transaction");
        return tx;
    }

    /**
     * Reads one transaction, accepting both forms. As Core does, an empty input list followed by
     * a non-zero flag byte starts the BIP144 extended form; witness data that turns out empty,
     * or unknown flag bits, are rejected. The hashes and sizes come from the bytes just read.
     */
    public static Transaction read(ByteReader r) throws DecodeException {
        int start = r.position();
        int version = r.readI32LE();
        int flags = 0;
        TxIn[] inputs = readInputs(r);
        TxOut[] outputs;
        if (inputs.length == 0) {
            flags = r.readU8();
            if (flags != 0) {
                inputs = readInputs(r);
                outputs = readOutputs(r);
            } else {
                outputs = NO_OUTPUTS;
            }
        } else {
            outputs = readOutputs(r);
        }
        int witnessStart = r.position();
        boolean segwit = (flags & 1) != 0;
        if (segwit) {
            flags ^= 1;
            readWitnesses(r, inputs);
        }
        if (flags != 0) {
            throw new DecodeException("unknown transaction optional data");
        }
        long lockTime = r.readU32LE();
        int end = r.position();
        byte[] buf = r.array();
        Hash256 wtxid = Hashes.hash256Of(buf, start, end - start);
        if (!segwit) {
            return new Transaction(version, List.of(inputs), List.of(outputs), lockTime, wtxid, wtxid,
                    end - start, end - start);
        }
        // BIP144 form: the txid covers the version, the inputs and outputs, and the lock time,
        // skipping the marker and flag bytes and the witnesses.
        int middle = witnessStart - (start + 6);
        Hash256 txid = Hashes.hash256Of(buf, start, 4, buf, start + 6, middle, buf, end - 4, 4);
        return new Transaction(version, List.of(inputs), List.of(outputs), lockTime, txid, wtxid,
                4 + middle + 4, end - start);
    }

    private static final TxOut[] NO_OUTPUTS = new TxOut[0];

    private static TxIn[] readInputs(ByteReader r) throws DecodeException {
        int n = r.readCount(r.remaining() / MIN_TXIN_SIZE, "input count");
        TxIn[] ins = new TxIn[n];
        for (int i = 0; i < n; i++) {
            ins[i] = TxIn.readWithoutWitness(r);
        }
        return ins;
    }

    private static TxOut[] readOutputs(ByteReader r) throws DecodeException {
        int n = r.readCount(r.remaining() / MIN_TXOUT_SIZE, "output count");
        TxOut[] outs = new TxOut[n];
        for (int i = 0; i < n; i++) {
            outs[i] = TxOut.read(r);
        }
        return outs;
    }

    /** Gives each input its witness stack, in place; at least one must be non-empty (BIP144). */
    private static void readWitnesses(ByteReader r, TxIn[] inputs) throws DecodeException {
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) {
            List<byte[]> witness = TxIn.readWitness(r);
            if (!witness.isEmpty()) {
                any = true;
                inputs[i] = inputs[i].withWitness(witness);
            }
        }
        if (!any) {
            throw new DecodeException("superfluous witness record");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && t.wtxid().equals(wtxid());
    }

    @Override
    public int hashCode() {
        return wtxid().hashCode();
    }

    @Override
    public String toString() {
        return "Transaction[" + txid() + "]";
    }
}
