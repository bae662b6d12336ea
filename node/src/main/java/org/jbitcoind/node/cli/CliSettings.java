package org.jbitcoind.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jbitcoind.config.Network;

/** Where and how to connect, from the command line first and the properties file second. */
record CliSettings(Network network, Path confFile, String host, int port, String user, String password,
        Path cookieFile, long waitTimeoutSeconds, long clientTimeoutSeconds) {
    static final String CONF_FILE = "jbitcoind.properties";
    static final String DEFAULT_DATADIR = ".jbitcoind";
    static final int DEFAULT_CLIENT_TIMEOUT_SECONDS = 900;

    static CliSettings resolve(CliOptions options) throws CliException {
        Path datadir = options.get("datadir").map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), DEFAULT_DATADIR));
        if (options.has("datadir") && !Files.isDirectory(datadir)) {
            throw new CliException("Error: Specified data directory \"" + datadir + "\" does not exist.");
        }
        Path confFile = datadir.resolve(options.get("conf").orElse(CONF_FILE));
        CliConfigFile conf = CliConfigFile.empty();
        if (Files.isRegularFile(confFile)) {
            try {
                conf = CliConfigFile.read(confFile);
            } catch (IOException e) {
                throw new CliException("Error reading configuration file: " + e.getMessage());
            }
        } else if (options.has("conf")) {
            throw new CliException("Error reading configuration file: specified config file \"" + confFile
                    + "\" could not be opened.");
        }
        Network network = selectNetwork(options, conf);
        String id = network.id();
        Path netDir = network.dataSubdir().isEmpty() ? datadir : datadir.resolve(network.dataSubdir());

        String connect = value(options, conf, id, "rpcconnect").orElse("127.0.0.1");
        int port = network.defaultRpcPort();
        String host = connect;
        int colon = connect.lastIndexOf(':');
        if (connect.startsWith("[") && connect.contains("]")) {
            int close = connect.indexOf(']');
            host = connect.substring(1, close);
            if (close + 1 < connect.length() && connect.charAt(close + 1) == ':') {
                port = port(connect.substring(close + 2), "-rpcconnect");
            }
        } else if (colon > 0 && connect.indexOf(':') == colon) {
            host = connect.substring(0, colon);
            port = port(connect.substring(colon + 1), "-rpcconnect");
        }
        Optional<String> rpcport = value(options, conf, id, "rpcport");
        if (rpcport.isPresent()) {
            port = port(rpcport.get(), "-rpcport");
        }
        String user = value(options, conf, id, "rpcuser").orElse("");
        String password = value(options, conf, id, "rpcpassword").orElse("");
        Path cookieFile = netDir.resolve(value(options, conf, id, "rpccookiefile").orElse(".cookie"));
        long waitTimeoutSeconds = number(options.get("rpcwaittimeout").orElse("0"), "-rpcwaittimeout");
        long clientTimeoutSeconds = Math.max(0, number(options.get("rpcclienttimeout")
                .orElse(Integer.toString(DEFAULT_CLIENT_TIMEOUT_SECONDS)), "-rpcclienttimeout"));
        return new CliSettings(network, confFile, host, port, user, password, cookieFile, waitTimeoutSeconds,
                clientTimeoutSeconds);
    }

    private static Optional<String> value(CliOptions options, CliConfigFile conf, String networkId, String key) {
        Optional<String> fromCommandLine = options.get(key);
        return fromCommandLine.isPresent() ? fromCommandLine : conf.get(networkId, key);
    }

    private static Network selectNetwork(CliOptions options, CliConfigFile conf) throws CliException {
        Network chosen = choose(options.get("chain"), options.get("regtest"), options.get("testnet"),
                options.get("testnet4"), options.get("signet"));
        if (chosen == null) {
            chosen = choose(conf.get("chain"), conf.get("regtest"), conf.get("testnet"), conf.get("testnet4"),
                    conf.get("signet"));
        }
        return chosen == null ? Network.MAIN : chosen;
    }

    private static Network choose(Optional<String> chain, Optional<String> regtest, Optional<String> testnet,
            Optional<String> testnet4, Optional<String> signet) throws CliException {
        List<Network> picked = new ArrayList<>();
        if (chain.isPresent()) {
            picked.add(Network.fromId(chain.get())
                    .orElseThrow(() -> new CliException("Error: Unknown chain " + chain.get() + ".")));
        }
        addIf(picked, regtest, Network.REGTEST);
        addIf(picked, testnet, Network.TESTNET3);
        addIf(picked, testnet4, Network.TESTNET4);
        addIf(picked, signet, Network.SIGNET);
        if (picked.size() > 1) {
            throw new CliException("Error: Invalid combination of -regtest, -signet, -testnet, -testnet4 and"
                    + " -chain. Can use at most one.");
        }
        return picked.isEmpty() ? null : picked.get(0);
    }

    private static void addIf(List<Network> picked, Optional<String> flag, Network network) {
        if (flag.map(CliOptions::isTrue).orElse(false)) {
            picked.add(network);
        }
    }

    private static int port(String text, String option) throws CliException {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException("error: Invalid port provided in " + option + ": " + text);
    }

    private static long number(String text, String option) throws CliException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new CliException("Error: Invalid value for " + option + ": " + text);
        }
    }
}
