package org.jbitcoind.chain.script;

/**
 * A forward cursor over a script's operations (Core's GetScriptOp) that does not copy push data.
 * After {@link #next()} returns true, {@link #opcode()} is the operation and, for pushes,
 * {@link #pushStart()}/{@link #pushLength()} locate the data inside {@link #script()}. When
 * {@link #next()} returns false, {@link #failed()} tells a truncated push from the normal end.
 */
public final class ScriptReader {
    private final byte[] script;
    private final int end;
    private int pc;
    private int opStart;
    private int opcode = Opcodes.OP_INVALIDOPCODE;
    private int pushStart;
    private int pushLength;
    private boolean failed;

    public ScriptReader(byte[] script) {
        this(script, 0, script.length);
    }

    public ScriptReader(byte[] script, int from, int to) {
        this.script = script;
        this.pc = from;
        this.end = to;
    }

    /** Reads the next operation; false at the end of the script or on a truncated push. */
    public boolean next() {
        opcode = Opcodes.OP_INVALIDOPCODE;
        pushLength = 0;
        if (pc >= end) {
            return false;
        }
        opStart = pc;
        int op = script[pc++] & 0xff;
        if (op <= Opcodes.OP_PUSHDATA4) {
            long size;
            if (op < Opcodes.OP_PUSHDATA1) {
                size = op;
            } else if (op == Opcodes.OP_PUSHDATA1) {
                if (end - pc < 1) {
                    return fail();
                }
                size = script[pc] & 0xff;
                pc += 1;
            } else if (op == Opcodes.OP_PUSHDATA2) {
                if (end - pc < 2) {
                    return fail();
                }
                size = (script[pc] & 0xff) | (script[pc + 1] & 0xff) << 8;
                pc += 2;
            } else {
                if (end - pc < 4) {
                    return fail();
                }
                size = (script[pc] & 0xffL) | (script[pc + 1] & 0xffL) << 8 | (script[pc + 2] & 0xffL) << 16
                        | (script[pc + 3] & 0xffL) << 24;
                pc += 4;
            }
            if (end - pc < size) {
                return fail();
            }
            pushStart = pc;
            pushLength = (int) size;
            pc += (int) size;
        }
        opcode = op;
        return true;
    }

    /** Continues from {@code from} (an operation boundary) as a fresh reader over [from, end) would. */
    void restartAt(int from) {
        pc = from;
        failed = false;
    }

    /**
     * The offset just past the operation at {@code pc} (before {@code end}), or -1 when its push
     * runs past {@code end}: {@link #next()} without a reader object, for loops that need only
     * the opcodes.
     */
    static int skip(byte[] script, int pc, int end) {
        int op = script[pc++] & 0xff;
        if (op > Opcodes.OP_PUSHDATA4) {
            return pc;
        }
        long size;
        if (op < Opcodes.OP_PUSHDATA1) {
            size = op;
        } else if (op == Opcodes.OP_PUSHDATA1) {
            if (end - pc < 1) {
                return -1;
            }
            size = script[pc] & 0xff;
            pc += 1;
        } else if (op == Opcodes.OP_PUSHDATA2) {
            if (end - pc < 2) {
                return -1;
            }
            size = (script[pc] & 0xff) | (script[pc + 1] & 0xff) << 8;
            pc += 2;
        } else {
            if (end - pc < 4) {
                return -1;
            }
            size = (script[pc] & 0xffL) | (script[pc + 1] & 0xffL) << 8 | (script[pc + 2] & 0xffL) << 16
                    | (script[pc + 3] & 0xffL) << 24;
            pc += 4;
        }
        if (end - pc < size) {
            return -1;
        }
        return pc + (int) size;
    }

    private boolean fail() {
        failed = true;
        pc = end;
        return false;
    }

    public byte[] script() {
        return script;
    }

    public int opcode() {
        return opcode;
    }

    /** True when the current operation pushes data (OP_0 .. OP_PUSHDATA4). */
    public boolean isPush() {
        return opcode <= Opcodes.OP_PUSHDATA4;
    }

    public int pushStart() {
        return pushStart;
    }

    public int pushLength() {
        return pushLength;
    }

    /** A copy of the current push's data (empty for non-push operations). */
    public byte[] pushData() {
        byte[] out = new byte[pushLength];
        System.arraycopy(script, pushStart, out, 0, pushLength);
        return out;
    }

    /** Offset of the current operation's first byte. */
    public int opStart() {
        return opStart;
    }

    /** Offset just past the current operation. */
    public int position() {
        return pc;
    }

    public int end() {
        return end;
    }

    public boolean failed() {
        return failed;
    }
}
