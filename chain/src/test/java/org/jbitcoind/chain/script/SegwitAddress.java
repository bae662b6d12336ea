package org.jbitcoind.chain.script;

import java.io.ByteArrayOutputStream;

/** Test-only BIP173/BIP350 segwit address encoder, to check the BIP341 vectors' addresses. */
final class SegwitAddress {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int BECH32M_CONST = 0x2bc830a3;

    private SegwitAddress() {
    }

    static String encode(String hrp, int version, byte[] program) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(version);
        // Regroup 8-bit bytes into 5-bit groups, padding the last one.
        int acc = 0;
        int bits = 0;
        for (byte b : program) {
            acc = (acc << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                data.write((acc >> bits) & 31);
            }
        }
        if (bits > 0) {
            data.write((acc << (5 - bits)) & 31);
        }
        byte[] values = data.toByteArray();
        int constant = version == 0 ? 1 : BECH32M_CONST;
        int[] expanded = new int[hrp.length() * 2 + 1 + values.length + 6];
        int n = 0;
        for (char c : hrp.toCharArray()) {
            expanded[n++] = c >> 5;
        }
        expanded[n++] = 0;
        for (char c : hrp.toCharArray()) {
            expanded[n++] = c & 31;
        }
        for (byte v : values) {
            expanded[n++] = v;
        }
        int mod = polymod(expanded) ^ constant;
        StringBuilder sb = new StringBuilder(hrp).append('1');
        for (byte v : values) {
            sb.append(CHARSET.charAt(v));
        }
        for (int i = 0; i < 6; i++) {
            sb.append(CHARSET.charAt((mod >> (5 * (5 - i))) & 31));
        }
        return sb.toString();
    }

    private static int polymod(int[] values) {
        int[] gen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        int chk = 1;
        for (int v : values) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++) {
                if (((top >> i) & 1) != 0) {
                    chk ^= gen[i];
                }
            }
        }
        return chk;
    }
}
