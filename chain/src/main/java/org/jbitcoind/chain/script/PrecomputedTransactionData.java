package org.jbitcoind.chain.script;

import java.security.MessageDigest;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * A transaction together with the outputs its inputs spend (in input order), and the
 * signature-hash midstates (BIP143, BIP341) computed once for all of its inputs.
 * CONTRACT: constructor and the two accessors are used by consensus code; the script work
 * adds the cached midstates.
 * Thread-safe: the midstates are computed on first use by whichever thread needs them.
 */
public final class PrecomputedTransactionData {
    private final Transaction tx;
    private final List<TxOut> spentOutputs;
    private volatile Midstates midstates;

    /**
     * Single-SHA256 hashes of the transaction's parts (BIP341 uses them directly; BIP143 uses
     * SHA256 of each, i.e. the double hash).
     */
    record Midstates(byte[] prevouts, byte[] sequences, byte[] outputs, byte[] amounts, byte[] scripts,
            byte[] prevouts143, byte[] sequences143, byte[] outputs143) {
    }

    public PrecomputedTransactionData(Transaction tx, List<TxOut> spentOutputs) {
        if (spentOutputs.size() != tx.inputs().size()) {
            throw new IllegalArgumentException("one spent output per input required");
        }
        this.tx = tx;
        this.spentOutputs = List.copyOf(spentOutputs);
    }

    public Transaction tx() {
        return tx;
    }

    public List<TxOut> spentOutputs() {
        return spentOutputs;
    }

    Midstates midstates() {
        Midstates m = midstates;
        if (m == null) {
            m = compute();
            midstates = m;
        }
        return m;
    }

    private Midstates compute() {
        List<TxIn> ins = tx.inputs();
        ByteWriter prevouts = new ByteWriter(ins.size() * 36);
        ByteWriter sequences = new ByteWriter(ins.size() * 4);
        ByteWriter amounts = new ByteWriter(ins.size() * 8);
        ByteWriter scripts = new ByteWriter(ins.size() * 36);
        for (int i = 0; i < ins.size(); i++) {
            TxIn in = ins.get(i);
            in.prevout().write(prevouts);
            sequences.writeU32LE(in.sequence());
            TxOut spent = spentOutputs.get(i);
            amounts.writeI64LE(spent.value());
            scripts.writeVarBytes(spent.scriptPubKey());
        }
        ByteWriter outputs = new ByteWriter(tx.outputs().size() * 40);
        for (TxOut out : tx.outputs()) {
            out.write(outputs);
        }
        byte[] p = sha(prevouts);
        byte[] s = sha(sequences);
        byte[] o = sha(outputs);
        return new Midstates(p, s, o, sha(amounts), sha(scripts), Hashes.sha256(p), Hashes.sha256(s),
                Hashes.sha256(o));
    }

    private static byte[] sha(ByteWriter w) {
        MessageDigest md = Hashes.sha256Digest();
        md.update(w.array(), 0, w.size());
        return md.digest();
    }
}
