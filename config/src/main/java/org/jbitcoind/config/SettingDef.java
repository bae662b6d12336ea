package org.jbitcoind.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One registered setting: its name (Bitcoin Core's where Core has it), how its text is read, its
 * default and one line of help. Values are checked when settings are loaded, so readers of
 * {@link Settings} never see a malformed value.
 *
 * @param name            key without the leading dash, e.g. {@code dbcache}
 * @param type            how the text is read
 * @param category        help group
 * @param help            one line for {@code -help}
 * @param defaultValue    default text per network ({@code ""} for no value); parsed like user input
 * @param defaultText     default as shown by {@code -help}
 * @param unit            unit of an INT, e.g. {@code MiB}, or empty
 * @param min             smallest INT value
 * @param max             largest INT value
 * @param choices         allowed values of a STRING or of each LIST element; empty for any
 * @param constraint      further check on the parsed value (e.g. prune: 0, 1 or at least 550)
 * @param expectedText    what to say a value should look like when the constraint fails, or empty
 * @param networkOnly     in the properties file's top level it applies to mainnet only, as Core's
 *                        NETWORK_ONLY options (other networks need {@code <network>.key})
 * @param commandLineOnly may not appear in the properties file (e.g. {@code conf})
 * @param secret          never shown in logs (passwords)
 */
public record SettingDef(String name, SettingType type, SettingCategory category, String help,
                         Function<Network, String> defaultValue, String defaultText, String unit,
                         long min, long max, Set<String> choices, Predicate<Object> constraint,
                         String expectedText, boolean networkOnly, boolean commandLineOnly,
                         boolean secret) {

    /** Largest amount a BTC setting may hold: the 21 million coin supply, in satoshis. */
    static final long MAX_MONEY = 21_000_000L * 100_000_000L;
    private static final BigDecimal MAX_MONEY_BTC = BigDecimal.valueOf(MAX_MONEY, 8);

    public SettingDef {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(category);
        Objects.requireNonNull(help);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(defaultText);
        choices = Set.copyOf(choices);
    }

    /** Default text for the given network, before parsing. */
    public String defaultFor(Network network) {
        return defaultValue.apply(network);
    }

    /** The default as -help and docs/configuration.md show it; "none" when there is none. */
    public String shownDefault() {
        return defaultText.isEmpty() ? "none" : defaultText;
    }

    public boolean repeatable() {
        return type == SettingType.LIST;
    }

    /**
     * Reads one value (one element for a LIST). Returns Boolean for BOOL, Long for INT and AMOUNT
     * (satoshis), String otherwise.
     */
    public Object parse(String text) throws ConfigException {
        Object value = switch (type) {
            case BOOL -> parseBool(text);
            case INT -> parseInt(text);
            case AMOUNT -> parseAmount(text);
            case STRING, LIST -> parseChoice(text);
            case PATH -> parsePath(text);
        };
        if (!constraint.test(value)) {
            throw invalid(text, expectedText.isEmpty() ? expected() : expectedText);
        }
        return value;
    }

    /** The short form of what a value should look like, as used in error messages. */
    public String expected() {
        if (!expectedText.isEmpty()) {
            return expectedText;
        }
        return switch (type) {
            case BOOL -> "0 or 1";
            case INT -> unit.isEmpty() ? "an integer" : "an integer number of " + unit;
            case AMOUNT -> "an amount in BTC with at most 8 decimals, e.g. 0.00001";
            case STRING, LIST -> choices.isEmpty() ? "a value" : "one of " + String.join(", ", sortedChoices());
            case PATH -> "a file or folder path";
        };
    }

    List<String> sortedChoices() {
        return choices.stream().sorted().toList();
    }

    private Boolean parseBool(String text) throws ConfigException {
        return switch (text) {
            case "1", "true" -> Boolean.TRUE;
            case "0", "false" -> Boolean.FALSE;
            default -> throw invalid(text, expected());
        };
    }

    private Long parseInt(String text) throws ConfigException {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(text, expected());
        }
        if (value < min || value > max) {
            throw invalid(text, expected() + " from " + min + " to " + max);
        }
        return value;
    }

    private Long parseAmount(String text) throws ConfigException {
        BigDecimal btc;
        try {
            btc = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(text, expected());
        }
        // Compare before moving the point: 1E+999999 would become a million-digit integer there,
        // and stripping its zeros takes hours (1E+2147483647 overflows the scale instead).
        if (btc.signum() < 0 || btc.compareTo(MAX_MONEY_BTC) > 0) {
            throw invalid(text, expected());
        }
        BigDecimal sats = btc.movePointRight(8);
        if (sats.stripTrailingZeros().scale() > 0) {
            throw invalid(text, expected());
        }
        return sats.longValueExact();
    }

    /** A path the platform can represent (no NUL character, for one), so later use cannot fail on it. */
    private String parsePath(String text) throws ConfigException {
        try {
            java.nio.file.Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw invalid(text, expected() + ": " + e.getReason());
        }
        return text;
    }

    private String parseChoice(String text) throws ConfigException {
        if (!choices.isEmpty() && !choices.contains(text)) {
            throw invalid(text, expected());
        }
        return text;
    }

    private ConfigException invalid(String text, String expected) {
        return new ConfigException("invalid value for -" + name + ": '" + text + "' (expected " + expected + ")");
    }
    /** Starts a definition; other modules use this to register keys of their own tools. */
    public static Builder builder(String name, SettingType type, SettingCategory category) {
        return new Builder(name, type, category);
    }

    /** Fluent construction of a {@link SettingDef}; every field but name, type and help has a default. */
    public static final class Builder {
        private final String name;
        private final SettingType type;
        private final SettingCategory category;
        private String help = "";
        private Function<Network, String> defaultValue = n -> "";
        private String defaultText = "";
        private String unit = "";
        private long min = Long.MIN_VALUE;
        private long max = Long.MAX_VALUE;
        private Set<String> choices = Set.of();
        private Predicate<Object> constraint = v -> true;
        private String expectedText = "";
        private boolean networkOnly;
        private boolean commandLineOnly;
        private boolean secret;

        private Builder(String name, SettingType type, SettingCategory category) {
            this.name = name;
            this.type = type;
            this.category = category;
        }

        public Builder help(String text) {
            this.help = text;
            return this;
        }

        /** The same default on every network; also what -help shows. */
        public Builder defaultValue(String text) {
            this.defaultValue = n -> text;
            this.defaultText = text;
            return this;
        }

        /** A default that depends on the network, with the text -help shows for it. */
        public Builder defaultPerNetwork(Function<Network, String> perNetwork, String shownAs) {
            this.defaultValue = perNetwork;
            this.defaultText = shownAs;
            return this;
        }

        /** Help shows this instead of the default value text (e.g. "~/.jbitcoind"). */
        public Builder shownDefault(String shownAs) {
            this.defaultText = shownAs;
            return this;
        }

        public Builder range(long min, long max) {
            this.min = min;
            this.max = max;
            return this;
        }

        public Builder unit(String unit) {
            this.unit = unit;
            return this;
        }

        public Builder choices(String... allowed) {
            this.choices = Set.of(allowed);
            return this;
        }

        /** An extra check on the parsed value, with what to tell the user when it fails. */
        public Builder constraint(Predicate<Object> check, String expected) {
            this.constraint = check;
            this.expectedText = expected;
            return this;
        }

        public Builder networkOnly() {
            this.networkOnly = true;
            return this;
        }

        public Builder commandLineOnly() {
            this.commandLineOnly = true;
            return this;
        }

        public Builder secret() {
            this.secret = true;
            return this;
        }

        public SettingDef build() {
            if (help.isEmpty()) {
                throw new IllegalStateException("setting " + name + " needs help text");
            }
            return new SettingDef(name, type, category, help, defaultValue, defaultText, unit, min, max, choices,
                    constraint, expectedText, networkOnly, commandLineOnly, secret);
        }
    }
}
