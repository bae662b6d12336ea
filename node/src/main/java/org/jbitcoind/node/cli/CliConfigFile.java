package org.jbitcoind.node.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The client's reading of the daemon's properties file: only the keys the client needs (rpcuser, rpcpassword,
 * rpcport, rpcconnect, rpccookiefile and the network choice). A key can be scoped to one network as
 * {@code regtest.rpcport=18443}; the scoped key wins over the plain one.
 */
final class CliConfigFile {
    private final Properties properties;

    private CliConfigFile(Properties properties) {
        this.properties = properties;
    }

    static CliConfigFile empty() {
        return new CliConfigFile(new Properties());
    }

    static CliConfigFile read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return new CliConfigFile(properties);
    }

    /** A plain (network-independent) key. */
    Optional<String> get(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip);
    }

    /** A key for one network: {@code <networkId>.<key>} if present, else the plain key. */
    Optional<String> get(String networkId, String key) {
        Optional<String> scoped = get(networkId + "." + key);
        return scoped.isPresent() ? scoped : get(key);
    }
}
