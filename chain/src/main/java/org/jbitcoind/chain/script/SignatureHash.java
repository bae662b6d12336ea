package org.jbitcoind.chain.script;

import java.security.MessageDigest;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;

/** Signature hashes: legacy, BIP143 (segwit v0) and BIP341/342 (taproot). */
public final class SignatureHash {
    /** What the legacy algorithm signs when there is no matching output for SIGHASH_SINGLE (or no such input). */
    private static final byte[] ONE = new byte[32];
    /** BIP143's zero hash; only ever copied into a preimage. */
    private static final byte[] ZERO = new byte[32];

    static {
        ONE[0] = 1;
    }

    /** A reused preimage buffer bigger than this is dropped rather than kept for the thread's life. */
    private static final int MAX_REUSED_PREIMAGE = 16 * 1024;
    /**
     * One preimage writer per thread: a sighash preimage is hashed and dropped, never returned,
     * so the script passes need not allocate one per signature.
     */
    private static final ThreadLocal<ByteWriter> PREIMAGE = ThreadLocal.withInitial(() -> new ByteWriter(512));

    private SignatureHash() {
    }

    /** This thread's preimage writer, emptied; a fresh one when {@code size} would not be worth keeping. */
    private static ByteWriter preimage(int size) {
        if (size > MAX_REUSED_PREIMAGE) {
            return new ByteWriter(size);
        }
        ByteWriter w = PREIMAGE.get();
        if (w.array().length > MAX_REUSED_PREIMAGE) {
            // Grown past the limit by a large message (a taproot ANYONECANPAY spend of a big script).
            w = new ByteWriter(512);
            PREIMAGE.set(w);
        }
        return w.clear();
    }

    /**
     * The original algorithm. {@code scriptCode} is the script after FindAndDelete; its
     * OP_CODESEPARATORs are removed here. Includes the SIGHASH_SINGLE bug: 1 when the input
     * has no output at the same index.
     */
    public static byte[] legacy(Transaction tx, int nIn, byte[] scriptCode, int hashType) {
        if (nIn >= tx.inputs().size()) {
            return ONE.clone();
        }
        int base = hashType & 0x1f;
        boolean none = base == SignatureEncoding.SIGHASH_NONE;
        boolean single = base == SignatureEncoding.SIGHASH_SINGLE;
        boolean anyoneCanPay = (hashType & SignatureEncoding.SIGHASH_ANYONECANPAY) != 0;
        if (single && nIn >= tx.outputs().size()) {
            return ONE.clone();
        }
        List<TxIn> ins = tx.inputs();
        ByteWriter w = preimage(tx.baseSize() + scriptCode.length + 16);
        w.writeI32LE(tx.version());
        int nInputs = anyoneCanPay ? 1 : ins.size();
        w.writeCompactSize(nInputs);
        for (int k = 0; k < nInputs; k++) {
            int i = anyoneCanPay ? nIn : k;
            TxIn in = ins.get(i);
            in.prevout().write(w);
            if (i != nIn) {
                w.writeCompactSize(0);
            } else {
                writeWithoutCodeSeparators(w, scriptCode);
            }
            w.writeU32LE(i != nIn && (none || single) ? 0 : in.sequence());
        }
        int nOutputs = none ? 0 : single ? nIn + 1 : tx.outputs().size();
        w.writeCompactSize(nOutputs);
        for (int i = 0; i < nOutputs; i++) {
            if (single && i != nIn) {
                w.writeI64LE(-1).writeCompactSize(0);
            } else {
                tx.outputs().get(i).write(w);
            }
        }
        w.writeU32LE(tx.lockTime());
        w.writeI32LE(hashType);
        return Hashes.hash256(w.array(), 0, w.size());
    }

    private static void writeWithoutCodeSeparators(ByteWriter w, byte[] script) {
        int separators = 0;
        ScriptReader r = new ScriptReader(script);
        while (r.next()) {
            if (r.opcode() == Opcodes.OP_CODESEPARATOR) {
                separators++;
            }
        }
        w.writeCompactSize(script.length - separators);
        if (separators == 0) {
            w.writeBytes(script);
            return;
        }
        r = new ScriptReader(script);
        int begin = 0;
        while (r.next()) {
            if (r.opcode() == Opcodes.OP_CODESEPARATOR) {
                w.writeBytes(script, begin, r.opStart() - begin);
                begin = r.position();
            }
        }
        w.writeBytes(script, begin, script.length - begin);
    }

    /** BIP143 for segwit v0 inputs. */
    public static byte[] witnessV0(PrecomputedTransactionData txData, int nIn, byte[] scriptCode, long amount,
            int hashType) {
        Transaction tx = txData.tx();
        int base = hashType & 0x1f;
        boolean anyoneCanPay = (hashType & SignatureEncoding.SIGHASH_ANYONECANPAY) != 0;
        boolean singleOrNone = base == SignatureEncoding.SIGHASH_SINGLE || base == SignatureEncoding.SIGHASH_NONE;
        PrecomputedTransactionData.Bip143Midstates m = txData.bip143();
        byte[] zero = ZERO;
        byte[] hashPrevouts = anyoneCanPay ? zero : m.prevouts();
        byte[] hashSequence = anyoneCanPay || singleOrNone ? zero : m.sequences();
        byte[] hashOutputs;
        if (!singleOrNone) {
            hashOutputs = m.outputs();
        } else if (base == SignatureEncoding.SIGHASH_SINGLE && nIn < tx.outputs().size()) {
            ByteWriter o = new ByteWriter(64);
            tx.outputs().get(nIn).write(o);
            hashOutputs = Hashes.hash256(o.array(), 0, o.size());
        } else {
            hashOutputs = zero;
        }
        TxIn in = tx.inputs().get(nIn);
        ByteWriter w = preimage(160 + scriptCode.length);
        w.writeI32LE(tx.version());
        w.writeBytes(hashPrevouts);
        w.writeBytes(hashSequence);
        in.prevout().write(w);
        w.writeVarBytes(scriptCode);
        w.writeI64LE(amount);
        w.writeU32LE(in.sequence());
        w.writeBytes(hashOutputs);
        w.writeU32LE(tx.lockTime());
        w.writeI32LE(hashType);
        return Hashes.hash256(w.array(), 0, w.size());
    }

