package org.jbitcoind.chain.script;

import java.util.ArrayList;
import java.util.List;

/** Recognises standard output templates (Core's Solver) and builds the common ones. */
public final class StandardScripts {
    private StandardScripts() {
    }

    /** A multisig template's parameters: m-of-keys.size(). */
    public record Multisig(int required, List<byte[]> keys) {
    }

    /**
     * A template match with its data, as Core's Solver returns it: the key for PUBKEY, the
     * 20-byte hash for PUBKEYHASH and SCRIPTHASH, the program for witness outputs (preceded by
     * the one-byte version for WITNESS_UNKNOWN), m, the keys and n (one byte each) for
     * MULTISIG, nothing otherwise.
     */
    public record Solution(ScriptType type, List<byte[]> data) {
    }

    public static Solution solve(byte[] s) {
        ScriptType type = classify(s);
        List<byte[]> data = switch (type) {
            case PUBKEY -> List.of(payToPubkey(s));
            case PUBKEYHASH -> List.of(java.util.Arrays.copyOfRange(s, 3, 23));
            case SCRIPTHASH -> List.of(java.util.Arrays.copyOfRange(s, 2, 22));
            case WITNESS_V0_KEYHASH, WITNESS_V0_SCRIPTHASH, WITNESS_V1_TAPROOT -> List.of(Script.witnessProgram(s));
            case WITNESS_UNKNOWN -> List.of(new byte[] {(byte) Script.witnessVersion(s)}, Script.witnessProgram(s));
            case MULTISIG -> {
                Multisig m = multisig(s);
                List<byte[]> out = new ArrayList<>();
                out.add(new byte[] {(byte) m.required()});
                out.addAll(m.keys());
                out.add(new byte[] {(byte) m.keys().size()});
                yield out;
            }
            default -> List.of();
        };
        return new Solution(type, data);
    }

    public static ScriptType classify(byte[] s) {
        if (Script.isPayToScriptHash(s)) {
            return ScriptType.SCRIPTHASH;
        }
        if (Script.isWitnessProgram(s)) {
            int version = Script.witnessVersion(s);
            int len = s.length - 2;
            if (version == 0 && len == Script.WITNESS_V0_KEYHASH_SIZE) {
                return ScriptType.WITNESS_V0_KEYHASH;
            }
            if (version == 0 && len == Script.WITNESS_V0_SCRIPTHASH_SIZE) {
                return ScriptType.WITNESS_V0_SCRIPTHASH;
            }
            if (version == 1 && len == Script.WITNESS_V1_TAPROOT_SIZE) {
                return ScriptType.WITNESS_V1_TAPROOT;
            }
            if (Script.isPayToAnchor(s)) {
                return ScriptType.ANCHOR;
            }
            return version != 0 ? ScriptType.WITNESS_UNKNOWN : ScriptType.NONSTANDARD;
        }
        // Provably unspendable, data-carrying output.
        if (s.length >= 1 && (s[0] & 0xff) == Opcodes.OP_RETURN && Script.isPushOnly(s, 1)) {
            return ScriptType.NULL_DATA;
        }
        if (payToPubkey(s) != null) {
            return ScriptType.PUBKEY;
        }
        if (isPayToPubkeyHash(s)) {
            return ScriptType.PUBKEYHASH;
        }
        if (multisig(s) != null) {
            return ScriptType.MULTISIG;
        }
        return ScriptType.NONSTANDARD;
    }

    /** The public key of a P2PK script, or null. */
    public static byte[] payToPubkey(byte[] s) {
        if (s.length == 35 && s[0] == 33 && (s[34] & 0xff) == Opcodes.OP_CHECKSIG && validKeySize(s, 1, 33)) {
            return java.util.Arrays.copyOfRange(s, 1, 34);
        }
        if (s.length == 67 && s[0] == 65 && (s[66] & 0xff) == Opcodes.OP_CHECKSIG && validKeySize(s, 1, 65)) {
            return java.util.Arrays.copyOfRange(s, 1, 66);
        }
        return null;
    }

