package org.jbitcoind.chain.script;

import java.util.Arrays;

import org.jbitcoind.protocol.codec.Hex;

/** One parsed script operation; {@code data} is the pushed bytes for push operations, else null. */
public record ScriptChunk(int opcode, byte[] data) {
    public boolean isPush() {
        return opcode <= Opcodes.OP_PUSHDATA4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScriptChunk c && c.opcode == opcode && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return opcode * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return data != null ? Opcodes.name(opcode) + "[" + Hex.encode(data) + "]" : Opcodes.name(opcode);
    }
}
