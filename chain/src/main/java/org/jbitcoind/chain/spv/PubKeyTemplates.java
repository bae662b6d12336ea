package org.jbitcoind.chain.spv;

import java.util.OptionalInt;

/**
 * The two output templates that BIP37's BLOOM_UPDATE_P2PUBKEY_ONLY cares about, recognised the way
 * Core's Solver does: pay-to-pubkey (a 33- or 65-byte key, then OP_CHECKSIG) and bare multisig
 * (m, keys, n, OP_CHECKMULTISIG). Those are the outputs whose spends do not repeat a data element
 * of the output script, so the filter must learn the outpoint to see the spend.
 */
final class PubKeyTemplates {
    /** Core's MAX_PUBKEYS_PER_MULTISIG. */
    static final int MAX_PUBKEYS_PER_MULTISIG = 20;

    private PubKeyTemplates() {
    }

    static boolean isPayToPubKeyOrMultisig(byte[] script) {
        return isPayToPubKey(script) || isMultisig(script);
    }

    static boolean isPayToPubKey(byte[] script) {
        int n = script.length;
        if ((n == 67 && script[0] == 65 || n == 35 && script[0] == 33) && (script[n - 1] & 0xff) == ScriptOps.OP_CHECKSIG) {
            return pubKeyLength(script[1]) == n - 2;
        }
        return false;
    }

    static boolean isMultisig(byte[] script) {
        if (script.length < 1 || (script[script.length - 1] & 0xff) != ScriptOps.OP_CHECKMULTISIG) {
            return false;
        }
        ScriptOps ops = new ScriptOps(script);
        if (!ops.next()) {
            return false;
        }
        OptionalInt required = scriptNumber(ops.opcode(), ops.data(), 1, MAX_PUBKEYS_PER_MULTISIG);
        if (required.isEmpty()) {
            return false;
        }
        int keys = 0;
        boolean more;
        while ((more = ops.next()) && isValidPubKeySize(ops.data())) {
            keys++;
        }
        if (!more) {
            return false;
        }
        OptionalInt declared = scriptNumber(ops.opcode(), ops.data(), required.getAsInt(), MAX_PUBKEYS_PER_MULTISIG);
        // After n exactly one byte must remain: the OP_CHECKMULTISIG checked above.
        return declared.isPresent() && declared.getAsInt() == keys && ops.position() + 1 == script.length;
    }

    /** Core's CPubKey::ValidSize: the header byte implies the length. */
    private static boolean isValidPubKeySize(byte[] key) {
        return key.length > 0 && pubKeyLength(key[0]) == key.length;
    }

    private static int pubKeyLength(byte header) {
        return switch (header) {
            case 2, 3 -> 33;
            case 4, 6, 7 -> 65;
            default -> 0;
        };
    }

    /** Core's GetScriptNumber: OP_1..OP_16, or a minimal push of a minimal number, within range. */
    private static OptionalInt scriptNumber(int opcode, byte[] data, int min, int max) {
        int value;
        if (opcode >= ScriptOps.OP_1 && opcode <= ScriptOps.OP_16) {
            value = opcode - ScriptOps.OP_1 + 1;
        } else if (opcode > ScriptOps.OP_0 && opcode <= ScriptOps.OP_PUSHDATA4) {
            if (!ScriptOps.isMinimalPush(data, opcode)) {
                return OptionalInt.empty();
            }
            OptionalInt decoded = decodeMinimalScriptNum(data);
            if (decoded.isEmpty()) {
                return OptionalInt.empty();
            }
            value = decoded.getAsInt();
        } else {
            return OptionalInt.empty();
        }
        return value < min || value > max ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /** CScriptNum with fRequireMinimal and the default 4-byte limit. */
    private static OptionalInt decodeMinimalScriptNum(byte[] data) {
        int n = data.length;
        if (n > 4) {
            return OptionalInt.empty();
        }
        if (n > 0 && (data[n - 1] & 0x7f) == 0 && (n <= 1 || (data[n - 2] & 0x80) == 0)) {
            return OptionalInt.empty();
        }
        if (n == 0) {
            return OptionalInt.of(0);
        }
        long result = 0;
        for (int i = 0; i < n; i++) {
            result |= (long) (data[i] & 0xff) << (8 * i);
        }
        if ((data[n - 1] & 0x80) != 0) {
            result &= ~(0x80L << (8 * (n - 1)));
            result = -result;
        }
        return OptionalInt.of((int) result);
    }
}
