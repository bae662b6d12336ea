package org.jbitcoind.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@link Settings} from, in rising priority: built-in defaults, the properties file, the
 * command line, following Bitcoin Core's rules:
 * <ul>
 *   <li>{@code -key=value}, {@code --key=value}, {@code -key} (=1), {@code -nokey} (=0, or an
 *       empty list/disabled path); list keys accumulate across file and command line.</li>
 *   <li>The file is {@code <datadir>/jbitcoind.properties} or {@code -conf=FILE} (command line
 *       only; relative to the datadir); a missing default file is fine, a missing -conf is not.</li>
 *   <li>{@code <network>.key} (or a {@code [network]} section) applies to that network only and
 *       beats the file's unscoped key. Keys Core marks network-only (port, rpcport, bind, rpcbind,
 *       connect, addnode, seednode) apply from the file's top level to mainnet only.</li>
 *   <li>A few defaults follow other keys, as Core's parameter interaction: -connect turns off
 *       -listen and -dnsseed, -bind turns on -listen, -externalip or -listen=0 turn off -discover.</li>
 * </ul>
 */
public final class SettingsLoader {
    public static final String DEFAULT_CONF = "jbitcoind.properties";
    static final String COMMAND_LINE = "command line";

    private final SettingsRegistry registry;
    private final Path defaultDataDir;
    private final AssignmentReader reader;

    public SettingsLoader(SettingsRegistry registry, Path defaultDataDir) {
        this.registry = registry;
        this.defaultDataDir = defaultDataDir;
        this.reader = new AssignmentReader(registry);
    }

    /** The daemon's settings from its command line; words that are not settings are an error. */
    public static Settings load(List<String> args) throws ConfigException {
        return new SettingsLoader(SettingsRegistry.daemon(), defaultDataDir()).load(args, false);
    }

    /** {@code ~/.jbitcoind}: the datadir when -datadir is not given (the RPC client looks there too). */
    public static Path defaultDataDir() {
        return DaemonSettings.defaultDataDir();
    }

    /**
     * @param allowPositional when true, the first word not starting with '-' and everything after it
     *                        are returned by {@link Settings#positional()} (Core's bitcoin-cli style)
     */
    public Settings load(List<String> args, boolean allowPositional) throws ConfigException {
        List<String> positional = new ArrayList<>();
        List<Assignment> commandLine = parseCommandLine(args, allowPositional, positional);

        Optional<Path> commandLineDataDir = lastValue(commandLine, "datadir").map(v -> Path.of((String) v));
        if (commandLineDataDir.isPresent()) {
            requireExisting(commandLineDataDir.get());
        }
        Optional<Path> confFile = configFile(commandLine, commandLineDataDir.orElse(defaultDataDir));
        List<Assignment> file = confFile.isPresent() ? PropertiesFile.read(confFile.get(), reader) : List.of();

        Optional<Network> fromFile = chooseNetwork(file);
        Network network = chooseNetwork(commandLine).or(() -> fromFile).orElse(Network.MAIN);
        List<String> warnings = new ArrayList<>();
        Resolution r = resolve(network, file, commandLine, warnings);

        Path baseDataDir = registry.find("datadir").isPresent()
                ? Path.of((String) r.values.get("datadir")).toAbsolutePath() : defaultDataDir;
        if (commandLineDataDir.isEmpty() && r.explicit.contains("datadir")) {
            requireExisting(baseDataDir);
        }
        return new Settings(registry, network, baseDataDir, confFile, r.values, r.explicit, r.negated, warnings,
                positional);
    }

    /** Defaults, then the file (unscoped, then this network's keys), then the command line likewise. */
    private Resolution resolve(Network network, List<Assignment> file, List<Assignment> commandLine,
                               List<String> warnings) throws ConfigException {
        Resolution r = new Resolution(network);
        for (Assignment a : file) {
            if (a.section().isEmpty() && a.def().networkOnly() && network != Network.MAIN) {
                warnings.add("-" + a.def().name() + " at " + a.origin() + " applies to mainnet only; write "
                        + network.id() + "." + a.def().name() + "=... for " + network.id());
            } else {
                r.applyUnscoped(a);
            }
        }
        r.applyScoped(file);
        for (Assignment a : commandLine) {
            r.applyUnscoped(a);
        }
        r.applyScoped(commandLine);
        r.parameterInteraction();
        r.crossCheck();
        if (registry.find("chain").isPresent()) {
            r.values.put("chain", network.id());
        }
        return r;
    }

