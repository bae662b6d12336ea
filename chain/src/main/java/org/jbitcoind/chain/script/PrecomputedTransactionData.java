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
    private volatile Parts parts;
    private volatile Bip143Midstates bip143;
    private volatile Midstates midstates;
    private final SighashMemo[] sighashMemos;
    private final Hash160Memo[] hash160Memos;

    /** One input's last ECDSA signature hash and what it was computed from. */
    private record SighashMemo(int hashType, SigVersion sigVersion, byte[] scriptCode, byte[] sighash) {
    }

    /** One input's last HASH160 and its preimage. */
    private record Hash160Memo(byte[] data, byte[] hash) {
    }

    /** Single-SHA256 hashes of the parts of the transaction both BIP143 and BIP341 commit to. */
    private record Parts(byte[] prevouts, byte[] sequences, byte[] outputs) {
    }

    /** BIP143's hashPrevouts, hashSequence and hashOutputs: double SHA-256 of the transaction's parts. */
    record Bip143Midstates(byte[] prevouts, byte[] sequences, byte[] outputs) {
    }

    /** BIP341's single-SHA256 hashes of the transaction's parts and of the outputs its inputs spend. */
    record Midstates(byte[] prevouts, byte[] sequences, byte[] outputs, byte[] amounts, byte[] scripts) {
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

    /**
     * Computes BIP143's midstates now unless done already. Script checks call this before running
     * a witness input's scripts: with its own branch profile, {@link #bip143()} inside the
     * signature path then never takes its compute branch, and C2 leaves the computation out of
     * that (much larger) compiled code.
     */
    void prepareBip143() {
        if (bip143 == null) {
            bip143 = computeBip143();
        }
    }

    /** BIP143's midstates, computed on first use (segwit v0 inputs only; legacy inputs never need them). */
    Bip143Midstates bip143() {
        Bip143Midstates m = bip143;
        if (m == null) {
            m = computeBip143();
            bip143 = m;
        }
        return m;
    }

    /** BIP341's midstates, computed on first use (taproot inputs only). */
    Midstates midstates() {
        Midstates m = midstates;
        if (m == null) {
            m = computeBip341();
            midstates = m;
        }
        return m;
    }

    private Parts parts() {
        Parts p = parts;
        if (p == null) {
            p = computeParts();
            parts = p;
        }
        return p;
    }

    // The computations below hash in loops rather than call by call: every hash call site is an
    // inlined copy of the JDK digest code for C2, and these run once per transaction.

    private Parts computeParts() {
        List<TxIn> ins = tx.inputs();
        ByteWriter prevouts = new ByteWriter(ins.size() * 36);
        ByteWriter sequences = new ByteWriter(ins.size() * 4);
        for (TxIn in : ins) {
            in.prevout().write(prevouts);
            sequences.writeU32LE(in.sequence());
        }
        ByteWriter outputs = new ByteWriter(tx.outputs().size() * 40);
        for (TxOut out : tx.outputs()) {
            out.write(outputs);
        }
        byte[][] h = shaEach(prevouts, sequences, outputs);
        return new Parts(h[0], h[1], h[2]);
    }

    private Bip143Midstates computeBip143() {
        Parts p = parts();
        byte[][] h = shaEach(new ByteWriter(32).writeBytes(p.prevouts()), new ByteWriter(32).writeBytes(p.sequences()),
                new ByteWriter(32).writeBytes(p.outputs()));
        return new Bip143Midstates(h[0], h[1], h[2]);
    }

    private Midstates computeBip341() {
        Parts p = parts();
        ByteWriter amounts = new ByteWriter(spentOutputs.size() * 8);
        ByteWriter scripts = new ByteWriter(spentOutputs.size() * 36);
        for (TxOut spent : spentOutputs) {
            amounts.writeI64LE(spent.value());
            scripts.writeVarBytes(spent.scriptPubKey());
        }
        byte[][] h = shaEach(amounts, scripts);
        return new Midstates(p.prevouts(), p.sequences(), p.outputs(), h[0], h[1]);
    }

    private static byte[][] shaEach(ByteWriter... writers) {
        byte[][] out = new byte[writers.length][];
        for (int i = 0; i < writers.length; i++) {
            out[i] = sha(writers[i]);
        }
        return out;
    }

    private static byte[] sha(ByteWriter w) {
        MessageDigest md = Hashes.sha256Digest();
        md.update(w.array(), 0, w.size());
        return md.digest();
    }
}
