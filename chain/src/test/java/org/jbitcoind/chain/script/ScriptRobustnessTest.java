package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** Arbitrary scripts, witnesses and flags give a ScriptError, never an exception. */
class ScriptRobustnessTest {
    private static final int[] INTERESTING = {Opcodes.OP_IF, Opcodes.OP_NOTIF, Opcodes.OP_ELSE, Opcodes.OP_ENDIF,
        Opcodes.OP_DUP, Opcodes.OP_PICK, Opcodes.OP_ROLL, Opcodes.OP_CHECKSIG, Opcodes.OP_CHECKMULTISIG,
        Opcodes.OP_CHECKSIGADD, Opcodes.OP_CODESEPARATOR, Opcodes.OP_PUSHDATA1, Opcodes.OP_PUSHDATA2,
        Opcodes.OP_PUSHDATA4, Opcodes.OP_1NEGATE, Opcodes.OP_16, Opcodes.OP_CHECKLOCKTIMEVERIFY,
        Opcodes.OP_CHECKSEQUENCEVERIFY, Opcodes.OP_2ROT, Opcodes.OP_TOALTSTACK, Opcodes.OP_FROMALTSTACK,
        Opcodes.OP_ADD, Opcodes.OP_WITHIN, Opcodes.OP_SIZE, Opcodes.OP_HASH160, 0x50, 0xba, 0xff};

    private static byte[] randomScript(SplittableRandom r) {
        byte[] s = new byte[r.nextInt(0, 120)];
        for (int i = 0; i < s.length; i++) {
            int kind = r.nextInt(4);
            s[i] = (byte) (kind == 0 ? INTERESTING[r.nextInt(INTERESTING.length)]
                    : kind == 1 ? r.nextInt(0x51, 0x61) : kind == 2 ? r.nextInt(0, 5) : r.nextInt(256));
        }
        return s;
    }

    private static byte[] randomSpk(SplittableRandom r, byte[] redeemOrScript) {
        return switch (r.nextInt(6)) {
            case 0 -> StandardScripts.payToScriptHash(Hashes.hash160(redeemOrScript));
            case 1 -> StandardScripts.witnessProgram(0, Hashes.sha256(redeemOrScript));
            case 2 -> StandardScripts.witnessProgram(1, Hashes.sha256(redeemOrScript));
            case 3 -> StandardScripts.witnessProgram(0, new byte[20]);
            default -> randomScript(r);
        };
    }

    @Test
    void randomInputsNeverThrow() {
        SplittableRandom r = new SplittableRandom(2026);
        java.util.Set<ScriptError> seen = java.util.EnumSet.noneOf(ScriptError.class);
        for (int i = 0; i < 3000; i++) {
            byte[] inner = randomScript(r);
            List<byte[]> witness = new ArrayList<>();
            int items = r.nextInt(4);
            for (int k = 0; k < items; k++) {
                witness.add(r.nextBoolean() ? randomScript(r) : new byte[r.nextInt(0, 70)]);
            }
            if (r.nextBoolean()) {
                witness.add(inner);
                if (r.nextBoolean()) {
                    byte[] control = new byte[33 + 32 * r.nextInt(3)];
                    control[0] = (byte) (0xc0 | r.nextInt(2));
                    witness.add(control);
                }
            }
            byte[] scriptSig = r.nextInt(3) == 0 ? Script.pushOf(inner) : randomScript(r);
            int flags = FlagNames.fill(r.nextInt(1 << 21));
            ScriptError e = ScriptTestsVectorTest.run(new ScriptVerifier(), scriptSig, randomSpk(r, inner), witness,
                    r.nextInt(1000), flags);
            assertNotNull(e);
            // UNKNOWN_ERROR would mean an unexpected exception was caught inside the interpreter.
            assertNotEquals(ScriptError.UNKNOWN_ERROR, e);
            seen.add(e);
        }
        assertTrue(seen.size() >= 15, "outcomes seen: " + seen);
    }
}
