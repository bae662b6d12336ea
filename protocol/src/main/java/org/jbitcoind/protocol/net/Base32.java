package org.jbitcoind.protocol.net;

import java.io.ByteArrayOutputStream;

/** RFC 4648 base32, lower case, without padding: the alphabet of .onion and .b32.i2p names. */
final class Base32 {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private Base32() {
    }

    static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = buffer << 8 | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** @throws IllegalArgumentException on a character outside the alphabet or non-zero padding bits */
    static byte[] decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = ALPHABET.indexOf(Character.toLowerCase(s.charAt(i)));
            if (v < 0) {
                throw new IllegalArgumentException("invalid base32 character '" + s.charAt(i) + "'");
            }
            buffer = buffer << 5 | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("non-zero base32 padding bits");
        }
        return out.toByteArray();
    }
}
