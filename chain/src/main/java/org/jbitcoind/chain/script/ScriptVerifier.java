package org.jbitcoind.chain.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.TxIn;

/**
 * Verifies one input's scriptSig / witness against the scriptPubKey it spends (Core's
 * VerifyScript with a transaction signature checker). Thread-safe: block validation calls it
 * from the script-check worker pool.
 * CONTRACT: the signature of {@link #verify(PrecomputedTransactionData, int, int)} is fixed.
 */
public final class ScriptVerifier {
    private final SignatureVerifier signatures;
    private final boolean storeInCache;

    /** Without a signature cache. */
    public ScriptVerifier() {
        this(SignatureVerifier.uncached(), false);
    }

    /**
     * @param cache signatures known valid, or null
     * @param storeInCache true for mempool acceptance (remember valid signatures); false for
     *        block validation (a cache hit is used up, as the signature will not be seen again)
     */
    public ScriptVerifier(SignatureCache cache, boolean storeInCache) {
        this(new SignatureVerifier(Secp256k1Provider.get(), cache), storeInCache);
    }

    public ScriptVerifier(SignatureVerifier signatures, boolean storeInCache) {
        this.signatures = signatures;
        this.storeInCache = storeInCache;
    }

    /** @return {@link ScriptError#OK} when the input is valid under {@code flags} */
    public ScriptError verify(PrecomputedTransactionData txData, int inputIndex, int flags) {
        TxIn in = txData.tx().inputs().get(inputIndex);
        byte[] scriptPubKey = txData.spentOutputs().get(inputIndex).scriptPubKey();
        SignatureChecker checker = new TransactionSignatureChecker(txData, inputIndex, signatures, storeInCache);
        if (!in.witness().isEmpty()) {
            // Computed here rather than on first use deep inside the signature check, so that
            // C2 compiles this once-per-transaction work in this small method instead of inlining
            // it into the interpreter's signature path (results are the same either way).
            txData.prepareBip143();
        }
        try {
            verifyScript(in.scriptSig(), scriptPubKey, in.witness(), flags, checker);
            return ScriptError.OK;
        } catch (ScriptFailure f) {
            return f.error();
        }
    }

    private static void verifyScript(byte[] scriptSig, byte[] scriptPubKey, List<byte[]> witness, int flags,
            SignatureChecker checker) {
        if ((flags & ScriptFlags.SIGPUSHONLY) != 0 && !Script.isPushOnly(scriptSig)) {
            throw Interpreter.fail(ScriptError.SIG_PUSHONLY);
        }
        // scriptSig and scriptPubKey run one after the other on the same stack, never concatenated.
        ArrayList<byte[]> stack = new ArrayList<>();
        // The legacy runs use only the code separator position of the execution data, which each
        // run resets at its start, so one instance serves all three of them.
        ExecData base = new ExecData();
        Interpreter.evalScript(stack, scriptSig, flags, checker, SigVersion.BASE, base);
        // Only a P2SH spend runs its redeem script on the scriptSig's stack again.
        boolean p2sh = (flags & ScriptFlags.P2SH) != 0 && Script.isPayToScriptHash(scriptPubKey);
        ArrayList<byte[]> stackCopy = p2sh ? new ArrayList<>(stack) : null;
        Interpreter.evalScript(stack, scriptPubKey, flags, checker, SigVersion.BASE, base);
        requireTrueTop(stack);

        boolean hadWitness = false;
        if ((flags & ScriptFlags.WITNESS) != 0 && Script.isWitnessProgram(scriptPubKey)) {
            hadWitness = true;
            // BIP141: a native witness spend has an empty scriptSig, or it could be malleated.
            if (scriptSig.length != 0) {
                throw Interpreter.fail(ScriptError.WITNESS_MALLEATED);
            }
            verifyWitnessProgram(witness, Script.witnessVersion(scriptPubKey), Script.witnessProgram(scriptPubKey),
                    flags, checker, false);
            // The stack is not clean for witness programs: skip the CLEANSTACK check below.
            truncateToOne(stack);
        }

        // BIP16.
        if (p2sh) {
            if (!Script.isPushOnly(scriptSig)) {
                throw Interpreter.fail(ScriptError.SIG_PUSHONLY);
            }
            stack = stackCopy;
            // Never empty here: the HASH160 <hash> EQUAL above would have failed.
            byte[] redeemScript = stack.remove(stack.size() - 1);
            Interpreter.evalScript(stack, redeemScript, flags, checker, SigVersion.BASE, base);
            requireTrueTop(stack);
            if ((flags & ScriptFlags.WITNESS) != 0 && Script.isWitnessProgram(redeemScript)) {
                hadWitness = true;
                // BIP141 P2SH-wrapped: the scriptSig must be exactly one push of the redeem script.
                if (!Arrays.equals(scriptSig, Script.pushOf(redeemScript))) {
                    throw Interpreter.fail(ScriptError.WITNESS_MALLEATED_P2SH);
                }
                verifyWitnessProgram(witness, Script.witnessVersion(redeemScript),
                        Script.witnessProgram(redeemScript), flags, checker, true);
                truncateToOne(stack);
            }
        }

        // Checked after P2SH and witness evaluation, which leave their own inputs behind.
        if ((flags & ScriptFlags.CLEANSTACK) != 0 && stack.size() != 1) {
            throw Interpreter.fail(ScriptError.CLEANSTACK);
        }
        if ((flags & ScriptFlags.WITNESS) != 0 && !hadWitness && !witness.isEmpty()) {
            throw Interpreter.fail(ScriptError.WITNESS_UNEXPECTED);
        }
    }

