package org.jbitcoind.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HelpTextTest {
    private static final String HELP = HelpText.render("Usage: jbitcoind [options]", SettingsRegistry.daemon());

    static Stream<String> keys() {
        return SettingsRegistry.daemon().all().stream().map(SettingDef::name);
    }

    @ParameterizedTest
    @MethodSource("keys")
    void everyKeyHasOneLineWithItsDefault(String key) {
        List<String> lines = Arrays.stream(HELP.split("\n"))
                .filter(l -> l.startsWith("  -" + key + " ") || l.startsWith("  -" + key + "="))
                .toList();
        assertEquals(1, lines.size(), "help lines for -" + key);
        SettingDef def = SettingsRegistry.daemon().require(key);
        String shown = def.shownDefault();
        assertTrue(lines.get(0).endsWith("(default: " + shown + ")"), lines.get(0));
        assertTrue(lines.get(0).contains(def.help()), lines.get(0));
    }

    @Test
    void showsDefaultsAsCoreDoes() {
        assertTrue(HELP.startsWith("Usage: jbitcoind [options]\n"));
        assertTrue(HELP.contains("  -dbcache=<n>"));
        assertTrue(HELP.contains("(default: 450)"));
        assertTrue(HELP.contains("-chain=<main|regtest|signet|test|testnet4>"));
        assertTrue(HELP.contains("(default: ~/.jbitcoind)"));
        assertTrue(HELP.contains("(default: 8333, test 18333, testnet4 48333, signet 38333, regtest 18444)"));
        assertTrue(HELP.contains("\nRPC server:\n"));
        assertTrue(HELP.contains("repeatable (default: all interfaces)"), "-bind shows what no value means");
        assertTrue(HELP.contains("(default: none)"), "keys without a default say so");
    }
}
