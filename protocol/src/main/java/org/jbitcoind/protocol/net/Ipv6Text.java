package org.jbitcoind.protocol.net;

/** IPv6 text: RFC 5952 formatting (longest zero run compressed, lower case) and strict parsing. */
final class Ipv6Text {
    private Ipv6Text() {
    }

    static String format(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    static byte[] parse(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            throw new IllegalArgumentException("not an IPv6 address: " + s);
        }
        String[] head;
        String[] tail;
        if (dbl >= 0) {
            head = split(s.substring(0, dbl));
            tail = split(s.substring(dbl + 2));
            if (head.length + tail.length > 7) {
                throw new IllegalArgumentException("not an IPv6 address: " + s);
            }
        } else {
            head = split(s);
            tail = new String[0];
            if (head.length != 8) {
                throw new IllegalArgumentException("not an IPv6 address: " + s);
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            put(out, i, head[i], s);
        }
        for (int i = 0; i < tail.length; i++) {
            put(out, 8 - tail.length + i, tail[i], s);
        }
        return out;
    }

    private static String[] split(String part) {
        return part.isEmpty() ? new String[0] : part.split(":", -1);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static void put(byte[] out, int group, String hex, String whole) {
        // ASCII hex digits only: Integer.parseInt would also take a sign and Unicode digits.
        if (hex.isEmpty() || hex.length() > 4 || !hex.chars().allMatch(Ipv6Text::isHexDigit)) {
            throw new IllegalArgumentException("not an IPv6 address: " + whole);
        }
        int v = Integer.parseInt(hex, 16);
        out[2 * group] = (byte) (v >>> 8);
        out[2 * group + 1] = (byte) v;
    }
}
