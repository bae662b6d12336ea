package org.jbitcoind.config;

import java.util.Optional;

/**
 * One {@code key=value} as written by the user, already checked against the registry.
 *
 * @param def      the setting
 * @param section  the network it is scoped to ({@code regtest.port=...}), or empty for all
 * @param value    the parsed value (see {@link SettingDef#parse}); for a negated setting the
 *                 type's "off" value, or null for a negated LIST
 * @param negated  written as {@code -nokey}
 * @param origin   where it came from, for messages: "command line" or "FILE:LINE"
 */
record Assignment(SettingDef def, Optional<Network> section, Object value, boolean negated, String origin) {
}
