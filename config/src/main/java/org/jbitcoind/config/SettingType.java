package org.jbitcoind.config;

/** How a setting's text is read. */
public enum SettingType {
    /** {@code 1}/{@code 0} (also {@code true}/{@code false}); {@code -key} alone means 1. */
    BOOL,
    /** A whole number, optionally bounded; read as {@code long}. */
    INT,
    /** A BTC amount with at most 8 decimals (Core's fee-rate settings); read as satoshis. */
    AMOUNT,
    /** Free text, optionally restricted to a set of choices or a format. */
    STRING,
    /** A file or folder; relative paths resolve against the network's data folder. Negation disables it. */
    PATH,
    /** Repeatable: every occurrence adds a value; {@code -nokey} clears what came before. */
    LIST
}
