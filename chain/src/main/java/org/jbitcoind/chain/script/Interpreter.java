package org.jbitcoind.chain.script;

import static org.jbitcoind.chain.script.Opcodes.*;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;

import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Executes one script on a stack (Core's EvalScript). One instance per evaluation; failures
 * unwind as {@link ScriptFailure}.
 *
 * <p>Shaped for the JIT: {@link #run()} handles only what nearly every script executes (pushes,
 * small integers, OP_DUP, OP_HASH160, OP_EQUAL(VERIFY), OP_CHECKSIG(VERIFY)) and hands every
 * other opcode to one method per family. C2's cost grows much faster than linearly with the
 * size of a compiled method, and one giant switch with its callees inlined was the single most
 * expensive compile of a block import; small family methods are compiled only once they run.
 */
final class Interpreter {
    /** BIP342 validation weight. */
    static final int VALIDATION_WEIGHT_PER_SIGOP_PASSED = 50;
    static final int VALIDATION_WEIGHT_OFFSET = 50;

    private static final byte[] TRUE = {1};
    private static final byte[] FALSE = {};
    /**
     * OP_1NEGATE, OP_RESERVED's slot (unused), OP_1 .. OP_16 as script numbers, indexed by
     * opcode - OP_1NEGATE. Stack items are never modified in place, so they can be shared.
     */
    private static final byte[][] SMALL_INTS = new byte[OP_16 - OP_1NEGATE + 1][];
    /** Opcodes that fail a legacy or v0 script even in an unexecuted branch. */
    private static final boolean[] DISABLED = new boolean[256];

    static {
        for (int op = OP_1NEGATE; op <= OP_16; op++) {
            SMALL_INTS[op - OP_1NEGATE] = ScriptNum.encode(op - (OP_1 - 1));
        }
        for (int op : new int[] {OP_CAT, OP_SUBSTR, OP_LEFT, OP_RIGHT, OP_INVERT, OP_AND, OP_OR, OP_XOR, OP_2MUL,
                OP_2DIV, OP_MUL, OP_DIV, OP_MOD, OP_LSHIFT, OP_RSHIFT}) {
            DISABLED[op] = true;
        }
    }

    private final ArrayList<byte[]> stack;
    private final ArrayList<byte[]> altstack = new ArrayList<>();
    private final int flags;
    private final SignatureChecker checker;
    private final SigVersion sigVersion;
    private final ExecData exec;
    private final boolean requireMinimal;
    private final boolean legacyOrV0;
    private final byte[] script;
    private final ScriptReader reader;
    private final ConditionStack vfExec = new ConditionStack();
    /** Non-push operations so far (plus multisig keys), legacy and v0 only. */
    private int opCount;
    /** Where the script code that signatures commit to begins: after the last executed OP_CODESEPARATOR. */
    private int beginCodeHash;
    /** Index of the current operation, for BIP342's code separator position. */
    private long opcodePos;

    private Interpreter(ArrayList<byte[]> stack, byte[] script, int flags, SignatureChecker checker,
            SigVersion sigVersion, ExecData exec) {
        this.stack = stack;
        this.script = script;
        this.reader = new ScriptReader(script);
        this.flags = flags;
        this.checker = checker;
        this.sigVersion = sigVersion;
        this.exec = exec;
        this.requireMinimal = (flags & ScriptFlags.MINIMALDATA) != 0;
        this.legacyOrV0 = sigVersion == SigVersion.BASE || sigVersion == SigVersion.WITNESS_V0;
    }

    /** Runs {@code script} on {@code stack}; throws ScriptFailure on any error. */
    static void evalScript(ArrayList<byte[]> stack, byte[] script, int flags, SignatureChecker checker,
            SigVersion sigVersion, ExecData exec) {
        if (script.length == 0) {
            // What run() does for no operations (the empty scriptSig of every segwit spend),
            // without an interpreter, condition stack and reader.
            exec.codeSeparatorPos = 0xffffffffL;
            return;
        }
        new Interpreter(stack, script, flags, checker, sigVersion, exec).run();
    }

    static ScriptFailure fail(ScriptError e) {
        return new ScriptFailure(e);
    }

    private void run() {
        if (legacyOrV0 && script.length > Script.MAX_SCRIPT_SIZE) {
            throw fail(ScriptError.SCRIPT_SIZE);
        }
        exec.codeSeparatorPos = 0xffffffffL;
        ScriptReader r = reader;
        try {
            for (; r.position() < script.length; opcodePos++) {
                boolean fExec = vfExec.allTrue();
                if (!r.next()) {
                    throw fail(ScriptError.BAD_OPCODE);
                }
                int opcode = r.opcode();
                if (r.pushLength() > Script.MAX_SCRIPT_ELEMENT_SIZE) {
                    throw fail(ScriptError.PUSH_SIZE);
                }
                if (legacyOrV0) {
                    // Counted and disabled even in unexecuted branches.
                    if (opcode > OP_16 && ++opCount > Script.MAX_OPS_PER_SCRIPT) {
                        throw fail(ScriptError.OP_COUNT);
                    }
                    if (DISABLED[opcode]) {
                        throw fail(ScriptError.DISABLED_OPCODE);
                    }
                }
                if (opcode == OP_CODESEPARATOR && sigVersion == SigVersion.BASE
                        && (flags & ScriptFlags.CONST_SCRIPTCODE) != 0) {
                    throw fail(ScriptError.OP_CODESEPARATOR);
                }
                if (fExec) {
                    if (opcode <= OP_PUSHDATA4) {
                        push(r, opcode);
                    } else {
                        execute(opcode);
                    }
                } else if (OP_IF <= opcode && opcode <= OP_ENDIF) {
                    flowControl(opcode, false);
                }
                if (stack.size() + altstack.size() > Script.MAX_STACK_SIZE) {
                    throw fail(ScriptError.STACK_SIZE);
                }
            }
        } catch (ScriptFailure f) {
            throw f;
        } catch (RuntimeException e) {
            throw fail(ScriptError.UNKNOWN_ERROR);
        }
        if (!vfExec.isEmpty()) {
            throw fail(ScriptError.UNBALANCED_CONDITIONAL);
        }
    }

    private void push(ScriptReader r, int opcode) {
        byte[] data = r.pushData();
        if (requireMinimal && !checkMinimalPush(data, opcode)) {
            throw fail(ScriptError.MINIMALDATA);
        }
        stack.add(data);
    }

    /** One executed non-push operation: the common ones here, each other family in its own method. */
    private void execute(int opcode) {
        switch (opcode) {
            case OP_DUP -> {
                need(1);
                stack.add(top(-1));
            }
            case OP_HASH160 -> {
                need(1);
                stack.add(checker.hash160(pop()));
            }
            case OP_EQUAL, OP_EQUALVERIFY -> opEqual(opcode);
            case OP_CHECKSIG, OP_CHECKSIGVERIFY -> opCheckSig(opcode);
            case OP_1NEGATE, OP_1, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
                    OP_16 -> stack.add(SMALL_INTS[opcode - OP_1NEGATE]);
            default -> executeRare(opcode);
        }
    }

    /** Dispatches by opcode range; each family rejects the opcodes of its range it does not implement. */
    private void executeRare(int opcode) {
        if (opcode <= OP_RETURN) {
            flowControl(opcode, true);
        } else if (opcode <= OP_SIZE) {
            stackOperation(opcode);
        } else if (opcode < OP_1ADD) {
            throw fail(ScriptError.BAD_OPCODE); // the disabled bitwise operations and OP_RESERVED1/2
        } else if (opcode <= OP_WITHIN) {
            arithmetic(opcode);
        } else if (opcode <= OP_CHECKMULTISIGVERIFY) {
            crypto(opcode);
        } else if (opcode <= OP_NOP10) {
            upgradableNop(opcode);
        } else if (opcode == OP_CHECKSIGADD) {
            checkSigAdd();
        } else {
            throw fail(ScriptError.BAD_OPCODE);
        }
    }

    private void opEqual(int opcode) {
        need(2);
        boolean equal = Arrays.equals(top(-2), top(-1));
        pop();
        pop();
        stack.add(equal ? TRUE : FALSE);
        if (opcode == OP_EQUALVERIFY) {
            if (!equal) {
                throw fail(ScriptError.EQUALVERIFY);
            }
            pop();
        }
    }

    private void opCheckSig(int opcode) {
        need(2);
        byte[] sig = top(-2);
        byte[] pubKey = top(-1);
        boolean ok = evalCheckSig(sig, pubKey);
        pop();
        pop();
        stack.add(ok ? TRUE : FALSE);
        if (opcode == OP_CHECKSIGVERIFY) {
            if (!ok) {
                throw fail(ScriptError.CHECKSIGVERIFY);
            }
            pop();
        }
    }

    /**
     * OP_NOP, OP_VER, the conditionals, OP_VERIFY and OP_RETURN. The conditionals (and OP_VERIF,
     * OP_VERNOTIF, which fail) also come here in unexecuted branches, with {@code fExec} false.
     */
    private void flowControl(int opcode, boolean fExec) {
        switch (opcode) {
            case OP_NOP -> {
            }
            case OP_IF, OP_NOTIF -> {
                boolean value = false;
                if (fExec) {
                    need(1);
                    byte[] vch = top(-1);
                    checkMinimalIf(vch);
                    value = ScriptNum.castToBool(vch);
                    if (opcode == OP_NOTIF) {
                        value = !value;
                    }
                    pop();
                }
                vfExec.push(value);
            }
            case OP_ELSE -> {
                if (vfExec.isEmpty()) {
                    throw fail(ScriptError.UNBALANCED_CONDITIONAL);
                }
                vfExec.toggleTop();
            }
            case OP_ENDIF -> {
                if (vfExec.isEmpty()) {
                    throw fail(ScriptError.UNBALANCED_CONDITIONAL);
                }
                vfExec.pop();
            }
            case OP_VERIFY -> {
                need(1);
                if (!ScriptNum.castToBool(top(-1))) {
                    throw fail(ScriptError.VERIFY);
                }
                pop();
            }
            case OP_RETURN -> throw fail(ScriptError.OP_RETURN);
            default -> throw fail(ScriptError.BAD_OPCODE);
        }
    }

    /** OP_TOALTSTACK .. OP_TUCK and OP_SIZE. */
    private void stackOperation(int opcode) {
        switch (opcode) {
            case OP_TOALTSTACK -> {
                need(1);
                altstack.add(pop());
            }
            case OP_FROMALTSTACK -> {
                if (altstack.isEmpty()) {
                    throw fail(ScriptError.INVALID_ALTSTACK_OPERATION);
                }
                stack.add(altstack.remove(altstack.size() - 1));
            }
            case OP_2DROP -> {
                need(2);
                pop();
                pop();
            }
            case OP_2DUP -> {
                need(2);
                byte[] a = top(-2);
                byte[] b = top(-1);
                stack.add(a);
                stack.add(b);
            }
            case OP_3DUP -> {
                need(3);
                byte[] a = top(-3);
                byte[] b = top(-2);
                byte[] c = top(-1);
                stack.add(a);
                stack.add(b);
                stack.add(c);
            }
            case OP_2OVER -> {
                need(4);
                byte[] a = top(-4);
                byte[] b = top(-3);
                stack.add(a);
                stack.add(b);
            }
            case OP_2ROT -> {
                need(6);
                byte[] a = top(-6);
                byte[] b = top(-5);
                stack.remove(stack.size() - 6);
                stack.remove(stack.size() - 5);
                stack.add(a);
                stack.add(b);
            }
            case OP_2SWAP -> {
                need(4);
                swap(-4, -2);
                swap(-3, -1);
            }
            case OP_IFDUP -> {
                need(1);
                byte[] a = top(-1);
                if (ScriptNum.castToBool(a)) {
                    stack.add(a);
                }
            }
            case OP_DEPTH -> stack.add(ScriptNum.encode(stack.size()));
            case OP_DROP -> {
                need(1);
                pop();
            }
            case OP_NIP -> {
                need(2);
                stack.remove(stack.size() - 2);
            }
            case OP_OVER -> {
                need(2);
                stack.add(top(-2));
            }
            case OP_PICK, OP_ROLL -> {
                need(2);
                int n = ScriptNum.toInt(num(top(-1)));
                pop();
                if (n < 0 || n >= stack.size()) {
                    throw fail(ScriptError.INVALID_STACK_OPERATION);
                }
                byte[] v = top(-n - 1);
                if (opcode == OP_ROLL) {
                    stack.remove(stack.size() - n - 1);
                }
                stack.add(v);
            }
            case OP_ROT -> {
                need(3);
                swap(-3, -2);
                swap(-2, -1);
            }
            case OP_SWAP -> {
                need(2);
                swap(-2, -1);
            }
            case OP_TUCK -> {
                need(2);
                stack.add(stack.size() - 2, top(-1));
            }
            case OP_SIZE -> {
                need(1);
                stack.add(ScriptNum.encode(top(-1).length));
            }
            default -> throw fail(ScriptError.BAD_OPCODE);
        }
    }

    /** OP_1ADD .. OP_WITHIN. */
    private void arithmetic(int opcode) {
        switch (opcode) {
            case OP_1ADD, OP_1SUB, OP_NEGATE, OP_ABS, OP_NOT, OP_0NOTEQUAL -> unaryNumeric(opcode);
            case OP_ADD, OP_SUB, OP_BOOLAND, OP_BOOLOR, OP_NUMEQUAL, OP_NUMEQUALVERIFY, OP_NUMNOTEQUAL, OP_LESSTHAN,
                    OP_GREATERTHAN, OP_LESSTHANOREQUAL, OP_GREATERTHANOREQUAL, OP_MIN, OP_MAX -> binaryNumeric(opcode);
            case OP_WITHIN -> {
                need(3);
                long x = num(top(-3));
                long min = num(top(-2));
                long max = num(top(-1));
                pop();
                pop();
                pop();
                stack.add(min <= x && x < max ? TRUE : FALSE);
            }
            default -> throw fail(ScriptError.BAD_OPCODE);
        }
    }

    private void unaryNumeric(int opcode) {
        need(1);
        long bn = num(top(-1));
        bn = switch (opcode) {
            case OP_1ADD -> bn + 1;
            case OP_1SUB -> bn - 1;
            case OP_NEGATE -> -bn;
            case OP_ABS -> Math.abs(bn);
            case OP_NOT -> bn == 0 ? 1 : 0;
            default -> bn != 0 ? 1 : 0;
        };
        pop();
        stack.add(ScriptNum.encode(bn));
    }

    /** OP_RIPEMD160 .. OP_CHECKMULTISIGVERIFY, less the common ones {@link #execute} handles. */
    private void crypto(int opcode) {
        switch (opcode) {
            case OP_RIPEMD160, OP_SHA1, OP_SHA256, OP_HASH256 -> {
                need(1);
                byte[] v = pop();
                stack.add(hash(opcode, v));
            }
            case OP_CODESEPARATOR -> {
                // Signatures only commit to the script after the last executed separator.
                beginCodeHash = reader.position();
                exec.codeSeparatorPos = opcodePos;
            }
            case OP_CHECKMULTISIG, OP_CHECKMULTISIGVERIFY -> {
                if (sigVersion == SigVersion.TAPSCRIPT) {
                    throw fail(ScriptError.TAPSCRIPT_CHECKMULTISIG);
                }
                checkMultisig(opcode);
            }
            default -> throw fail(ScriptError.BAD_OPCODE);
        }
    }

    /** OP_NOP1 .. OP_NOP10, two of which are the BIP65 and BIP112 lock-time checks. */
    private void upgradableNop(int opcode) {
        switch (opcode) {
            case OP_CHECKLOCKTIMEVERIFY -> checkLockTimeVerify();
            case OP_CHECKSEQUENCEVERIFY -> checkSequenceVerify();
            default -> {
                if ((flags & ScriptFlags.DISCOURAGE_UPGRADABLE_NOPS) != 0) {
                    throw fail(ScriptError.DISCOURAGE_UPGRADABLE_NOPS);
                }
            }
        }
    }

    private void checkSigAdd() {
        // BIP342: tapscript only.
        if (legacyOrV0) {
            throw fail(ScriptError.BAD_OPCODE);
        }
        need(3);
        byte[] sig = top(-3);
        long n = num(top(-2));
        byte[] pubKey = top(-1);
        boolean ok = evalCheckSig(sig, pubKey);
        pop();
        pop();
        pop();
        stack.add(ScriptNum.encode(n + (ok ? 1 : 0)));
    }

    private void checkMinimalIf(byte[] vch) {
        // BIP342 makes minimal IF arguments consensus in tapscript; for v0 it is policy (MINIMALIF).
        boolean minimal = vch.length == 0 || (vch.length == 1 && vch[0] == 1);
        if (sigVersion == SigVersion.TAPSCRIPT && !minimal) {
            throw fail(ScriptError.TAPSCRIPT_MINIMALIF);
        }
        if (sigVersion == SigVersion.WITNESS_V0 && (flags & ScriptFlags.MINIMALIF) != 0 && !minimal) {
            throw fail(ScriptError.MINIMALIF);
        }
    }

    private void checkLockTimeVerify() {
        if ((flags & ScriptFlags.CHECKLOCKTIMEVERIFY) == 0) {
            return; // not enabled: behaves as NOP2
        }
        need(1);
        // BIP65: 5-byte operand so that times up to 2^39-1 fit.
        long lockTime = ScriptNum.decode(top(-1), requireMinimal, 5);
        if (lockTime < 0) {
            throw fail(ScriptError.NEGATIVE_LOCKTIME);
        }
        if (!checker.checkLockTime(lockTime)) {
            throw fail(ScriptError.UNSATISFIED_LOCKTIME);
        }
    }

    private void checkSequenceVerify() {
        if ((flags & ScriptFlags.CHECKSEQUENCEVERIFY) == 0) {
            return; // not enabled: behaves as NOP3
        }
        need(1);
        long sequence = ScriptNum.decode(top(-1), requireMinimal, 5);
        if (sequence < 0) {
            throw fail(ScriptError.NEGATIVE_LOCKTIME);
        }
        // BIP112: with the disable flag set the operand is reserved for future soft forks.
        if ((sequence & TransactionSignatureChecker.SEQUENCE_LOCKTIME_DISABLE_FLAG) != 0) {
            return;
        }
        if (!checker.checkSequence(sequence)) {
            throw fail(ScriptError.UNSATISFIED_LOCKTIME);
        }
    }

    private void binaryNumeric(int opcode) {
        need(2);
        long a = num(top(-2));
        long b = num(top(-1));
        long result = switch (opcode) {
            case OP_ADD -> a + b;
            case OP_SUB -> a - b;
            case OP_BOOLAND -> a != 0 && b != 0 ? 1 : 0;
            case OP_BOOLOR -> a != 0 || b != 0 ? 1 : 0;
            case OP_NUMEQUAL, OP_NUMEQUALVERIFY -> a == b ? 1 : 0;
            case OP_NUMNOTEQUAL -> a != b ? 1 : 0;
            case OP_LESSTHAN -> a < b ? 1 : 0;
            case OP_GREATERTHAN -> a > b ? 1 : 0;
            case OP_LESSTHANOREQUAL -> a <= b ? 1 : 0;
            case OP_GREATERTHANOREQUAL -> a >= b ? 1 : 0;
            case OP_MIN -> Math.min(a, b);
            default -> Math.max(a, b);
        };
        pop();
        pop();
        stack.add(ScriptNum.encode(result));
        if (opcode == OP_NUMEQUALVERIFY) {
            if (!ScriptNum.castToBool(top(-1))) {
                throw fail(ScriptError.NUMEQUALVERIFY);
            }
            pop();
        }
    }

    private byte[] hash(int opcode, byte[] v) {
        return switch (opcode) {
            case OP_RIPEMD160 -> Hashes.ripemd160(v);
            case OP_SHA1 -> sha1(v);
            case OP_SHA256 -> Hashes.sha256(v);
            default -> Hashes.hash256(v);
        };
    }

    private static byte[] sha1(byte[] v) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(v);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-1", e);
        }
    }

    /** Core's EvalChecksig: false for a failed (but allowed) check, ScriptFailure for errors. */
    private boolean evalCheckSig(byte[] sig, byte[] pubKey) {
        if (sigVersion == SigVersion.TAPSCRIPT) {
            return evalCheckSigTapscript(sig, pubKey);
        }
        byte[] scriptCode = scriptCode();
        if (sigVersion == SigVersion.BASE) {
            scriptCode = withoutSignature(scriptCode, sig);
        }
        check(SignatureEncoding.checkSignatureEncoding(sig, flags));
        check(SignatureEncoding.checkPubKeyEncoding(pubKey, flags, sigVersion));
        boolean ok = checker.checkEcdsa(sig, pubKey, scriptCode, sigVersion);
        if (!ok && (flags & ScriptFlags.NULLFAIL) != 0 && sig.length != 0) {
            throw fail(ScriptError.SIG_NULLFAIL);
        }
        return ok;
    }

    private boolean evalCheckSigTapscript(byte[] sig, byte[] pubKey) {
        boolean nonEmpty = sig.length != 0;
        if (nonEmpty) {
            // BIP342: every signature check costs validation weight out of the witness size budget.
            exec.validationWeightLeft -= VALIDATION_WEIGHT_PER_SIGOP_PASSED;
            if (exec.validationWeightLeft < 0) {
                throw fail(ScriptError.TAPSCRIPT_VALIDATION_WEIGHT);
            }
        }
        if (pubKey.length == 0) {
            throw fail(ScriptError.TAPSCRIPT_EMPTY_PUBKEY);
        }
        if (pubKey.length == 32) {
            if (nonEmpty) {
                check(checker.checkSchnorr(sig, pubKey, sigVersion, exec));
            }
        } else if ((flags & ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE) != 0) {
            throw fail(ScriptError.DISCOURAGE_UPGRADABLE_PUBKEYTYPE);
        }
        return nonEmpty;
    }

    /**
     * The script the signatures commit to: from just after the last executed OP_CODESEPARATOR.
     * Without one it is the script itself, not a copy: nothing downstream modifies it.
     */
    private byte[] scriptCode() {
        return beginCodeHash == 0 ? script : Arrays.copyOfRange(script, beginCodeHash, script.length);
    }

    /** Pre-segwit only: a signature cannot sign itself, so its push is dropped from the script code. */
    private byte[] withoutSignature(byte[] scriptCode, byte[] sig) {
        // A push of sig is at least one byte longer than sig; longer than the script code (the usual
        // case: a signature against a P2PKH script code) it cannot occur in it, and building the
        // pattern would be wasted.
        if (sig.length + 1 > scriptCode.length) {
            return scriptCode;
        }
        byte[] cleaned = findAndDelete(scriptCode, Script.pushOf(sig));
        if (cleaned != scriptCode && (flags & ScriptFlags.CONST_SCRIPTCODE) != 0) {
            throw fail(ScriptError.SIG_FINDANDDELETE);
        }
        return cleaned;
    }

    private void checkMultisig(int opcode) {
        int i = 1;
        need(i);
        int keysCount = ScriptNum.toInt(num(top(-i)));
        if (keysCount < 0 || keysCount > Script.MAX_PUBKEYS_PER_MULTISIG) {
            throw fail(ScriptError.PUBKEY_COUNT);
        }
        opCount += keysCount;
        if (opCount > Script.MAX_OPS_PER_SCRIPT) {
            throw fail(ScriptError.OP_COUNT);
        }
        int ikey = ++i;
        // ikey2 is the position of the last non-signature item on the stack; the top stack item is 1.
        int ikey2 = keysCount + 2;
        i += keysCount;
        need(i);
        int sigsCount = ScriptNum.toInt(num(top(-i)));
        if (sigsCount < 0 || sigsCount > keysCount) {
            throw fail(ScriptError.SIG_COUNT);
        }
        int isig = ++i;
        i += sigsCount;
        need(i);

        byte[] scriptCode = scriptCode();
        if (sigVersion == SigVersion.BASE) {
            for (int k = 0; k < sigsCount; k++) {
                scriptCode = withoutSignature(scriptCode, top(-isig - k));
            }
        }

        boolean success = true;
        while (success && sigsCount > 0) {
            byte[] sig = top(-isig);
            byte[] pubKey = top(-ikey);
            // Encoding is checked only for keys actually tried, so unused keys may be anything.
            check(SignatureEncoding.checkSignatureEncoding(sig, flags));
            check(SignatureEncoding.checkPubKeyEncoding(pubKey, flags, sigVersion));
            if (checker.checkEcdsa(sig, pubKey, scriptCode, sigVersion)) {
                isig++;
                sigsCount--;
            }
            ikey++;
            keysCount--;
            // Too few keys left for the remaining signatures.
            if (sigsCount > keysCount) {
                success = false;
            }
        }

        while (i-- > 1) {
            // NULLFAIL: a failed check requires every signature to be empty.
            if (!success && (flags & ScriptFlags.NULLFAIL) != 0 && ikey2 == 0 && top(-1).length != 0) {
                throw fail(ScriptError.SIG_NULLFAIL);
            }
            if (ikey2 > 0) {
                ikey2--;
            }
            pop();
        }
        // The extra item consumed by the original off-by-one bug (BIP147: must be empty).
        need(1);
        if ((flags & ScriptFlags.NULLDUMMY) != 0 && top(-1).length != 0) {
            throw fail(ScriptError.SIG_NULLDUMMY);
        }
        pop();
        stack.add(success ? TRUE : FALSE);
        if (opcode == OP_CHECKMULTISIGVERIFY) {
            if (!success) {
                throw fail(ScriptError.CHECKMULTISIGVERIFY);
            }
            pop();
        }
    }

    /**
     * Core's FindAndDelete: removes every occurrence of {@code pattern} that starts at an
     * operation boundary. Returns the same array when nothing was found.
     */
    static byte[] findAndDelete(byte[] script, byte[] pattern) {
        // A pattern longer than the script cannot occur in it (the usual case: a signature push
        // against a P2PKH scriptCode), so the script comes back unchanged without a scan.
        if (pattern.length == 0 || pattern.length > script.length) {
            return script;
        }
        java.io.ByteArrayOutputStream result = null;
        int pc = 0;
        int kept = 0; // script[kept, ...) is not yet copied to result
        ScriptReader r = new ScriptReader(script);
        boolean more;
        do {
            // Matches are skipped only at operation boundaries, as Core's FindAndDelete.
            int start = pc;
            while (script.length - pc >= pattern.length && matches(script, pc, pattern)) {
                pc += pattern.length;
            }
            if (pc != start) {
                if (result == null) {
                    result = new java.io.ByteArrayOutputStream(script.length);
                }
                result.write(script, kept, start - kept);
                kept = pc;
            }
            r.restartAt(pc);
            more = r.next();
            if (more) {
                pc = r.position();
            }
        } while (more);
        if (result == null) {
            return script;
        }
        result.write(script, kept, script.length - kept);
        return result.toByteArray();
    }

    private static boolean matches(byte[] script, int at, byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            if (script[at + i] != pattern[i]) {
                return false;
            }
        }
        return true;
    }

    /** Core's CheckMinimalPush (BIP62 rule 3). */
    static boolean checkMinimalPush(byte[] data, int opcode) {
        int n = data.length;
        if (n == 0) {
            return opcode == OP_0;
        }
        if (n == 1 && data[0] >= 1 && data[0] <= 16) {
            return false; // should have used OP_1 .. OP_16
        }
        if (n == 1 && (data[0] & 0xff) == 0x81) {
            return false; // should have used OP_1NEGATE
        }
        if (n <= 75) {
            return opcode == n;
        }
        if (n <= 255) {
            return opcode == OP_PUSHDATA1;
        }
        if (n <= 65535) {
            return opcode == OP_PUSHDATA2;
        }
        return true;
    }

    private static void check(ScriptError e) {
        if (e != ScriptError.OK) {
            throw fail(e);
        }
    }

    private long num(byte[] v) {
        return ScriptNum.decode(v, requireMinimal, ScriptNum.DEFAULT_MAX_SIZE);
    }

    private void need(int n) {
        if (stack.size() < n) {
            throw fail(ScriptError.INVALID_STACK_OPERATION);
        }
    }

    private byte[] top(int i) {
        return stack.get(stack.size() + i);
    }

    private byte[] pop() {
        return stack.remove(stack.size() - 1);
    }

    private void swap(int i, int j) {
        int a = stack.size() + i;
        int b = stack.size() + j;
        byte[] t = stack.get(a);
        stack.set(a, stack.get(b));
        stack.set(b, t);
    }

    /** Core's ConditionStack: the IF nesting as a depth and the position of the first false. */
    private static final class ConditionStack {
        private static final int NO_FALSE = -1;
        private int size;
        private int firstFalsePos = NO_FALSE;

        boolean isEmpty() {
            return size == 0;
        }

        boolean allTrue() {
            return firstFalsePos == NO_FALSE;
        }

        void push(boolean v) {
            if (firstFalsePos == NO_FALSE && !v) {
                firstFalsePos = size;
            }
            size++;
        }

        void pop() {
            size--;
            if (firstFalsePos == size) {
                firstFalsePos = NO_FALSE;
            }
        }

        void toggleTop() {
            if (firstFalsePos == NO_FALSE) {
                firstFalsePos = size - 1;
            } else if (firstFalsePos == size - 1) {
                firstFalsePos = NO_FALSE;
            }
        }
    }
}
