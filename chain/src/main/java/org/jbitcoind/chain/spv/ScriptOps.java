package org.jbitcoind.chain.spv;

/**
 * Walks a script one operation at a time with Core's GetOp rules: a push opcode (0x00..0x4e)
 * carries the bytes it pushes, any other opcode carries none, and a push that runs past the end
 * of the script stops the walk. Bloom filters and the P2PK/multisig templates need nothing
 * more, so this stays independent of the script interpreter.
 */
final class ScriptOps {
    static final int OP_0 = 0x00;
    static final int OP_PUSHDATA1 = 0x4c;
    static final int OP_PUSHDATA2 = 0x4d;
    static final int OP_PUSHDATA4 = 0x4e;
    static final int OP_1 = 0x51;
    static final int OP_16 = 0x60;
    static final int OP_RETURN = 0x6a;
    static final int OP_CHECKSIG = 0xac;
    static final int OP_CHECKMULTISIG = 0xae;

    private static final byte[] NO_DATA = new byte[0];

    private final byte[] script;
    private int pos;
    private int opcode = -1;
    private byte[] data = NO_DATA;

    ScriptOps(byte[] script) {
        this.script = script;
    }

    /** Position just after the last operation read. */
    int position() {
        return pos;
    }

    int opcode() {
        return opcode;
    }

    /** The pushed bytes of the last operation; empty for non-push opcodes and OP_0. */
    byte[] data() {
        return data;
    }

    /** Reads the next operation; false at the end of the script or on a truncated push. */
    boolean next() {
        if (pos >= script.length) {
            return false;
        }
        int op = script[pos] & 0xff;
        int p = pos + 1;
        data = NO_DATA;
        if (op <= OP_PUSHDATA4) {
            long size;
            if (op < OP_PUSHDATA1) {
                size = op;
            } else {
                int width = op == OP_PUSHDATA1 ? 1 : op == OP_PUSHDATA2 ? 2 : 4;
                if (script.length - p < width) {
                    return false;
                }
                size = 0;
                for (int i = width - 1; i >= 0; i--) {
                    size = size << 8 | (script[p + i] & 0xff);
                }
                p += width;
            }
            if (size > script.length - p) {
                return false;
            }
            data = java.util.Arrays.copyOfRange(script, p, p + (int) size);
            p += (int) size;
        }
        opcode = op;
        pos = p;
        return true;
    }

    /** Core's CheckMinimalPush: the shortest opcode that pushes {@code data}. */
    static boolean isMinimalPush(byte[] data, int opcode) {
        if (data.length == 0) {
            return opcode == OP_0;
        }
        if (data.length == 1 && (data[0] & 0xff) >= 1 && (data[0] & 0xff) <= 16) {
            return false;
        }
        if (data.length == 1 && (data[0] & 0xff) == 0x81) {
            return false;
        }
        if (data.length <= 75) {
            return opcode == data.length;
        }
        if (data.length <= 255) {
            return opcode == OP_PUSHDATA1;
        }
        if (data.length <= 65535) {
            return opcode == OP_PUSHDATA2;
        }
        return true;
    }
}
