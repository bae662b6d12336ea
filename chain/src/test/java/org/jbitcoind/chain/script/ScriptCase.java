package org.jbitcoind.chain.script;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.fuzz.FuzzBytes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * One input spend as the script fuzz target reads it: flags, the spending transaction's fields
 * that scripts can observe (version, lock time, sequence, amount, number of outputs), and the
 * scriptSig, scriptPubKey and witness. The transactions are built like Core's script_tests
 * (a crediting transaction with one output, spent by a one-input transaction).
 *
 * <p>Layout: u32 flags, u32 otherFlags, i32 version, u32 lockTime, u32 sequence, i64 amount,
 * u8 outputs, u16-prefixed scriptSig, u16-prefixed scriptPubKey, u8 witness count, then each
 * witness item u16-prefixed (see {@link FuzzBytes}).
 */
record ScriptCase(int flags, int otherFlags, int version, long lockTime, long sequence, long amount, int outputs,
        byte[] scriptSig, byte[] scriptPubKey, List<byte[]> witness) {
    /** Every SCRIPT_VERIFY_* bit {@link ScriptFlags} defines. */
    static final int ALL_FLAGS = (ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE << 1) - 1;
    /** At most three outputs, so SIGHASH_SINGLE sees both a matching and a missing output. */
    private static final int MAX_OUTPUTS = 3;

    static ScriptCase decode(byte[] input) {
        FuzzBytes in = new FuzzBytes(input);
        int flags = in.i32() & ALL_FLAGS;
        int otherFlags = in.i32() & ALL_FLAGS;
        int version = in.i32();
        long lockTime = in.i32() & 0xffffffffL;
        long sequence = in.i32() & 0xffffffffL;
        long amount = in.i64();
        int outputs = in.u8() % (MAX_OUTPUTS + 1);
        byte[] scriptSig = in.bytes16();
        byte[] scriptPubKey = in.bytes16();
        int items = in.u8();
        List<byte[]> witness = new ArrayList<>();
        for (int i = 0; i < items && !in.exhausted(); i++) {
            witness.add(in.bytes16());
        }
        return new ScriptCase(flags, otherFlags, version, lockTime, sequence, amount, outputs, scriptSig,
                scriptPubKey, witness);
    }

    byte[] encode() {
        ByteWriter w = new ByteWriter();
        w.writeI32LE(flags).writeI32LE(otherFlags).writeI32LE(version).writeU32LE(lockTime).writeU32LE(sequence)
                .writeI64LE(amount).writeU8(outputs);
        w.writeU16LE(scriptSig.length).writeBytes(scriptSig);
        w.writeU16LE(scriptPubKey.length).writeBytes(scriptPubKey);
        w.writeU8(witness.size());
        for (byte[] item : witness) {
            w.writeU16LE(item.length).writeBytes(item);
        }
        return w.toByteArray();
    }

    ScriptCase withSpend(byte[] newScriptSig, List<byte[]> newWitness) {
        return new ScriptCase(flags, otherFlags, version, lockTime, sequence, amount, outputs, newScriptSig,
                scriptPubKey, newWitness);
    }

    ScriptCase withFlags(int newFlags) {
        return new ScriptCase(newFlags, otherFlags, version, lockTime, sequence, amount, outputs, scriptSig,
                scriptPubKey, witness);
    }

    /** The spending transaction with the output it spends. */
    PrecomputedTransactionData txData() {
        TxOut credited = new TxOut(amount, scriptPubKey);
        Transaction credit = new Transaction(1, List.of(new TxIn(OutPoint.NULL, new byte[] {0, 0}, TxIn.SEQUENCE_FINAL)),
                List.of(credited), 0);
        List<TxOut> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add(new TxOut(amount, new byte[] {(byte) (Opcodes.OP_1 + i)}));
        }
        Transaction spend = new Transaction(version,
                List.of(new TxIn(new OutPoint(credit.txid(), 0), scriptSig, sequence, witness)), outs, lockTime);
        return new PrecomputedTransactionData(spend, List.of(credited));
    }

    /** Core's IsValidFlagCombination: the combinations VerifyScript is defined for. */
    static boolean isValidCombination(int flags) {
        if ((flags & ScriptFlags.CLEANSTACK) != 0
                && (~flags & (ScriptFlags.P2SH | ScriptFlags.WITNESS)) != 0) {
            return false;
        }
        return (flags & ScriptFlags.WITNESS) == 0 || (flags & ScriptFlags.P2SH) != 0;
    }
}
