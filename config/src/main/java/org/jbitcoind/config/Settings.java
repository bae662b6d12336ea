package org.jbitcoind.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's resolved settings: built-in defaults, overridden by the properties file, overridden
 * by the command line (see {@link SettingsLoader}). Every value was checked at load time, so the
 * typed getters only fail on a programming error (a key that is not registered, or asked for as
 * the wrong type).
 */
public final class Settings {
    private final SettingsRegistry registry;
    private final Network network;
    private final Path baseDataDir;
    private final Optional<Path> configFile;
    private final Map<String, Object> values;
    private final Set<String> explicit;
    private final Set<String> negated;
    private final List<String> warnings;
    private final List<String> positional;

    Settings(SettingsRegistry registry, Network network, Path baseDataDir, Optional<Path> configFile,
             Map<String, Object> values, Set<String> explicit, Set<String> negated, List<String> warnings,
             List<String> positional) {
        this.registry = registry;
        this.network = network;
        this.baseDataDir = baseDataDir;
        this.configFile = configFile;
        this.values = Map.copyOf(values);
        this.explicit = Set.copyOf(explicit);
        this.negated = Set.copyOf(negated);
        this.warnings = List.copyOf(warnings);
        this.positional = List.copyOf(positional);
    }

    public Network network() {
        return network;
    }

    /** The -datadir folder itself. */
    public Path baseDataDir() {
        return baseDataDir;
    }

    /** This network's folder: the datadir for mainnet, {@code <datadir>/regtest} etc. for the others. */
    public Path dataDir() {
        String sub = network.dataSubdir();
        return sub.isEmpty() ? baseDataDir : baseDataDir.resolve(sub);
    }

    /** The properties file that was read, if one was. */
    public Optional<Path> configFile() {
        return configFile;
    }

    public boolean getBool(String key) {
        return (Boolean) value(key, SettingType.BOOL);
    }

    /** An INT setting that fits an int (ports, counts, sizes in MiB). */
    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw new IllegalStateException("setting " + key + " = " + v + " does not fit an int; use getLong");
        }
        return (int) v;
    }

    public long getLong(String key) {
        return (Long) value(key, SettingType.INT);
    }

    /** An AMOUNT setting in satoshis (the text is in BTC, e.g. minrelaytxfee=0.00001 gives 1000). */
    public long getAmount(String key) {
        return (Long) value(key, SettingType.AMOUNT);
    }

    public String getString(String key) {
        return (String) value(key, SettingType.STRING);
    }

    /** Every value of a repeatable setting, in the order given; empty when none. */
    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) value(key, SettingType.LIST);
    }

    /**
     * A PATH setting resolved against {@link #dataDir()} when relative; empty when disabled with
     * {@code -nokey}. (datadir and conf are resolved by the loader; use {@link #baseDataDir()}.)
     */
    public Optional<Path> getPath(String key) {
        String text = (String) value(key, SettingType.PATH);
        return text.isEmpty() ? Optional.empty() : Optional.of(dataDir().resolve(text));
    }

    /** True when the user gave this key (file or command line), as opposed to the built-in default. */
    public boolean isSet(String key) {
        registry.require(key);
        return explicit.contains(key);
    }

    /** True when the value in force came from {@code -nokey} (e.g. -noconnect). */
    public boolean isNegated(String key) {
        registry.require(key);
        return negated.contains(key);
    }

    /**
     * The keys the user set (file or command line) with their values as text, in registry order,
     * secrets replaced by {@code ****}: what the daemon logs at start-up.
     */
    public Map<String, String> explicitValues() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (SettingDef def : registry.all()) {
            if (explicit.contains(def.name())) {
                out.put(def.name(), def.secret() ? "****" : display(def, values.get(def.name())));
            }
        }
        return out;
    }

    private static String display(SettingDef def, Object value) {
        if (def.type() == SettingType.AMOUNT) {
            return java.math.BigDecimal.valueOf((Long) value, 8).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(Object::toString).toList());
        }
        return value.toString();
    }

    /** Things the operator should know that do not stop start-up (e.g. a file key that did not apply). */
    public List<String> warnings() {
        return warnings;
    }

    /** Command-line words after the options, when the loader allows them (the RPC client's method and params). */
    public List<String> positional() {
        return positional;
    }

    public SettingsRegistry registry() {
        return registry;
    }

    private Object value(String key, SettingType expected) {
        SettingDef def = registry.require(key);
        if (def.type() != expected) {
            throw new IllegalArgumentException("setting " + key + " is " + def.type() + ", not " + expected);
        }
        return values.get(key);
    }
}
