package org.jbitcoind.node.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * bitcoin-cli's command line: options ({@code -name}, {@code --name}, {@code -name=value}, {@code -noname})
 * up to the first argument not starting with '-', then the method and its arguments verbatim (so negative
 * numbers pass through as arguments).
 */
final class CliOptions {
    static final Set<String> KNOWN = Set.of("conf", "datadir", "rpcconnect", "rpcport", "rpcuser", "rpcpassword",
            "rpccookiefile", "rpcwait", "rpcwaittimeout", "rpcclienttimeout", "named", "stdin", "stdinrpcpass",
            "chain", "regtest", "testnet", "testnet4", "signet", "help", "h", "?", "version");

    private final Map<String, String> options;
    private final List<String> command;

    private CliOptions(Map<String, String> options, List<String> command) {
        this.options = options;
        this.command = command;
    }

    static CliOptions parse(String[] argv) throws CliException {
        Map<String, String> options = new LinkedHashMap<>();
        int i = 0;
        for (; i < argv.length && argv[i].startsWith("-") && argv[i].length() > 1; i++) {
            String arg = argv[i].startsWith("--") ? argv[i].substring(1) : argv[i];
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(1) : arg.substring(1, eq);
            String value = eq < 0 ? "1" : arg.substring(eq + 1);
            if (name.startsWith("no") && KNOWN.contains(name.substring(2))) {
                name = name.substring(2);
                value = isTrue(value) ? "0" : "1";
            }
            if (!KNOWN.contains(name)) {
                throw new CliException("Error parsing command line arguments: Invalid parameter " + argv[i]);
            }
            options.put(name, value);
        }
        List<String> command = new ArrayList<>();
        for (; i < argv.length; i++) {
            command.add(argv[i]);
        }
        return new CliOptions(options, command);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(options.get(name));
    }

    boolean flag(String name) {
        return get(name).map(CliOptions::isTrue).orElse(false);
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    /** The method and its arguments as typed. */
    List<String> command() {
        return command;
    }

    /** Core's boolean reading: empty counts as true, otherwise a number is true when non-zero. */
    static boolean isTrue(String value) {
        if (value.isEmpty()) {
            return true;
        }
        try {
            return Long.parseLong(value.trim()) != 0;
        } catch (NumberFormatException e) {
            return !value.equalsIgnoreCase("false");
        }
    }
}
