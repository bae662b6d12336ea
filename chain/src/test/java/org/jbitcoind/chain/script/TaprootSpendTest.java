package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;

/** BIP341/342 rules the Core vector files barely cover: key path with annex, tapscript signatures, limits. */
class TaprootSpendTest {
    private static final int FLAGS = ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.TAPROOT;
    private static final byte[] INTERNAL_SEC = Hashes.sha256("internal".getBytes());
    private static final byte[] SEC1 = Hashes.sha256("key one".getBytes());
    private static final byte[] SEC2 = Hashes.sha256("key two".getBytes());
    private static final byte[] PK1 = Signer.xOnlyPublicKey(SEC1);
    private static final byte[] PK2 = Signer.xOnlyPublicKey(SEC2);
    private static final byte[] AUX = new byte[32];

    /** A P2TR output committing to one leaf, and a transaction spending it. */
    private static final class Fixture {
        final byte[] script;
        final int leafVersion;
        final byte[] internal = Signer.xOnlyPublicKey(INTERNAL_SEC);
        final byte[] leafHash;
        final byte[] tweak;
        final byte[] outputKey;
        final int parity;
        final TxOut spent;

        Fixture(byte[] script, int leafVersion) {
            this.script = script;
            this.leafVersion = leafVersion;
            this.leafHash = Taproot.leafHash(leafVersion, script);
            this.tweak = Taproot.tweakHash(internal, leafHash);
            byte[] q = Secp256k1Provider.get().tweakXOnly(internal, tweak);
            this.parity = q[0];
            this.outputKey = Arrays.copyOfRange(q, 1, 33);
            this.spent = new TxOut(50_000, StandardScripts.witnessProgram(1, outputKey));
        }

        byte[] control() {
            byte[] cb = new byte[33];
            cb[0] = (byte) (leafVersion | parity);
            System.arraycopy(internal, 0, cb, 1, 32);
            return cb;
        }

        PrecomputedTransactionData tx(List<byte[]> witness) {
            TxIn in = new TxIn(new OutPoint(Hashes.hash256Of(new byte[] {7}), 1), new byte[0], 0xfffffffeL, witness);
            Transaction tx = new Transaction(2, List.of(in), List.of(new TxOut(40_000, new byte[] {0x51})), 0);
            return new PrecomputedTransactionData(tx, List.of(spent));
        }

        byte[] sign(byte[] sec, int hashType, long codeSeparatorPos, byte[] annex) {
            ExecData e = new ExecData();
            e.tapleafHash = leafHash;
            e.codeSeparatorPos = codeSeparatorPos;
            setAnnex(e, annex);
            byte[] sighash = SignatureHash.taproot(tx(List.of()), 0, hashType, SigVersion.TAPSCRIPT, e);
            return withHashType(Signer.signSchnorr(sec, sighash, AUX), hashType);
        }

        byte[] signKeyPath(int hashType, byte[] annex) {
            ExecData e = new ExecData();
            setAnnex(e, annex);
            byte[] sighash = SignatureHash.taproot(tx(List.of()), 0, hashType, SigVersion.TAPROOT, e);
            return withHashType(Signer.signSchnorr(Signer.tweakSecretKey(INTERNAL_SEC, tweak), sighash, AUX), hashType);
        }

        /** Runs the script path with the given stack items (bottom first), script and control block appended. */
        ScriptError spendScript(int flags, byte[]... items) {
            List<byte[]> w = new ArrayList<>(List.of(items));
            w.add(script);
            w.add(control());
            return verify(w, flags);
        }

        ScriptError verify(List<byte[]> witness, int flags) {
            return new ScriptVerifier().verify(tx(witness), 0, flags);
        }
    }

    private static void setAnnex(ExecData e, byte[] annex) {
        if (annex != null) {
            ByteWriter w = new ByteWriter();
            w.writeVarBytes(annex);
            e.annexPresent = true;
            e.annexHash = Hashes.sha256(w.toByteArray());
        }
    }

    private static byte[] withHashType(byte[] sig64, int hashType) {
        if (hashType == SignatureEncoding.SIGHASH_DEFAULT) {
            return sig64;
        }
        byte[] out = Arrays.copyOf(sig64, 65);
        out[64] = (byte) hashType;
        return out;
    }

    private static byte[] checksig(byte[] pk) {
        return ScriptAssembler.assemble("0x20 0x" + org.jbitcoind.protocol.codec.Hex.encode(pk) + " CHECKSIG");
    }

    private static final long NO_SEPARATOR = 0xffffffffL;

