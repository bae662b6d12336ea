package org.jbitcoind.chain.address;

import java.util.Arrays;
import org.jbitcoind.config.Network;

/** Wallet import format private keys: Base58Check of a version byte, the 32-byte key and 0x01 if compressed. */
public final class Wif {
    /** A decoded key. */
    public record Key(byte[] secret, boolean compressed) {
        public Key {
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }
    }

    private Wif() {
    }

    public static int prefix(Network network) {
        return network == Network.MAIN ? 128 : 239;
    }

    public static String encode(byte[] secret, boolean compressed, Network network) {
        byte[] payload = new byte[compressed ? 34 : 33];
        payload[0] = (byte) prefix(network);
        System.arraycopy(secret, 0, payload, 1, 32);
        if (compressed) {
            payload[33] = 1;
        }
        return Base58.encodeCheck(payload);
    }

    public static Key decode(String text, Network network) throws AddressException {
        byte[] payload;
        try {
            payload = Base58.decodeCheck(text);
        } catch (AddressException e) {
            throw new AddressException("Invalid private key encoding");
        }
        boolean plain = payload.length == 33;
        boolean compressed = payload.length == 34 && payload[33] == 1;
        if ((!plain && !compressed) || (payload[0] & 0xff) != prefix(network)) {
            throw new AddressException("Invalid private key encoding");
        }
        byte[] secret = Arrays.copyOfRange(payload, 1, 33);
        if (!validSecret(secret)) {
            throw new AddressException("Invalid private key");
        }
        return new Key(secret, compressed);
    }

    /** 0 < key < the secp256k1 group order. */
    private static boolean validSecret(byte[] secret) {
        java.math.BigInteger k = new java.math.BigInteger(1, secret);
        return k.signum() > 0 && k.compareTo(ORDER) < 0;
    }

    private static final java.math.BigInteger ORDER =
            new java.math.BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
}