    public static boolean isPayToPubkeyHash(byte[] s) {
        return s.length == 25 && (s[0] & 0xff) == Opcodes.OP_DUP && (s[1] & 0xff) == Opcodes.OP_HASH160
                && s[2] == 20 && (s[23] & 0xff) == Opcodes.OP_EQUALVERIFY && (s[24] & 0xff) == Opcodes.OP_CHECKSIG;
    }

    /** Core's MatchMultisig: m, 1..20 keys of valid size, n, OP_CHECKMULTISIG; or null. */
    public static Multisig multisig(byte[] s) {
        if (s.length < 1 || (s[s.length - 1] & 0xff) != Opcodes.OP_CHECKMULTISIG) {
            return null;
        }
        ScriptReader r = new ScriptReader(s);
        if (!r.next()) {
            return null;
        }
        int required = smallNumber(r, 1, Script.MAX_PUBKEYS_PER_MULTISIG);
        if (required < 0) {
            return null;
        }
        List<byte[]> keys = new ArrayList<>();
        boolean more;
        while ((more = r.next()) && r.isPush() && validKeySize(s, r.pushStart(), r.pushLength())) {
            keys.add(r.pushData());
        }
        if (!more) {
            return null;
        }
        int count = smallNumber(r, required, Script.MAX_PUBKEYS_PER_MULTISIG);
        if (count < 0 || keys.size() != count) {
            return null;
        }
        return r.position() + 1 == s.length ? new Multisig(required, keys) : null;
    }

    private static int smallNumber(ScriptReader r, int min, int max) {
        int op = r.opcode();
        long n;
        if (op >= Opcodes.OP_1 && op <= Opcodes.OP_16 || op == Opcodes.OP_0) {
            n = Opcodes.decodeOpN(op);
        } else if (r.isPush()) {
            byte[] data = r.pushData();
            if (!Interpreter.checkMinimalPush(data, op) || data.length > ScriptNum.DEFAULT_MAX_SIZE
                    || !ScriptNum.isMinimal(data)) {
                return -1;
            }
            n = ScriptNum.decode(data, true, ScriptNum.DEFAULT_MAX_SIZE);
        } else {
            return -1;
        }
        return n < min || n > max ? -1 : (int) n;
    }

    /** Core's CPubKey::ValidSize: the length implied by the first byte matches. */
    static boolean validKeySize(byte[] buf, int off, int len) {
        if (len == 0) {
            return false;
        }
        int h = buf[off] & 0xff;
        int expected = (h == 2 || h == 3) ? 33 : (h == 4 || h == 6 || h == 7) ? 65 : 0;
        return expected == len;
    }

    public static byte[] payToPubkeyHash(byte[] hash160) {
        byte[] s = new byte[25];
        s[0] = (byte) Opcodes.OP_DUP;
        s[1] = (byte) Opcodes.OP_HASH160;
        s[2] = 20;
        System.arraycopy(hash160, 0, s, 3, 20);
        s[23] = (byte) Opcodes.OP_EQUALVERIFY;
        s[24] = (byte) Opcodes.OP_CHECKSIG;
        return s;
    }

    public static byte[] payToScriptHash(byte[] hash160) {
        byte[] s = new byte[23];
        s[0] = (byte) Opcodes.OP_HASH160;
        s[1] = 20;
        System.arraycopy(hash160, 0, s, 2, 20);
        s[22] = (byte) Opcodes.OP_EQUAL;
        return s;
    }

    /** A witness program output: OP_version followed by a push of the program. */
    public static byte[] witnessProgram(int version, byte[] program) {
        byte[] s = new byte[program.length + 2];
        s[0] = (byte) Opcodes.encodeOpN(version);
        s[1] = (byte) program.length;
        System.arraycopy(program, 0, s, 2, program.length);
        return s;
    }
}
