package org.jbitcoind.chain.script;

import java.security.MessageDigest;
import java.util.Arrays;
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
 *
 * <p>It also remembers, per input, the last ECDSA signature hash and the last HASH160 computed for
 * it: the mempool runs every script twice with one instance (standard flags, then the next block's
 * consensus flags, as Core's ConsensusScriptChecks), and the second pass would otherwise repeat a
 * legacy sighash (a serialization of the whole transaction and a double SHA-256) and a RIPEMD-160
 * of SHA-256 per key. A memo is used only for exactly the same inputs (hash type, sigversion and
 * scriptCode bytes; the same data to hash), so results are identical to recomputing. Memos are
 * immutable and published through plain array slots: a racing thread at worst recomputes.
 */
public final class PrecomputedTransactionData {
    private final Transaction tx;
    private final List<TxOut> spentOutputs;
    private volatile Midstates midstates;
    private final SighashMemo[] sighashMemos;
    private final Hash160Memo[] hash160Memos;

    /** One input's last ECDSA signature hash and what it was computed from. */
    private record SighashMemo(int hashType, SigVersion sigVersion, byte[] scriptCode, byte[] sighash) {
    }

    /** One input's last HASH160 and its preimage. */
    private record Hash160Memo(byte[] data, byte[] hash) {
    }

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
        this.sighashMemos = new SighashMemo[spentOutputs.size()];
        this.hash160Memos = new Hash160Memo[spentOutputs.size()];
    }

    /**
     * The ECDSA signature hash of input {@code nIn} (legacy or BIP143 by {@code sigVersion}),
     * remembered for the next call with the same arguments. Returns a fresh array.
     */
    byte[] ecdsaSighash(int nIn, byte[] scriptCode, int hashType, SigVersion sigVersion) {
        SighashMemo m = sighashMemos[nIn];
        if (m != null && m.hashType() == hashType && m.sigVersion() == sigVersion
                && Arrays.equals(m.scriptCode(), scriptCode)) {
            return m.sighash().clone();
        }
        byte[] sighash = sigVersion == SigVersion.WITNESS_V0
                ? SignatureHash.witnessV0(this, nIn, scriptCode, spentOutputs.get(nIn).value(), hashType)
                : SignatureHash.legacy(tx, nIn, scriptCode, hashType);
        sighashMemos[nIn] = new SighashMemo(hashType, sigVersion, scriptCode.clone(), sighash.clone());
        return sighash;
    }

    /** HASH160 of {@code data} (OP_HASH160 in input {@code nIn}'s scripts), remembered likewise. */
    byte[] hash160(int nIn, byte[] data) {
        Hash160Memo m = hash160Memos[nIn];
        if (m != null && Arrays.equals(m.data(), data)) {
            return m.hash().clone();
        }
        byte[] hash = Hashes.hash160(data);
        hash160Memos[nIn] = new Hash160Memo(data.clone(), hash.clone());
        return hash;
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
