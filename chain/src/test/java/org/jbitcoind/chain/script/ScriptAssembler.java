package org.jbitcoind.chain.script;

import java.nio.charset.StandardCharsets;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.Hex;

/** Parses the script notation of Core's test vectors (see the vectors README) into bytes. */
final class ScriptAssembler {
    private ScriptAssembler() {
    }

    static byte[] assemble(String text) {
        ByteWriter w = new ByteWriter();
        for (String token : text.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.matches("-?\\d+")) {
                long n = Long.parseLong(token);
                if (n == 0) {
                    w.writeU8(Opcodes.OP_0);
                } else if (n == -1) {
                    w.writeU8(Opcodes.OP_1NEGATE);
                } else if (n >= 1 && n <= 16) {
                    w.writeU8(Opcodes.encodeOpN((int) n));
                } else {
                    Script.writePush(w, ScriptNum.encode(n));
                }
            } else if (token.startsWith("0x")) {
                w.writeBytes(Hex.decode(token.substring(2)));
            } else if (token.length() >= 2 && token.startsWith("'") && token.endsWith("'")) {
                Script.writePush(w, token.substring(1, token.length() - 1).getBytes(StandardCharsets.US_ASCII));
            } else {
                int op = Opcodes.byName(token);
                if (op < Opcodes.OP_NOP && op != Opcodes.OP_RESERVED) {
                    throw new IllegalArgumentException("unknown script token: " + token);
                }
                w.writeU8(op);
            }
        }
        return w.toByteArray();
    }
}
