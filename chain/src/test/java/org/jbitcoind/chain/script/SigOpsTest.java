package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigOpsTest {
    private static final byte[] MULTISIG_2_OF_3 = ScriptAssembler.assemble(
            "2 0x21 0x" + "02".repeat(33) + " 0x21 0x" + "03".repeat(33) + " 0x21 0x" + "02".repeat(33)
                    + " 3 CHECKMULTISIG");
    private static final int ALL = ScriptFlags.P2SH | ScriptFlags.WITNESS;

    private static Transaction spend(byte[] scriptSig, List<byte[]> witness, byte[] outputScript) {
        TxIn in = new TxIn(new OutPoint(Hashes.hash256Of(new byte[] {1}), 0), scriptSig, TxIn.SEQUENCE_FINAL, witness);
        return new Transaction(2, List.of(in), List.of(new TxOut(1, outputScript)), 0);
    }

    @Test
    void legacyCountsOutputsAndInputsInaccurately() {
        byte[] p2pkh = ScriptAssembler.assemble("DUP HASH160 0x14 0x" + "11".repeat(20) + " EQUALVERIFY CHECKSIG");
        Transaction tx = spend(new byte[0], List.of(), p2pkh);
        assertEquals(1, SigOps.legacySigOpCount(tx));
        Transaction bare = spend(new byte[0], List.of(), MULTISIG_2_OF_3);
        // Outside P2SH, CHECKMULTISIG counts the maximum of 20 keys.
        assertEquals(20, SigOps.legacySigOpCount(bare));
        assertEquals(3, Script.sigOpCount(MULTISIG_2_OF_3, true));
    }

    /** Core's GetSigOpCount: stops at a truncated push; pushed bytes are data, not opcodes. */
    @ParameterizedTest(name = "{0} accurate={1}: {2}")
    @CsvSource({
        "ac, true, 1",
        "acad, false, 2",
        "4c01acac, true, 1",
        "ac4c, true, 1",
        "ac4c05acac, true, 1",
        "ac4d01, true, 1",
        "ac4e010000, true, 1",
        "4d0100acac, true, 1",
        "acae, true, 21",
        "52ae, true, 2",
        "52ae, false, 20",
        "60af, true, 16",
        "'', true, 0",
    })
    void sigOpCountReadsOperations(String hex, boolean accurate, int expected) {
        assertEquals(expected, Script.sigOpCount(Hex.decode(hex), accurate));
    }

    @Test
    void p2shCountsTheRedeemScriptAccurately() {
        byte[] p2sh = StandardScripts.payToScriptHash(Hashes.hash160(MULTISIG_2_OF_3));
        byte[] scriptSig = concat(new byte[] {0}, Script.pushOf(new byte[71]), Script.pushOf(MULTISIG_2_OF_3));
        Transaction tx = spend(scriptSig, List.of(), new byte[0]);
        List<TxOut> spent = List.of(new TxOut(1, p2sh));
        assertEquals(3, SigOps.p2shSigOpCount(tx, spent));
        assertEquals(3 * 4, SigOps.transactionSigOpCost(tx, spent, ALL));
        assertEquals(0, SigOps.transactionSigOpCost(tx, spent, 0));
    }

    @Test
    void witnessSigOpsAreUnscaled() {
        byte[] p2wpkh = StandardScripts.witnessProgram(0, new byte[20]);
        Transaction tx = spend(new byte[0], List.of(new byte[71], new byte[33]), new byte[0]);
        assertEquals(1, SigOps.transactionSigOpCost(tx, List.of(new TxOut(1, p2wpkh)), ALL));
        assertEquals(0, SigOps.transactionSigOpCost(tx, List.of(new TxOut(1, p2wpkh)), ScriptFlags.P2SH));

        byte[] p2wsh = StandardScripts.witnessProgram(0, Hashes.sha256(MULTISIG_2_OF_3));
        Transaction wsh = spend(new byte[0], List.of(new byte[0], new byte[71], MULTISIG_2_OF_3), new byte[0]);
        assertEquals(3, SigOps.transactionSigOpCost(wsh, List.of(new TxOut(1, p2wsh)), ALL));

        // P2SH-wrapped P2WPKH: the scriptSig pushes the witness program.
        Transaction nested = spend(Script.pushOf(p2wpkh), List.of(new byte[71], new byte[33]), new byte[0]);
        byte[] p2sh = StandardScripts.payToScriptHash(Hashes.hash160(p2wpkh));
        assertEquals(1, SigOps.transactionSigOpCost(nested, List.of(new TxOut(1, p2sh)), ALL));
        // Taproot spends count no sigops here (BIP342 uses the validation weight budget instead).
        byte[] p2tr = StandardScripts.witnessProgram(1, new byte[32]);
        assertEquals(0, SigOps.transactionSigOpCost(tx, List.of(new TxOut(1, p2tr)), ALL));
    }

    @Test
    void coinbaseCountsOnlyLegacy() {
        Transaction cb = new Transaction(1, List.of(new TxIn(OutPoint.NULL, new byte[] {1, 1}, TxIn.SEQUENCE_FINAL)),
                List.of(new TxOut(50, ScriptAssembler.assemble("CHECKSIG CHECKSIGVERIFY"))), 0);
        assertEquals(8, SigOps.transactionSigOpCost(cb, List.of(new TxOut(0, new byte[0])), ALL));
        assertEquals(0, SigOps.p2shSigOpCount(cb, List.of(new TxOut(0, new byte[0]))));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
