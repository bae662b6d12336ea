package org.jbitcoind.chain.script;

import org.jbitcoind.protocol.codec.Hex;

/** Core's ScriptToAsmStr: the "asm" text of decodescript and getrawtransaction. */
public final class ScriptAsm {
    private ScriptAsm() {
    }

    /**
     * @param attemptSighashDecode for scriptSigs: render a trailing sighash byte of a validly
     *        encoded signature as "[ALL]" etc., as Core does
     */
    public static String toAsm(byte[] script, boolean attemptSighashDecode) {
        StringBuilder sb = new StringBuilder();
        ScriptReader r = new ScriptReader(script);
        boolean first = true;
        while (true) {
            boolean ok = r.next();
            if (!ok && !r.failed()) {
                break;
            }
            if (!first) {
                sb.append(' ');
            }
            first = false;
            if (!ok) {
                sb.append("[error]");
                break;
            }
            int op = r.opcode();
            if (op <= Opcodes.OP_PUSHDATA4) {
                byte[] data = r.pushData();
                if (data.length <= 4) {
                    sb.append(ScriptNum.decode(data, false, 4));
                } else {
                    appendData(sb, data, attemptSighashDecode && !Script.isUnspendable(script));
                }
            } else {
                sb.append(Opcodes.name(op));
            }
        }
        return sb.toString();
    }

    private static void appendData(StringBuilder sb, byte[] data, boolean decodeSighash) {
        if (decodeSighash && SignatureEncoding.isValidStrictEncoding(data)) {
            String type = sighashName(data[data.length - 1] & 0xff);
            if (type != null) {
                sb.append(Hex.encode(data, 0, data.length - 1)).append('[').append(type).append(']');
                return;
            }
        }
        sb.append(Hex.encode(data));
    }

    private static String sighashName(int t) {
        return switch (t) {
            case 0x01 -> "ALL";
            case 0x81 -> "ALL|ANYONECANPAY";
            case 0x02 -> "NONE";
            case 0x82 -> "NONE|ANYONECANPAY";
            case 0x03 -> "SINGLE";
            case 0x83 -> "SINGLE|ANYONECANPAY";
            default -> null;
        };
    }
}
