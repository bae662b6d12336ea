package org.jbitcoind.chain.script;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteWriter;

/** Static helpers over raw script bytes: parsing, building pushes, and Core's CScript predicates. */
public final class Script {
    public static final int MAX_SCRIPT_SIZE = 10_000;
    public static final int MAX_SCRIPT_ELEMENT_SIZE = 520;
    public static final int MAX_OPS_PER_SCRIPT = 201;
    public static final int MAX_PUBKEYS_PER_MULTISIG = 20;
    public static final int MAX_STACK_SIZE = 1000;
    /** BIP141. */
    public static final int WITNESS_V0_KEYHASH_SIZE = 20;
    public static final int WITNESS_V0_SCRIPTHASH_SIZE = 32;
    public static final int WITNESS_V1_TAPROOT_SIZE = 32;

    private Script() {
    }

    /** All operations of a script, or an exception naming where a push runs past the end. */
    public static List<ScriptChunk> parse(byte[] script) throws ScriptParseException {
        List<ScriptChunk> out = new ArrayList<>();
        ScriptReader r = new ScriptReader(script);
        while (r.next()) {
            out.add(new ScriptChunk(r.opcode(), r.isPush() ? r.pushData() : null));
        }
        if (r.failed()) {
            throw new ScriptParseException("truncated push at offset " + r.opStart() + " of " + script.length);
        }
        return out;
    }

    /** Core's CScript::IsPushOnly: only pushes and OP_1NEGATE/OP_RESERVED/OP_1..OP_16, and parseable. */
    public static boolean isPushOnly(byte[] script) {
        return isPushOnly(script, 0);
    }

    public static boolean isPushOnly(byte[] script, int from) {
        ScriptReader r = new ScriptReader(script, from, script.length);
        while (r.next()) {
            if (r.opcode() > Opcodes.OP_16) {
                return false;
            }
        }
        return !r.failed();
    }

    /** BIP16: OP_HASH160 <20 bytes> OP_EQUAL, exactly. */
    public static boolean isPayToScriptHash(byte[] s) {
        return s.length == 23 && (s[0] & 0xff) == Opcodes.OP_HASH160 && s[1] == 0x14
                && (s[22] & 0xff) == Opcodes.OP_EQUAL;
    }

    /** BIP141: a version opcode followed by one direct push of 2 to 40 bytes. */
    public static boolean isWitnessProgram(byte[] s) {
        if (s.length < 4 || s.length > 42) {
            return false;
        }
        int v = s[0] & 0xff;
        if (v != Opcodes.OP_0 && (v < Opcodes.OP_1 || v > Opcodes.OP_16)) {
            return false;
        }
        return (s[1] & 0xff) + 2 == s.length;
    }

    /** Witness version of a script that {@link #isWitnessProgram} accepts. */
    public static int witnessVersion(byte[] s) {
        return Opcodes.decodeOpN(s[0] & 0xff);
    }

    public static byte[] witnessProgram(byte[] s) {
        byte[] p = new byte[s.length - 2];
        System.arraycopy(s, 2, p, 0, p.length);
        return p;
    }

    /** BIP-less pay-to-anchor output: OP_1 <0x4e73>. */
    public static boolean isPayToAnchor(byte[] s) {
        return s.length == 4 && (s[0] & 0xff) == Opcodes.OP_1 && s[1] == 0x02 && s[2] == 0x4e && s[3] == 0x73;
    }

    /** Core's IsUnspendable: starts with OP_RETURN or is larger than the script size limit. */
    public static boolean isUnspendable(byte[] s) {
        return (s.length > 0 && (s[0] & 0xff) == Opcodes.OP_RETURN) || s.length > MAX_SCRIPT_SIZE;
    }

    /** The script bytes of a minimal-opcode data push (Core's {@code CScript() << data}). */
    public static byte[] pushOf(byte[] data) {
        ByteWriter w = new ByteWriter(data.length + 5);
        writePush(w, data);
        return w.toByteArray();
    }

    /** Appends a push of {@code data} using the smallest push opcode (never OP_n). */
    public static void writePush(ByteWriter w, byte[] data) {
        int n = data.length;
        if (n < Opcodes.OP_PUSHDATA1) {
            w.writeU8(n);
        } else if (n <= 0xff) {
            w.writeU8(Opcodes.OP_PUSHDATA1).writeU8(n);
        } else if (n <= 0xffff) {
            w.writeU8(Opcodes.OP_PUSHDATA2).writeU16LE(n);
        } else {
            w.writeU8(Opcodes.OP_PUSHDATA4).writeU32LE(n);
        }
        w.writeBytes(data);
    }

    /**
     * Core's GetSigOpCount(fAccurate): CHECKSIG counts 1; CHECKMULTISIG counts the preceding
     * OP_n when accurate, else 20. Stops silently at a truncated push.
     */
    public static int sigOpCount(byte[] script, boolean accurate) {
        int n = 0;
        int last = Opcodes.OP_INVALIDOPCODE;
        int pc = 0;
        // Stops at the end or at a truncated push, as ScriptReader.next (and Core's GetOp) would.
        while (pc < script.length) {
            int op = script[pc] & 0xff;
            pc = ScriptReader.skip(script, pc, script.length);
            if (pc < 0) {
                break;
            }
            if (op == Opcodes.OP_CHECKSIG || op == Opcodes.OP_CHECKSIGVERIFY) {
                n++;
            } else if (op == Opcodes.OP_CHECKMULTISIG || op == Opcodes.OP_CHECKMULTISIGVERIFY) {
                if (accurate && last >= Opcodes.OP_1 && last <= Opcodes.OP_16) {
                    n += Opcodes.decodeOpN(last);
                } else {
                    n += MAX_PUBKEYS_PER_MULTISIG;
                }
            }
            last = op;
        }
        return n;
    }

    /**
     * The data of the last push of a push-only scriptSig, or null when the scriptSig has a
     * non-push operation or does not parse (Core returns 0 sigops then).
     */
    static byte[] lastPushIfPushOnly(byte[] scriptSig) {
        ScriptReader r = new ScriptReader(scriptSig);
        byte[] data = new byte[0];
        while (r.next()) {
            if (r.opcode() > Opcodes.OP_16) {
                return null;
            }
            data = r.pushData();
        }
        return r.failed() ? null : data;
    }
}