    private static void requireTrueTop(List<byte[]> stack) {
        if (stack.isEmpty() || !ScriptNum.castToBool(stack.get(stack.size() - 1))) {
            throw Interpreter.fail(ScriptError.EVAL_FALSE);
        }
    }

    private static void truncateToOne(ArrayList<byte[]> stack) {
        while (stack.size() > 1) {
            stack.remove(stack.size() - 1);
        }
    }

    private static void verifyWitnessProgram(List<byte[]> witness, int version, byte[] program, int flags,
            SignatureChecker checker, boolean isP2sh) {
        ArrayList<byte[]> stack = new ArrayList<>(witness);
        ExecData exec = new ExecData();
        if (version == 0) {
            if (program.length == Script.WITNESS_V0_SCRIPTHASH_SIZE) {
                // BIP141 P2WSH: the last witness item is the script, committed to by SHA256.
                if (stack.isEmpty()) {
                    throw Interpreter.fail(ScriptError.WITNESS_PROGRAM_WITNESS_EMPTY);
                }
                byte[] script = stack.remove(stack.size() - 1);
                if (!Arrays.equals(Hashes.sha256(script), program)) {
                    throw Interpreter.fail(ScriptError.WITNESS_PROGRAM_MISMATCH);
                }
                executeWitnessScript(stack, script, flags, SigVersion.WITNESS_V0, checker, exec);
                return;
            }
            if (program.length == Script.WITNESS_V0_KEYHASH_SIZE) {
                // BIP141 P2WPKH: exactly signature and key, run as P2PKH.
                if (stack.size() != 2) {
                    throw Interpreter.fail(ScriptError.WITNESS_PROGRAM_MISMATCH);
                }
                executeWitnessScript(stack, StandardScripts.payToPubkeyHash(program), flags, SigVersion.WITNESS_V0,
                        checker, exec);
                return;
            }
            throw Interpreter.fail(ScriptError.WITNESS_PROGRAM_WRONG_LENGTH);
        }
        if (version == 1 && program.length == Script.WITNESS_V1_TAPROOT_SIZE && !isP2sh) {
            verifyTaproot(witness, stack, program, flags, checker, exec);
            return;
        }
        if (!isP2sh && version == 1 && program.length == 2 && program[0] == 0x4e && program[1] == 0x73) {
            return; // pay-to-anchor: anyone can spend, and not an upgradable program
        }
        if ((flags & ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) != 0) {
            throw Interpreter.fail(ScriptError.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM);
        }
        // Other versions and sizes succeed, for future soft forks.
    }