    private List<Assignment> parseCommandLine(List<String> args, boolean allowPositional, List<String> positional)
            throws ConfigException {
        List<Assignment> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                if (!allowPositional) {
                    throw new ConfigException("unexpected argument '" + arg + "' (settings start with -, see -help)");
                }
                positional.addAll(args.subList(i, args.size()));
                break;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String key = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? null : body.substring(eq + 1);
            if (key.equals("h") || key.equals("?")) {
                key = "help";
            }
            out.add(reader.read(key, value, COMMAND_LINE));
        }
        return out;
    }

    private Optional<Path> configFile(List<Assignment> commandLine, Path dataDir) throws ConfigException {
        Optional<Assignment> conf = last(commandLine, "conf");
        if (conf.isPresent() && conf.get().negated()) {
            return Optional.empty();
        }
        if (conf.isPresent()) {
            Path file = dataDir.resolve((String) conf.get().value());
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("cannot read configuration file " + file + ": no such file");
            }
            return Optional.of(file);
        }
        Path file = dataDir.resolve(DEFAULT_CONF);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static void requireExisting(Path dataDir) throws ConfigException {
        if (!Files.isDirectory(dataDir)) {
            throw new ConfigException("specified data directory \"" + dataDir + "\" does not exist");
        }
    }

    /** The network one source selects, if any; two different selections are an error, as in Core. */
    private static Optional<Network> chooseNetwork(List<Assignment> source) throws ConfigException {
        Map<String, Object> last = new HashMap<>();
        for (Assignment a : source) {
            if (a.section().isEmpty() && a.def().category() == SettingCategory.CHAIN) {
                last.put(a.def().name(), a.value());
            }
        }
        Set<Network> chosen = new LinkedHashSet<>();
        if (last.get("chain") instanceof String id && !id.equals("0")) {
            chosen.add(Network.fromId(id).orElseThrow());
        }
        addIf(chosen, last, "regtest", Network.REGTEST);
        addIf(chosen, last, "testnet", Network.TESTNET3);
        addIf(chosen, last, "testnet4", Network.TESTNET4);
        addIf(chosen, last, "signet", Network.SIGNET);
        if (chosen.size() > 1) {
            throw new ConfigException("invalid combination of -regtest, -testnet, -testnet4, -signet and -chain"
                    + " (use at most one)");
        }
        return chosen.stream().findFirst();
    }

    private static void addIf(Set<Network> chosen, Map<String, Object> last, String key, Network network) {
        if (Boolean.TRUE.equals(last.get(key))) {
            chosen.add(network);
        }
    }

    private static Optional<Assignment> last(List<Assignment> source, String key) {
        Assignment found = null;
        for (Assignment a : source) {
            if (a.def().name().equals(key) && a.section().isEmpty()) {
                found = a;
            }
        }
        return Optional.ofNullable(found);
    }

    private static Optional<Object> lastValue(List<Assignment> source, String key) {
        return last(source, key).map(Assignment::value);
    }

    /** Values being resolved for one network, starting from the defaults. */
    private final class Resolution {
        final Network network;
        final Map<String, Object> values = new HashMap<>();
        final Set<String> explicit = new HashSet<>();
        final Set<String> negated = new HashSet<>();
        final Set<String> softSet = new HashSet<>();

        Resolution(Network network) throws ConfigException {
            this.network = network;
            for (SettingDef def : registry.all()) {
                values.put(def.name(), defaultValue(def));
            }
        }

        private Object defaultValue(SettingDef def) throws ConfigException {
            String text = def.name().equals("datadir") ? defaultDataDir.toString() : def.defaultFor(network);
            if (def.type() == SettingType.LIST) {
                return List.of();
            }
            return def.type() == SettingType.STRING || def.type() == SettingType.PATH ? text : def.parse(text);
        }

        /** Applies the unscoped assignments of a source (the scoped ones come after, so they win). */
        void applyUnscoped(Assignment a) {
            if (a.section().isEmpty()) {
                apply(a);
            }
        }

        void applyScoped(List<Assignment> source) {
            for (Assignment a : source) {
                if (a.section().isPresent() && a.section().get() == network) {
                    apply(a);
                }
            }
        }

        @SuppressWarnings("unchecked")
        private void apply(Assignment a) {
            String name = a.def().name();
            explicit.add(name);
            if (a.negated()) {
                negated.add(name);
            } else {
                negated.remove(name);
            }
            if (a.def().type() == SettingType.LIST) {
                List<String> list = new ArrayList<>((List<String>) values.get(name));
                if (a.negated()) {
                    list.clear();
                } else {
                    list.add((String) a.value());
                }
                values.put(name, List.copyOf(list));
            } else {
                values.put(name, a.value());
            }
        }

        /** Defaults that depend on other keys (Core's InitParameterInteraction); explicit values win. */
        @SuppressWarnings("unchecked")
        void parameterInteraction() {
            List<String> connect = (List<String>) values.get("connect");
            if (registry.find("bind").isPresent() && !((List<String>) values.get("bind")).isEmpty()) {
                softSet("listen", Boolean.TRUE);
            }
            if (registry.find("connect").isPresent() && !connect.isEmpty() && !connect.equals(List.of("0"))) {
                softSet("dnsseed", Boolean.FALSE);
                softSet("listen", Boolean.FALSE);
            }
            if (registry.find("externalip").isPresent() && !((List<String>) values.get("externalip")).isEmpty()) {
                softSet("discover", Boolean.FALSE);
            }
            if (registry.find("listen").isPresent() && Boolean.FALSE.equals(values.get("listen"))) {
                softSet("discover", Boolean.FALSE);
            }
        }

        private void softSet(String key, Object value) {
            // As Core's SoftSetArg: the first soft value sticks, and never over the user's.
            if (registry.find(key).isPresent() && !explicit.contains(key) && softSet.add(key)) {
                values.put(key, value);
            }
        }

        /** Combinations Core refuses at start-up. */
        void crossCheck() throws ConfigException {
            if (registry.find("prune").isPresent() && registry.find("txindex").isPresent()
                    && (Long) values.get("prune") != 0 && (Boolean) values.get("txindex")) {
                throw new ConfigException("-prune is incompatible with -txindex");
            }
            if (registry.find("peerblockfilters").isPresent() && registry.find("blockfilterindex").isPresent()
                    && (Boolean) values.get("peerblockfilters") && "0".equals(values.get("blockfilterindex"))) {
                throw new ConfigException("-peerblockfilters requires -blockfilterindex");
            }
        }
    }
}