    @Test
    void keyPathWithAndWithoutAnnex() {
        Fixture f = new Fixture(checksig(PK1), Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.OK, f.verify(List.of(f.signKeyPath(0, null)), FLAGS));
        assertEquals(ScriptError.OK, f.verify(List.of(f.signKeyPath(0x81, null)), FLAGS));
        byte[] annex = {0x50, 1, 2, 3};
        assertEquals(ScriptError.OK, f.verify(List.of(f.signKeyPath(0, annex), annex), FLAGS));
        // The annex is signed: a signature made without it does not verify with it.
        assertEquals(ScriptError.SCHNORR_SIG, f.verify(List.of(f.signKeyPath(0, null), annex), FLAGS));
        // Without the TAPROOT flag, v1 programs are anyone-can-spend.
        assertEquals(ScriptError.OK, f.verify(List.of(new byte[64]), ScriptFlags.P2SH | ScriptFlags.WITNESS));
        assertEquals(ScriptError.WITNESS_PROGRAM_WITNESS_EMPTY, f.verify(List.of(), FLAGS));
    }

    @Test
    void schnorrSignatureEncoding() {
        Fixture f = new Fixture(checksig(PK1), Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.OK, f.spendScript(FLAGS, f.sign(SEC1, 0, NO_SEPARATOR, null)));
        assertEquals(ScriptError.OK, f.spendScript(FLAGS, f.sign(SEC1, 0x83, NO_SEPARATOR, null)));
        byte[] explicitDefault = Arrays.copyOf(f.sign(SEC1, 0, NO_SEPARATOR, null), 65);
        assertEquals(ScriptError.SCHNORR_SIG_HASHTYPE, f.spendScript(FLAGS, explicitDefault));
        byte[] undefined = f.sign(SEC1, 0x01, NO_SEPARATOR, null);
        undefined[64] = 0x04;
        assertEquals(ScriptError.SCHNORR_SIG_HASHTYPE, f.spendScript(FLAGS, undefined));
        assertEquals(ScriptError.SCHNORR_SIG_SIZE, f.spendScript(FLAGS, new byte[63]));
        byte[] bad = f.sign(SEC1, 0, NO_SEPARATOR, null);
        bad[5] ^= 1;
        assertEquals(ScriptError.SCHNORR_SIG, f.spendScript(FLAGS, bad));
        assertEquals(ScriptError.SCHNORR_SIG, f.spendScript(FLAGS, f.sign(SEC2, 0, NO_SEPARATOR, null)));
        // An empty signature is a failed check, not an error.
        assertEquals(ScriptError.EVAL_FALSE, f.spendScript(FLAGS, new byte[0]));
    }

    @Test
    void checkSigAddCountsValidSignatures() {
        byte[] script = ScriptAssembler.assemble("0x20 0x" + org.jbitcoind.protocol.codec.Hex.encode(PK1)
                + " CHECKSIG 0x20 0x" + org.jbitcoind.protocol.codec.Hex.encode(PK2) + " CHECKSIGADD 2 NUMEQUAL");
        Fixture f = new Fixture(script, Taproot.LEAF_TAPSCRIPT);
        byte[] s1 = f.sign(SEC1, 0, NO_SEPARATOR, null);
        byte[] s2 = f.sign(SEC2, 0, NO_SEPARATOR, null);
        assertEquals(ScriptError.OK, f.spendScript(FLAGS, s2, s1));
        assertEquals(ScriptError.EVAL_FALSE, f.spendScript(FLAGS, new byte[0], s1));
        assertEquals(ScriptError.SCHNORR_SIG, f.spendScript(FLAGS, s1, s2));
    }

    @Test
    void codeSeparatorPositionIsSigned() {
        byte[] script = ScriptAssembler.assemble(
                "CODESEPARATOR 0x20 0x" + org.jbitcoind.protocol.codec.Hex.encode(PK1) + " CHECKSIG");
        Fixture f = new Fixture(script, Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.OK, f.spendScript(FLAGS, f.sign(SEC1, 0, 0, null)));
        assertEquals(ScriptError.SCHNORR_SIG, f.spendScript(FLAGS, f.sign(SEC1, 0, NO_SEPARATOR, null)));
    }

    @Test
    void scriptPathWithAnnex() {
        Fixture f = new Fixture(checksig(PK1), Taproot.LEAF_TAPSCRIPT);
        byte[] annex = {0x50};
        List<byte[]> w = List.of(f.sign(SEC1, 0, NO_SEPARATOR, annex), f.script, f.control(), annex);
        assertEquals(ScriptError.OK, f.verify(w, FLAGS));
        List<byte[]> unsignedAnnex = List.of(f.sign(SEC1, 0, NO_SEPARATOR, null), f.script, f.control(), annex);
        assertEquals(ScriptError.SCHNORR_SIG, f.verify(unsignedAnnex, FLAGS));
    }

