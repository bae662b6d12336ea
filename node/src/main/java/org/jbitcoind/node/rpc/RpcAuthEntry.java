package org.jbitcoind.node.rpc;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jbitcoind.protocol.codec.Hex;

/**
 * One {@code -rpcauth=USER:SALT$HASH} entry, as produced by Core's share/rpcauth/rpcauth.py: HASH is the hex
 * HMAC-SHA256 keyed with the SALT string over the password, so the node never stores the password itself.
 */
public record RpcAuthEntry(String user, String salt, String hashHex) {

    public static RpcAuthEntry parse(String entry) throws RpcConfigException {
        int colon = entry.indexOf(':');
        int dollar = entry.indexOf('$', colon + 1);
        if (colon <= 0 || dollar < 0 || entry.indexOf('$', dollar + 1) >= 0 || entry.indexOf(':', colon + 1) >= 0) {
            throw new RpcConfigException("Invalid -rpcauth argument (expected USER:SALT$HASH): " + entry);
        }
        String hash = entry.substring(dollar + 1).toLowerCase(java.util.Locale.ROOT);
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new RpcConfigException("Invalid -rpcauth argument (HASH must be 64 hex digits): " + entry);
        }
        return new RpcAuthEntry(entry.substring(0, colon), entry.substring(colon + 1, dollar), hash);
    }

    /** Builds the entry rpcauth.py would print for this user, salt and password. */
    public static RpcAuthEntry create(String user, String salt, String password) {
        return new RpcAuthEntry(user, salt, Hex.encode(hmac(salt, password)));
    }

    /** Whether the password matches, compared in constant time. */
    public boolean matches(String password) {
        byte[] expected = Hex.decode(hashHex);
        return MessageDigest.isEqual(expected, hmac(salt, password));
    }

    private static byte[] hmac(String salt, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = salt.getBytes(StandardCharsets.UTF_8);
            // HMAC zero-pads short keys, so an empty salt equals a single zero byte (the JDK refuses empty keys).
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every JDK ships HmacSHA256 and the key is never empty here.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
