package org.jbitcoind.config;

import java.util.Optional;

/**
 * Turns one written setting, as found on the command line or in the properties file, into an
 * {@link Assignment}: resolves {@code network.key} scopes and {@code nokey} negation the way
 * Bitcoin Core does, and checks the value.
 */
final class AssignmentReader {
    private final SettingsRegistry registry;

    AssignmentReader(SettingsRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param written the key as written, without dashes (may carry a network prefix or "no")
     * @param value   the text after '=', or null when there was none ({@code -key} means 1)
     * @param origin  for messages; appended as " at origin" unless it is the command line
     */
    Assignment read(String written, String value, String origin) throws ConfigException {
        String where = origin.equals(SettingsLoader.COMMAND_LINE) ? "" : " at " + origin;
        Key key = lookup(written, where);
        String text = value == null ? "1" : value;
        try {
            if (key.negated()) {
                // Core: -nofoo=0 is a double negative and means foo=1.
                boolean off = (Boolean) booleanDef(key.def().name()).parse(text);
                return off ? negation(key.def(), key.section(), origin) : plain(key.def(), key.section(), "1", origin);
            }
            return plain(key.def(), key.section(), text, origin);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + where);
        }
    }

    /** A written key resolved: which setting, scoped to which network, negated or not. */
    private record Key(SettingDef def, Optional<Network> section, boolean negated) {
    }

    private Key lookup(String written, String where) throws ConfigException {
        Optional<Network> section = Optional.empty();
        String name = written;
        int dot = written.indexOf('.');
        if (dot > 0 && Network.fromId(written.substring(0, dot)).isPresent()) {
            section = Network.fromId(written.substring(0, dot));
            name = written.substring(dot + 1);
        }
        boolean negated = false;
        Optional<SettingDef> def = registry.find(name);
        if (def.isEmpty() && name.startsWith("no")) {
            def = registry.find(name.substring(2));
            negated = def.isPresent();
        }
        if (def.isEmpty()) {
            throw new ConfigException("unknown setting -" + written + " (see -help)" + where);
        }
        if (section.isPresent() && !scopable(def.get())) {
            throw new ConfigException("-" + def.get().name() + " cannot be set for one network only" + where);
        }
        return new Key(def.get(), section, negated);
    }

    private static boolean scopable(SettingDef setting) {
        return setting.category() != SettingCategory.CHAIN
                && !setting.name().equals("conf") && !setting.name().equals("datadir");
    }

    private static Assignment plain(SettingDef def, Optional<Network> section, String text, String origin)
            throws ConfigException {
        return new Assignment(def, section, def.parse(text), false, origin);
    }

    /** -nokey: false, a cleared list, a disabled path, or the value 0 where 0 is allowed. */
    private static Assignment negation(SettingDef def, Optional<Network> section, String origin)
            throws ConfigException {
        Object off = switch (def.type()) {
            case BOOL -> Boolean.FALSE;
            case LIST -> null;
            case PATH -> def.name().equals("datadir") ? notNegatable(def) : "";
            // Free text (rpcuser, rpcpassword) becomes empty; formatted text (assumevalid) its "0".
            case STRING -> def.choices().isEmpty() && def.expectedText().isEmpty() ? "" : zeroOrRefuse(def);
            case INT, AMOUNT -> zeroOrRefuse(def);
        };
        return new Assignment(def, section, off, true, origin);
    }

    private static Object zeroOrRefuse(SettingDef def) throws ConfigException {
        try {
            return def.parse("0");
        } catch (ConfigException e) {
            return notNegatable(def);
        }
    }

    private static Object notNegatable(SettingDef def) throws ConfigException {
        throw new ConfigException("-no" + def.name() + " is not allowed (expected -" + def.name() + "="
                + def.expected() + ")");
    }

    private static SettingDef booleanDef(String name) {
        return SettingDef.builder("no" + name, SettingType.BOOL, SettingCategory.GENERAL).help("negation").build();
    }
}
