package org.jbitcoind.node.rpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks an HTTP Authorization header against the configured credentials (Core's RPCAuthorized): the single
 * user:password pair (from -rpcuser/-rpcpassword or the cookie), then each -rpcauth entry. Comparisons are
 * constant-time.
 */
final class RpcAuthenticator {
    private final String userColonPassword;
    private final List<RpcAuthEntry> rpcAuth;

    /** @param userColonPassword the accepted "user:password", or null when only -rpcauth entries apply */
    RpcAuthenticator(String userColonPassword, List<RpcAuthEntry> rpcAuth) {
        this.userColonPassword = userColonPassword;
        this.rpcAuth = List.copyOf(rpcAuth);
    }

    /** The authenticated user name, or empty when the header does not carry valid credentials. */
    Optional<String> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Basic ")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        boolean ok = userColonPassword != null && MessageDigest.isEqual(
                decoded.getBytes(StandardCharsets.UTF_8), userColonPassword.getBytes(StandardCharsets.UTF_8));
        for (RpcAuthEntry entry : rpcAuth) {
            if (entry.user().equals(user) && entry.matches(password)) {
                ok = true;
            }
        }
        return ok ? Optional.of(user) : Optional.empty();
    }
}
