package org.jbitcoind.node.rpc;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jbitcoind.config.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the daemon's RPC settings onto {@link RpcServerConfig} with Core's rules, so the daemon glue needs one
 * call. Keys (without the leading dash): server, rpcport, rpcbind, rpcallowip, rpcuser, rpcpassword, rpcauth,
 * rpccookiefile, rpcthreads, rpcworkqueue, rpcservertimeout.
 */
public final class RpcSettings {
    private static final Logger LOG = LoggerFactory.getLogger(RpcSettings.class);

    /** Read access to settings already merged from command line and file for the active network. */
    public interface Source {
        /** Every value given for a key, in order; empty when unset. */
        List<String> all(String key);

        default Optional<String> last(String key) {
            List<String> values = all(key);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
        }
    }

    private RpcSettings() {
    }

    /** {@code -server} (default on for the daemon); {@code -server=0} turns the RPC server off. */
    public static boolean serverEnabled(Source settings) {
        return settings.last("server").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(true);
    }

    /**
     * @param networkDataDir {@code <datadir>/<network sub-folder>}, where the cookie goes
     * @throws RpcConfigException naming the bad setting
     */
    public static RpcServerConfig toConfig(Source settings, Network network, Path networkDataDir)
            throws RpcConfigException {
        int port = settings.last("rpcport").isPresent()
                ? port(settings.last("rpcport").get(), "rpcport") : network.defaultRpcPort();
        List<Subnet> allowed = new ArrayList<>();
        for (String spec : settings.all("rpcallowip")) {
            allowed.add(Subnet.parse(spec));
        }
        List<InetSocketAddress> bind = new ArrayList<>();
        List<String> rpcbind = settings.all("rpcbind");
        // Core listens beyond localhost only when both -rpcbind and -rpcallowip say so.
        if (rpcbind.isEmpty() || allowed.isEmpty()) {
            bind.add(new InetSocketAddress("::1", port));
            bind.add(new InetSocketAddress("127.0.0.1", port));
            if (!allowed.isEmpty()) {
                LOG.warn("option -rpcallowip was specified without -rpcbind; this doesn't usually make sense");
            }
            if (!rpcbind.isEmpty()) {
                LOG.warn("option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow "
                        + "everyone to connect");
            }
        } else {
            for (String endpoint : rpcbind) {
                bind.add(endpoint(endpoint, port));
            }
        }
        List<RpcAuthEntry> rpcAuth = new ArrayList<>();
        for (String entry : settings.all("rpcauth")) {
            rpcAuth.add(RpcAuthEntry.parse(entry));
        }
        String cookieSetting = settings.last("rpccookiefile").orElse(".cookie");
        // -norpccookiefile (an empty or "0" value) disables the cookie, as in Core.
        Path cookie = cookieSetting.isEmpty() || cookieSetting.equals("0") ? null
                : networkDataDir.resolve(cookieSetting);
        String password = settings.last("rpcpassword").orElse(null);
        if ((password == null || password.isEmpty()) && cookie == null && rpcAuth.isEmpty()) {
            throw new RpcConfigException("RPC authentication is impossible: no -rpcpassword, no -rpcauth and the "
                    + "cookie file is disabled (-norpccookiefile)");
        }
        int threads = (int) positive(settings, "rpcthreads", RpcServerConfig.DEFAULT_THREADS);
        int queue = (int) positive(settings, "rpcworkqueue", RpcServerConfig.DEFAULT_WORK_QUEUE);
        long timeout = positive(settings, "rpcservertimeout", RpcServerConfig.DEFAULT_SERVER_TIMEOUT.toSeconds());
        return new RpcServerConfig(bind, Subnet.withLocalhost(allowed), settings.last("rpcuser").orElse(null),
                password, cookie, rpcAuth, threads, queue, Duration.ofSeconds(timeout),
                RpcServerConfig.DEFAULT_AUTH_FAILURE_DELAY);
    }

    /** "host", "host:port", "[v6]" or "[v6]:port"; numeric hosts are never looked up. */
    static InetSocketAddress endpoint(String text, int defaultPort) throws RpcConfigException {
        String host = text;
        int port = defaultPort;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new RpcConfigException("Invalid -rpcbind address: " + text);
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw new RpcConfigException("Invalid -rpcbind address: " + text);
                }
                port = port(text.substring(close + 2), "rpcbind");
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = port(text.substring(text.indexOf(':') + 1), "rpcbind");
        }
        if (host.isEmpty()) {
            throw new RpcConfigException("Invalid -rpcbind address: " + text);
        }
        return new InetSocketAddress(host, port);
    }

    private static int port(String text, String key) throws RpcConfigException {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new RpcConfigException("Invalid port provided in -" + key + ": " + text);
    }

    private static long positive(Source settings, String key, long fallback) throws RpcConfigException {
        Optional<String> value = settings.last(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.get().trim());
            // Core clamps these to at least 1 rather than failing.
            return Math.max(1, n);
        } catch (NumberFormatException e) {
            throw new RpcConfigException("Invalid value for -" + key + ": " + value.get());
        }
    }
}