    @Test
    void controlBlockChecks() {
        Fixture f = new Fixture(checksig(PK1), Taproot.LEAF_TAPSCRIPT);
        byte[] sig = f.sign(SEC1, 0, NO_SEPARATOR, null);
        assertEquals(ScriptError.TAPROOT_WRONG_CONTROL_SIZE,
                f.verify(List.of(sig, f.script, Arrays.copyOf(f.control(), 34)), FLAGS));
        assertEquals(ScriptError.TAPROOT_WRONG_CONTROL_SIZE,
                f.verify(List.of(sig, f.script, Arrays.copyOf(f.control(), 32)), FLAGS));
        byte[] wrongParity = f.control();
        wrongParity[0] ^= 1;
        assertEquals(ScriptError.WITNESS_PROGRAM_MISMATCH, f.verify(List.of(sig, f.script, wrongParity), FLAGS));
        // A path node that is not in the tree changes the root.
        byte[] longer = Arrays.copyOf(f.control(), 65);
        assertEquals(ScriptError.WITNESS_PROGRAM_MISMATCH, f.verify(List.of(sig, f.script, longer), FLAGS));
    }

    @Test
    void upgradableLeafVersionsAndOpSuccess() {
        Fixture future = new Fixture(new byte[] {0x6a}, 0xc2);
        assertEquals(ScriptError.OK, future.spendScript(FLAGS));
        assertEquals(ScriptError.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION,
                future.spendScript(FLAGS | ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION));

        // OP_SUCCESS80 wins even over a later unparseable push and a failing OP_RETURN.
        Fixture success = new Fixture(new byte[] {0x6a, 0x50, 0x4c}, Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.OK, success.spendScript(FLAGS));
        assertEquals(ScriptError.DISCOURAGE_OP_SUCCESS,
                success.spendScript(FLAGS | ScriptFlags.DISCOURAGE_OP_SUCCESS));
        // ...but not over an unparseable push before it.
        Fixture broken = new Fixture(new byte[] {0x4c, 0x50}, Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.BAD_OPCODE, broken.spendScript(FLAGS));
        // OP_CAT is OP_SUCCESS126 in tapscript, not a disabled opcode.
        Fixture cat = new Fixture(new byte[] {0x7e}, Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.OK, cat.spendScript(FLAGS));
    }

    @Test
    void tapscriptOnlyRules() {
        Fixture multisig = new Fixture(ScriptAssembler.assemble("0 0 0 CHECKMULTISIG"), Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.TAPSCRIPT_CHECKMULTISIG, multisig.spendScript(FLAGS));
        Fixture minimalIf = new Fixture(ScriptAssembler.assemble("IF 1 ELSE 1 ENDIF"), Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.TAPSCRIPT_MINIMALIF, minimalIf.spendScript(FLAGS, new byte[] {2}));
        assertEquals(ScriptError.TAPSCRIPT_MINIMALIF, minimalIf.spendScript(FLAGS, new byte[] {1, 0}));
        assertEquals(ScriptError.OK, minimalIf.spendScript(FLAGS, new byte[] {1}));
        assertEquals(ScriptError.OK, minimalIf.spendScript(FLAGS, new byte[0]));

        Fixture emptyKey = new Fixture(ScriptAssembler.assemble("0 CHECKSIG"), Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.TAPSCRIPT_EMPTY_PUBKEY, emptyKey.spendScript(FLAGS, new byte[64]));
        // A 33-byte key is an unknown key type: any non-empty signature passes, for future soft forks.
        Fixture unknownKey = new Fixture(ScriptAssembler.assemble("0x21 0x" + "02".repeat(33) + " CHECKSIG"),
                Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.OK, unknownKey.spendScript(FLAGS, new byte[] {1}));
        assertEquals(ScriptError.DISCOURAGE_UPGRADABLE_PUBKEYTYPE,
                unknownKey.spendScript(FLAGS | ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE, new byte[] {1}));
        // Tapscript has no 201-opcode limit.
        Fixture manyOps = new Fixture(ScriptAssembler.assemble("NOP ".repeat(300) + "1"), Taproot.LEAF_TAPSCRIPT);
        assertEquals(ScriptError.OK, manyOps.spendScript(FLAGS));
    }

    /** BIP342: each signature check costs 50 out of a budget of witness size + 50. */
    @Test
    void validationWeightBudget() {
        assertEquals(ScriptError.OK, repeatedChecks(10)); // witness 452 bytes: budget 502, cost 500
        assertEquals(ScriptError.TAPSCRIPT_VALIDATION_WEIGHT, repeatedChecks(11)); // budget 537, cost 550
    }

    private static ScriptError repeatedChecks(int n) {
        String pk = org.jbitcoind.protocol.codec.Hex.encode(PK1);
        String asm = ("DUP 0x20 0x" + pk + " CHECKSIGVERIFY ").repeat(n - 1) + "0x20 0x" + pk + " CHECKSIG";
        Fixture f = new Fixture(ScriptAssembler.assemble(asm), Taproot.LEAF_TAPSCRIPT);
        return f.spendScript(FLAGS, f.sign(SEC1, 0, NO_SEPARATOR, null));
    }
}
