package org.jbitcoind.chain.address;

import java.math.BigInteger;
import java.util.Arrays;
import org.jbitcoind.protocol.crypto.Hashes;

/** Base58 and Base58Check (a 4-byte double-SHA256 checksum appended), as legacy addresses and WIF keys use. */
public final class Base58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    /** Longer strings are no address or key; the bound keeps decoding cheap on hostile input. */
    private static final int MAX_CHECK_LENGTH = 100;

    private Base58() {
    }

    public static String encode(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        StringBuilder out = new StringBuilder();
        BigInteger n = new BigInteger(1, data);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        out.append("1".repeat(zeros));
        return out.reverse().toString();
    }

    public static byte[] decode(String text) throws AddressException {
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        BigInteger n = BigInteger.ZERO;
        for (int i = zeros; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new AddressException("Invalid Base58 character '" + text.charAt(i) + "'");
            }
            n = n.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
        if (magnitude.length > 0 && magnitude[0] == 0) {
            magnitude = Arrays.copyOfRange(magnitude, 1, magnitude.length);
        }
        byte[] out = new byte[zeros + magnitude.length];
        System.arraycopy(magnitude, 0, out, zeros, magnitude.length);
        return out;
    }

    public static String encodeCheck(byte[] payload) {
        byte[] out = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(Hashes.hash256(payload), 0, out, payload.length, 4);
        return encode(out);
    }

    /** The payload of a Base58Check string, checksum verified. */
    public static byte[] decodeCheck(String text) throws AddressException {
        if (text.length() > MAX_CHECK_LENGTH) {
            throw new AddressException("Base58 string too long");
        }
        byte[] raw = decode(text);
        if (raw.length < 4) {
            throw new AddressException("Invalid Base58Check length");
        }
        byte[] payload = Arrays.copyOf(raw, raw.length - 4);
        byte[] check = Arrays.copyOf(Hashes.hash256(payload), 4);
        if (!Arrays.equals(check, Arrays.copyOfRange(raw, raw.length - 4, raw.length))) {
            throw new AddressException("Invalid checksum");
        }
        return payload;
    }
}
