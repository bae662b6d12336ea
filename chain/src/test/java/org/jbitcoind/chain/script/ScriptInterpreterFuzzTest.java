package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.chain.crypto.BouncyCastleSecp256k1;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.fuzz.FuzzBytes;
import org.jbitcoind.protocol.fuzz.SeedFiles;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The script interpreter on arbitrary scripts, witnesses, flags and spending-transaction fields.
 * Every outcome must be a {@link ScriptError}: no exception escapes {@link ScriptVerifier#verify},
 * and never {@link ScriptError#UNKNOWN_ERROR}, which our interpreter reports only when it caught
 * an unchecked exception of its own (Core has no script that produces it). Script size, element
 * size, operation and stack limits bound the work per input.
 */
class ScriptInterpreterFuzzTest {
    private static final ScriptVerifier NATIVE = new ScriptVerifier();
    private static final ScriptVerifier FALLBACK =
            new ScriptVerifier(new SignatureVerifier(new BouncyCastleSecp256k1(), null), false);
    private static final SigVersion[] SIG_VERSIONS = {SigVersion.BASE, SigVersion.WITNESS_V0, SigVersion.TAPSCRIPT};

    /**
     * {@link ScriptVerifier#verify}, as block and mempool validation call it (input layout:
     * {@link ScriptCase}). Core's script_flags property: a spend valid under flags F stays valid
     * with flags removed, an invalid one stays invalid with flags added (for the combinations
     * Core defines). Both signature backends must agree on the error.
     */
    @FuzzTest
    void verify(byte[] input) {
        ScriptCase c = ScriptCase.decode(input);
        if (!ScriptCase.isValidCombination(c.flags())) {
            return;
        }
        PrecomputedTransactionData txData = c.txData();
        ScriptError result = NATIVE.verify(txData, 0, c.flags());
        assertNotEquals(ScriptError.UNKNOWN_ERROR, result, "an unchecked exception inside the interpreter");
        assertEquals(result, FALLBACK.verify(txData, 0, c.flags()), "both secp256k1 backends must agree");

        int changed = result == ScriptError.OK ? c.flags() & ~c.otherFlags() : c.flags() | c.otherFlags();
        if (changed != c.flags() && ScriptCase.isValidCombination(changed)) {
            ScriptError again = NATIVE.verify(txData, 0, changed);
            assertNotEquals(ScriptError.UNKNOWN_ERROR, again);
            assertEquals(result == ScriptError.OK, again == ScriptError.OK, "flags 0x" + Integer.toHexString(c.flags())
                    + " gave " + result + " but 0x" + Integer.toHexString(changed) + " gave " + again);
        }
        assertSigOpsConsistent(txData, c.flags());
    }

    /**
     * The interpreter alone ({@link Interpreter#evalScript}) under each signature version it
     * runs in, with an arbitrary initial stack. Layout: u8 version selector, u32 flags, u16
     * tapscript validation budget, u8 stack item count, u16-prefixed items, then the script.
     */
    @FuzzTest
    void evalScript(byte[] input) {
        FuzzBytes in = new FuzzBytes(input);
        SigVersion sigVersion = SIG_VERSIONS[in.u8() % SIG_VERSIONS.length];
        int flags = in.i32() & ScriptCase.ALL_FLAGS;
        int budget = in.u16();
        int items = in.u8() % 16;
        ArrayList<byte[]> stack = new ArrayList<>();
        int largestGiven = Script.MAX_SCRIPT_ELEMENT_SIZE;
        for (int i = 0; i < items; i++) {
            byte[] item = in.bytes16();
            largestGiven = Math.max(largestGiven, item.length);
            stack.add(item);
        }
        byte[] script = in.rest();

        ScriptCase spend = new ScriptCase(flags, 0, 2, 0, 0, 1000, 1, new byte[0], new byte[] {0x51}, List.of());
        ExecData exec = new ExecData();
        exec.validationWeightLeft = budget;
        exec.tapleafHash = Taproot.leafHash(Taproot.LEAF_TAPSCRIPT, script);
        SignatureChecker checker = new TransactionSignatureChecker(spend.txData(), 0, SignatureVerifier.uncached(), false);
        try {
            Interpreter.evalScript(stack, script, flags, checker, sigVersion, exec);
        } catch (ScriptFailure failure) {
            assertNotEquals(ScriptError.UNKNOWN_ERROR, failure.error(), "an unchecked exception inside the interpreter");
            assertNotEquals(ScriptError.OK, failure.error());
            return;
        }
        assertTrue(stack.size() <= Script.MAX_STACK_SIZE, "stack of " + stack.size());
        for (byte[] item : stack) {
            assertTrue(item.length <= largestGiven, "the interpreter made a " + item.length + "-byte element");
        }
        assertTrue(exec.validationWeightLeft >= 0, "validation budget overdrawn");
    }

    /**
     * Script parsing, the asm text and sigop counting on arbitrary bytes: parsing fails only with
     * {@link ScriptParseException}, what parses re-encodes to the same bytes, and the asm shows
     * "[error]" exactly when parsing failed.
     */
    @FuzzTest
    void parse(byte[] script) {
        String asm = ScriptAsm.toAsm(script, false);
        String sigAsm = ScriptAsm.toAsm(script, true);
        int accurate = Script.sigOpCount(script, true);
        int legacy = Script.sigOpCount(script, false);
        assertTrue(0 <= accurate && accurate <= legacy && legacy <= Script.MAX_PUBKEYS_PER_MULTISIG * script.length,
                accurate + " accurate, " + legacy + " legacy sigops");
        List<ScriptChunk> chunks;
        try {
            chunks = Script.parse(script);
        } catch (ScriptParseException truncated) {
            assertTrue(asm.endsWith("[error]") && sigAsm.endsWith("[error]"), asm);
            return;
        }
        assertTrue(!asm.contains("[error]"), asm);
        assertArrayEquals(script, reencode(chunks), "parsed operations must re-encode to the script");
        assertEquals(chunks.isEmpty(), asm.isEmpty());
    }

    private static void assertSigOpsConsistent(PrecomputedTransactionData txData, int flags) {
        Transaction tx = txData.tx();
        long cost = SigOps.transactionSigOpCost(tx, txData.spentOutputs(), flags);
        int legacy = SigOps.legacySigOpCount(tx);
        int p2sh = SigOps.p2shSigOpCount(tx, txData.spentOutputs());
        assertTrue(legacy >= 0 && p2sh >= 0 && cost >= 4L * legacy, "sigop cost " + cost);
    }

    private static byte[] reencode(List<ScriptChunk> chunks) {
        ByteWriter w = new ByteWriter();
        for (ScriptChunk c : chunks) {
            w.writeU8(c.opcode());
            if (c.isPush()) {
                int n = c.data().length;
                switch (c.opcode()) {
                    case Opcodes.OP_PUSHDATA1 -> w.writeU8(n);
                    case Opcodes.OP_PUSHDATA2 -> w.writeU16LE(n);
                    case Opcodes.OP_PUSHDATA4 -> w.writeU32LE(n);
                    default -> {
                    }
                }
                w.writeBytes(c.data());
            }
        }
        return w.toByteArray();
    }

    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        SeedFiles.check(getClass(), "verify", verifySeeds());
        SeedFiles.check(getClass(), "evalScript", evalSeeds());
        SeedFiles.check(getClass(), "parse", parseSeeds());
    }

    /** The seeds that are valid spends must verify: otherwise they would not reach the deep paths. */
    @Test
    void validSeedsVerify() {
        for (Map.Entry<String, byte[]> seed : verifySeeds().entrySet()) {
            if (seed.getKey().startsWith("valid-")) {
                ScriptCase c = ScriptCase.decode(seed.getValue());
                assertEquals(ScriptError.OK, NATIVE.verify(c.txData(), 0, c.flags()), seed.getKey());
            }
        }
    }

    /** Every flag on: the valid seeds pass even the strictest checks. */
    private static final int STANDARD = ScriptCase.ALL_FLAGS;
    private static final byte[] KEY = Hashes.sha256(new byte[] {'f', 'u', 'z', 'z'});

    static Map<String, byte[]> verifySeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] pub = Signer.publicKey(KEY);
        byte[] keyHash = Hashes.hash160(pub);
        int all = SignatureEncoding.SIGHASH_ALL;

        ScriptCase p2pkh = blank(StandardScripts.payToPubkeyHash(keyHash));
        seeds.put("valid-p2pkh", p2pkh.withSpend(InputSigner.p2pkhScriptSig(p2pkh.txData(), 0, KEY, all), List.of()).encode());

        ScriptCase p2pk = blank(concat(Script.pushOf(pub), new byte[] {(byte) Opcodes.OP_CHECKSIG}));
        seeds.put("valid-p2pk-single", p2pk.withSpend(
                InputSigner.p2pkScriptSig(p2pk.txData(), 0, KEY, SignatureEncoding.SIGHASH_SINGLE), List.of()).encode());

        ScriptCase p2wpkh = blank(StandardScripts.witnessProgram(0, keyHash));
        seeds.put("valid-p2wpkh", p2wpkh.withSpend(new byte[0], InputSigner.p2wpkhWitness(p2wpkh.txData(), 0, KEY, all)).encode());

        byte[] wrapped = StandardScripts.witnessProgram(0, keyHash);
        ScriptCase p2shP2wpkh = blank(StandardScripts.payToScriptHash(Hashes.hash160(wrapped)));
        seeds.put("valid-p2sh-p2wpkh", p2shP2wpkh.withSpend(InputSigner.p2shP2wpkhScriptSig(KEY),
                InputSigner.p2wpkhWitness(p2shP2wpkh.txData(), 0, KEY, all)).encode());

        // 1-of-2 multisig in P2WSH, with the NULLDUMMY element.
        byte[] multisig = concat(new byte[] {(byte) Opcodes.OP_1}, Script.pushOf(pub), Script.pushOf(Signer.publicKey(
                Hashes.sha256(KEY))), new byte[] {(byte) Opcodes.encodeOpN(2), (byte) Opcodes.OP_CHECKMULTISIG});
        ScriptCase p2wsh = blank(StandardScripts.witnessProgram(0, Hashes.sha256(multisig)));
        byte[] sig = InputSigner.ecdsaSignature(p2wsh.txData(), 0, multisig, true, KEY, all);
        seeds.put("valid-p2wsh-multisig", p2wsh.withSpend(new byte[0], List.of(new byte[0], sig, multisig)).encode());

        ScriptCase p2tr = blank(StandardScripts.witnessProgram(1, InputSigner.taprootOutputKey(KEY, null)));
        seeds.put("valid-p2tr-key", p2tr.withSpend(new byte[0], InputSigner.p2trKeyPathWitness(p2tr.txData(), 0, KEY, null,
                SignatureEncoding.SIGHASH_DEFAULT, new byte[32])).encode());

        // Tapscript leaf: <2> <3> OP_ADD <5> OP_NUMEQUAL, with an annex.
        byte[] leaf = ScriptAssembler.assemble("2 3 ADD 5 NUMEQUAL");
        byte[] internal = Signer.xOnlyPublicKey(KEY);
        byte[] leafHash = Taproot.leafHash(Taproot.LEAF_TAPSCRIPT, leaf);
        byte[] tweaked = Signer.publicKey(Signer.tweakSecretKey(KEY, Taproot.tweakHash(internal, leafHash)));
        byte[] control = concat(new byte[] {(byte) (Taproot.LEAF_TAPSCRIPT | (tweaked[0] & 1))}, internal);
        byte[] outputKey = java.util.Arrays.copyOfRange(tweaked, 1, 33);
        ScriptCase tapscript = blank(StandardScripts.witnessProgram(1, outputKey));
        seeds.put("valid-tapscript", tapscript.withSpend(new byte[0], List.of(leaf, control, new byte[] {0x50, 1})).encode());

        ScriptCase cltv = new ScriptCase(STANDARD, ScriptFlags.CHECKLOCKTIMEVERIFY, 2, 500, 0xfffffffeL, 1000, 1,
                new byte[0], ScriptAssembler.assemble("500 CHECKLOCKTIMEVERIFY DROP 1"), List.of());
        seeds.put("valid-cltv", cltv.encode());
        ScriptCase csv = new ScriptCase(STANDARD, ScriptFlags.CHECKSEQUENCEVERIFY, 2, 0, 10, 1000, 1,
                new byte[0], ScriptAssembler.assemble("10 CHECKSEQUENCEVERIFY"), List.of());
        seeds.put("valid-csv", csv.encode());
        seeds.put("valid-arith", new ScriptCase(STANDARD, ScriptFlags.MINIMALDATA, 1, 0, 0, 0, 0,
                ScriptAssembler.assemble("1 2"), ScriptAssembler.assemble("ADD 3 EQUAL"), List.of()).encode());
        seeds.put("invalid-branches", new ScriptCase(ScriptFlags.P2SH, ScriptCase.ALL_FLAGS, 1, 0, 0, 0, 0,
                ScriptAssembler.assemble("1 2"),
                ScriptAssembler.assemble("IF 2DUP ADD 3 EQUALVERIFY ELSE RETURN ENDIF TOALTSTACK FROMALTSTACK 2 EQUAL"
                        + " SWAP 1 EQUAL BOOLAND"), List.of()).encode());
        seeds.put("invalid-hash-ops", new ScriptCase(ScriptFlags.P2SH, ScriptCase.ALL_FLAGS, 1, 0, 0, 0, 1,
                ScriptAssembler.assemble("0x4c01 0x01"),
                ScriptAssembler.assemble("SHA256 RIPEMD160 SHA1 HASH160 HASH256 SIZE 0 CODESEPARATOR CHECKSIG"),
                List.of()).encode());
        seeds.put("empty", new byte[0]);
        return seeds;
    }

    private static ScriptCase blank(byte[] scriptPubKey) {
        return new ScriptCase(STANDARD, ScriptCase.ALL_FLAGS, 2, 0, TxIn.SEQUENCE_FINAL, 50_000, 2, new byte[0], scriptPubKey,
                List.of());
    }

    static Map<String, byte[]> evalSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("base-arith", evalInput(0, 0, 0, List.of(new byte[] {5}), "DUP 1ADD SWAP 1SUB 2DUP LESSTHAN VERIFY"
                + " WITHIN NOT 3 PICK 2 ROLL DEPTH 0NOTEQUAL"));
        seeds.put("base-multisig", evalInput(0, ScriptFlags.NULLDUMMY | ScriptFlags.NULLFAIL, 0, List.of(),
                "0 0 1 0x21 0x02" + "11".repeat(32) + " 1 CHECKMULTISIG NOT"));
        seeds.put("v0-if", evalInput(1, ScriptFlags.MINIMALIF, 0, List.of(new byte[] {1}),
                "IF 1 ELSE 0 ENDIF NOTIF 0 ENDIF 1"));
        seeds.put("tapscript-checksigadd", evalInput(2, ScriptFlags.TAPROOT, 500, List.of(new byte[64]),
                "0 0x20 0x" + "22".repeat(32) + " CHECKSIGADD"));
        seeds.put("tapscript-success", evalInput(2, ScriptFlags.TAPROOT, 0, List.of(), "1 0x50"));
        return seeds;
    }

    private static byte[] evalInput(int sigVersion, int flags, int budget, List<byte[]> stack, String asm) {
        ByteWriter w = new ByteWriter();
        w.writeU8(sigVersion).writeI32LE(flags).writeU16LE(budget).writeU8(stack.size());
        for (byte[] item : stack) {
            w.writeU16LE(item.length).writeBytes(item);
        }
        return w.writeBytes(ScriptAssembler.assemble(asm)).toByteArray();
    }

    static Map<String, byte[]> parseSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("pushes", ScriptAssembler.assemble("0 0x01 0x07 0x4c01 0x08 0x4d0100 0x09 0x4e01000000 0x0a -1 16"));
        seeds.put("multisig", ScriptAssembler.assemble("2 0x01 0x02 0x01 0x03 2 CHECKMULTISIG CHECKSIG 16 CHECKMULTISIGVERIFY"));
        seeds.put("truncated-pushdata4", new byte[] {0x4e, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
        seeds.put("truncated-pushdata2", new byte[] {0x4d, 0x05});
        seeds.put("signature", concat(Script.pushOf(concat(Signer.compactToDer(new byte[64]), new byte[] {1})),
                new byte[] {(byte) 0xba, (byte) 0xff}));
        return seeds;
    }

    private static byte[] concat(byte[]... parts) {
        ByteWriter w = new ByteWriter();
        for (byte[] p : parts) {
            w.writeBytes(p);
        }
        return w.toByteArray();
    }
}