    /** BIP341 signature message (with the epoch byte) or null for an invalid hash type / missing output. */
    static byte[] taprootMessage(PrecomputedTransactionData txData, int nIn, int hashType, SigVersion sigVersion,
            ExecData exec) {
        ByteWriter w = taprootMessageWriter(txData, nIn, hashType, sigVersion, exec);
        return w == null ? null : w.toByteArray();
    }

    /** The message of {@link #taprootMessage} in a writer, so the sighash can hash it without a copy. */
    private static ByteWriter taprootMessageWriter(PrecomputedTransactionData txData, int nIn, int hashType,
            SigVersion sigVersion, ExecData exec) {
        if (!(hashType <= 0x03 || (hashType >= 0x81 && hashType <= 0x83))) {
            return null;
        }
        Transaction tx = txData.tx();
        int outputType = hashType == SignatureEncoding.SIGHASH_DEFAULT ? SignatureEncoding.SIGHASH_ALL : hashType & 3;
        boolean anyoneCanPay = (hashType & SignatureEncoding.SIGHASH_ANYONECANPAY) != 0;
        ByteWriter w = preimage(256);
        w.writeU8(0); // epoch
        w.writeU8(hashType);
        w.writeI32LE(tx.version());
        w.writeU32LE(tx.lockTime());
        if (!anyoneCanPay) {
            PrecomputedTransactionData.Midstates m = txData.midstates();
            w.writeBytes(m.prevouts()).writeBytes(m.amounts()).writeBytes(m.scripts()).writeBytes(m.sequences());
        }
        if (outputType == SignatureEncoding.SIGHASH_ALL) {
            w.writeBytes(txData.midstates().outputs());
        }
        int extFlag = sigVersion == SigVersion.TAPSCRIPT ? 1 : 0;
        w.writeU8((extFlag << 1) + (exec.annexPresent ? 1 : 0));
        if (anyoneCanPay) {
            TxIn in = tx.inputs().get(nIn);
            in.prevout().write(w);
            txData.spentOutputs().get(nIn).write(w);
            w.writeU32LE(in.sequence());
        } else {
            w.writeU32LE(nIn);
        }
        if (exec.annexPresent) {
            w.writeBytes(exec.annexHash);
        }
        if (outputType == SignatureEncoding.SIGHASH_SINGLE) {
            if (nIn >= tx.outputs().size()) {
                return null;
            }
            if (exec.singleOutputHash == null) {
                ByteWriter o = new ByteWriter(64);
                tx.outputs().get(nIn).write(o);
                exec.singleOutputHash = Hashes.sha256(o.array(), 0, o.size());
            }
            w.writeBytes(exec.singleOutputHash);
        }
        if (sigVersion == SigVersion.TAPSCRIPT) {
            w.writeBytes(exec.tapleafHash);
            w.writeU8(0); // key_version
            w.writeU32LE(exec.codeSeparatorPos);
        }
        return w;
    }

    /** BIP341 sighash: TaggedHash("TapSighash", message), or null when the hash type is invalid. */
    static byte[] taproot(PrecomputedTransactionData txData, int nIn, int hashType, SigVersion sigVersion,
            ExecData exec) {
        ByteWriter msg = taprootMessageWriter(txData, nIn, hashType, sigVersion, exec);
        if (msg == null) {
            return null;
        }
        MessageDigest md = Hashes.taggedDigest("TapSighash");
        md.update(msg.array(), 0, msg.size());
        return md.digest();
    }

    /** BIP341 key-path sighash without annex (for signing tools and tests). */
    public static byte[] taprootKeyPath(PrecomputedTransactionData txData, int nIn, int hashType) {
        return taproot(txData, nIn, hashType, SigVersion.TAPROOT, new ExecData());
    }

    /** The key-path signature message (with the epoch byte), as BIP341's test vectors list it. */
    public static byte[] taprootKeyPathMessage(PrecomputedTransactionData txData, int nIn, int hashType) {
        return taprootMessage(txData, nIn, hashType, SigVersion.TAPROOT, new ExecData());
    }

    /** BIP342 script-path sighash for a leaf without OP_CODESEPARATOR and without annex (for signing tools). */
    public static byte[] taprootScriptPath(PrecomputedTransactionData txData, int nIn, int hashType, byte[] tapleafHash) {
        ExecData exec = new ExecData();
        exec.tapleafHash = tapleafHash.clone();
        return taproot(txData, nIn, hashType, SigVersion.TAPSCRIPT, exec);
    }
}