    /** BIP341 key path and script path. */
    private static void verifyTaproot(List<byte[]> witness, ArrayList<byte[]> stack, byte[] program, int flags,
            SignatureChecker checker, ExecData exec) {
        if ((flags & ScriptFlags.TAPROOT) == 0) {
            return;
        }
        if (stack.isEmpty()) {
            throw Interpreter.fail(ScriptError.WITNESS_PROGRAM_WITNESS_EMPTY);
        }
        byte[] last = stack.get(stack.size() - 1);
        if (stack.size() >= 2 && last.length > 0 && (last[0] & 0xff) == Taproot.ANNEX_TAG) {
            byte[] annex = stack.remove(stack.size() - 1);
            ByteWriter w = new ByteWriter(annex.length + 5);
            w.writeVarBytes(annex);
            exec.annexHash = Hashes.sha256(w.array(), 0, w.size());
            exec.annexPresent = true;
        }
        if (stack.size() == 1) {
            ScriptError e = checker.checkSchnorr(stack.get(0), program, SigVersion.TAPROOT, exec);
            if (e != ScriptError.OK) {
                throw Interpreter.fail(e);
            }
            return;
        }
        byte[] control = stack.remove(stack.size() - 1);
        byte[] script = stack.remove(stack.size() - 1);
        if (control.length < Taproot.CONTROL_BASE_SIZE || control.length > Taproot.CONTROL_MAX_SIZE
                || (control.length - Taproot.CONTROL_BASE_SIZE) % Taproot.CONTROL_NODE_SIZE != 0) {
            throw Interpreter.fail(ScriptError.TAPROOT_WRONG_CONTROL_SIZE);
        }
        int leafVersion = control[0] & Taproot.LEAF_MASK;
        exec.tapleafHash = Taproot.leafHash(leafVersion, script);
        if (!Taproot.verifyCommitment(checker.verifier(), control, program, exec.tapleafHash)) {
            throw Interpreter.fail(ScriptError.WITNESS_PROGRAM_MISMATCH);
        }
        if (leafVersion == Taproot.LEAF_TAPSCRIPT) {
            // BIP342: the budget is the serialized witness size plus an offset.
            exec.validationWeightLeft = witnessSerializedSize(witness) + Interpreter.VALIDATION_WEIGHT_OFFSET;
            executeWitnessScript(stack, script, flags, SigVersion.TAPSCRIPT, checker, exec);
            return;
        }
        if ((flags & ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION) != 0) {
            throw Interpreter.fail(ScriptError.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION);
        }
    }

    private static long witnessSerializedSize(List<byte[]> witness) {
        long n = ByteWriter.compactSizeLength(witness.size());
        for (byte[] item : witness) {
            n += ByteWriter.compactSizeLength(item.length) + item.length;
        }
        return n;
    }

    private static void executeWitnessScript(ArrayList<byte[]> stack, byte[] script, int flags,
            SigVersion sigVersion, SignatureChecker checker, ExecData exec) {
        if (sigVersion == SigVersion.TAPSCRIPT) {
            // BIP342: an OP_SUCCESSx anywhere makes the script succeed, before anything else is checked.
            ScriptReader r = new ScriptReader(script);
            while (r.position() < script.length) {
                if (!r.next()) {
                    throw Interpreter.fail(ScriptError.BAD_OPCODE);
                }
                if (Opcodes.isOpSuccess(r.opcode())) {
                    if ((flags & ScriptFlags.DISCOURAGE_OP_SUCCESS) != 0) {
                        throw Interpreter.fail(ScriptError.DISCOURAGE_OP_SUCCESS);
                    }
                    return;
                }
            }
            if (stack.size() > Script.MAX_STACK_SIZE) {
                throw Interpreter.fail(ScriptError.STACK_SIZE);
            }
        }
        for (byte[] item : stack) {
            if (item.length > Script.MAX_SCRIPT_ELEMENT_SIZE) {
                throw Interpreter.fail(ScriptError.PUSH_SIZE);
            }
        }
        Interpreter.evalScript(stack, script, flags, checker, sigVersion, exec);
        // Witness scripts require a clean stack with a true item.
        if (stack.size() != 1) {
            throw Interpreter.fail(ScriptError.CLEANSTACK);
        }
        if (!ScriptNum.castToBool(stack.get(0))) {
            throw Interpreter.fail(ScriptError.EVAL_FALSE);
        }
    }
}
