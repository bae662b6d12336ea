package org.jbitcoind.chain.address;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Bech32 (BIP173) and bech32m (BIP350) strings: human-readable part, 5-bit data and checksum. */
public final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int MAX_LENGTH = 90;
    private static final int CHECKSUM_LENGTH = 6;

    /** The two checksum variants; bech32m changed only the constant (BIP350). */
    public enum Encoding {
        BECH32(1), BECH32M(0x2bc830a3);

        private final int constant;

        Encoding(int constant) {
            this.constant = constant;
        }
    }

    /** A decoded string: lower-case hrp, 5-bit values without the checksum, and which checksum matched. */
    public record Decoded(String hrp, byte[] values, Encoding encoding) {
    }

    private Bech32() {
    }

    public static String encode(String hrp, byte[] values, Encoding encoding) {
        int mod = polymod(hrpExpand(hrp), values, new byte[CHECKSUM_LENGTH]) ^ encoding.constant;
        StringBuilder sb = new StringBuilder(hrp).append('1');
        for (byte v : values) {
            sb.append(CHARSET.charAt(v));
        }
        for (int i = 0; i < CHECKSUM_LENGTH; i++) {
            sb.append(CHARSET.charAt((mod >> (5 * (5 - i))) & 31));
        }
        return sb.toString();
    }

    public static Decoded decode(String text) throws AddressException {
        if (text.length() > MAX_LENGTH) {
            throw new AddressException("Bech32 string too long");
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                throw new AddressException("Invalid character in Bech32 string");
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new AddressException("Invalid character or mixed case");
        }
        String s = text.toLowerCase(Locale.ROOT);
        int sep = s.lastIndexOf('1');
        if (sep < 1 || sep + CHECKSUM_LENGTH + 1 > s.length()) {
            throw new AddressException("Invalid separator position");
        }
        String hrp = s.substring(0, sep);
        byte[] data = new byte[s.length() - sep - 1];
        for (int i = 0; i < data.length; i++) {
            int v = CHARSET.indexOf(s.charAt(sep + 1 + i));
            if (v < 0) {
                throw new AddressException("Invalid Base32 character");
            }
            data[i] = (byte) v;
        }
        int mod = polymod(hrpExpand(hrp), data, new byte[0]);
        Encoding encoding;
        if (mod == Encoding.BECH32.constant) {
            encoding = Encoding.BECH32;
        } else if (mod == Encoding.BECH32M.constant) {
            encoding = Encoding.BECH32M;
        } else {
            throw new AddressException("Invalid checksum");
        }
        byte[] values = java.util.Arrays.copyOf(data, data.length - CHECKSUM_LENGTH);
        return new Decoded(hrp, values, encoding);
    }

    /**
     * Regroups bits (8 to 5 with {@code pad}, 5 to 8 without): when decoding, leftover bits must be
     * fewer than {@code from} and zero, as BIP173 requires.
     */
    public static byte[] convertBits(byte[] in, int from, int to, boolean pad) throws AddressException {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : in) {
            int value = b & 0xff;
            if ((value >> from) != 0) {
                throw new AddressException("Invalid data value");
            }
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new AddressException("Invalid padding in Bech32 data section");
        }
        return out.toByteArray();
    }

    private static byte[] hrpExpand(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[hrp.length() + 1 + i] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static int polymod(byte[] a, byte[] b, byte[] c) {
        int chk = 1;
        for (byte[] part : new byte[][] {a, b, c}) {
            for (byte v : part) {
                int top = chk >>> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
                for (int i = 0; i < 5; i++) {
                    if (((top >> i) & 1) != 0) {
                        chk ^= GENERATOR[i];
                    }
                }
            }
        }
        return chk;
    }

    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
}
