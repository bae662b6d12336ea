package org.jbitcoind.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/configuration.md and docs/jbitcoind.properties describe exactly the registered keys. */
class DocsInSyncTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `-([a-z0-9-]+)` \\| [^|]+ \\| ([^|]+) \\|");
    private static final Pattern EXAMPLE = Pattern.compile("^#([a-z][a-z0-9.-]*)=(.*)$");
    /** Keys that make no sense in the example file. */
    private static final Set<String> NOT_IN_EXAMPLE = Set.of("help", "version", "conf", "datadir");

    static Stream<String> keys() {
        return SettingsRegistry.daemon().all().stream().map(SettingDef::name);
    }

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(DOCS.resolve(file));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void configurationMdHasARowWithTheDefault(String key) throws IOException {
        SettingDef def = SettingsRegistry.daemon().require(key);
        List<String> defaults = new ArrayList<>();
        for (String line : lines("configuration.md")) {
            Matcher m = TABLE_ROW.matcher(line);
            if (m.find() && m.group(1).equals(key)) {
                defaults.add(m.group(2).trim());
            }
        }
        String shown = def.shownDefault();
        assertEquals(List.of(shown), defaults, "rows for -" + key + " in docs/configuration.md");
    }

    @Test
    void configurationMdDocumentsNoUnknownKey() throws IOException {
        for (String line : lines("configuration.md")) {
            Matcher m = TABLE_ROW.matcher(line);
            if (m.find()) {
                assertTrue(SettingsRegistry.daemon().find(m.group(1)).isPresent(), "documented but unknown: " + line);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    void exampleFileShowsTheKey(String key) throws IOException {
        boolean shown = lines("jbitcoind.properties").stream().anyMatch(l -> l.startsWith("#" + key + "="));
        assertEquals(!NOT_IN_EXAMPLE.contains(key), shown, "#" + key + "= in docs/jbitcoind.properties");
    }

    /** Removing every '#' from the example's key lines gives a file the daemon accepts. */
    @Test
    void everyExampleLineIsAccepted(@TempDir Path dir) throws Exception {
        List<String> enabled = new ArrayList<>();
        for (String line : lines("jbitcoind.properties")) {
            Matcher m = EXAMPLE.matcher(line);
            enabled.add(m.matches() ? line.substring(1) : line);
        }
        Path conf = Files.write(dir.resolve("all.properties"), enabled);
        SettingsLoader loader = new SettingsLoader(SettingsRegistry.daemon(), dir);
        Settings main = loader.load(List.of("-datadir=" + dir, "-conf=" + conf), false);
        assertEquals(Network.MAIN, main.network());
        assertEquals(450, main.getInt("dbcache"));
        assertEquals(List.of("192.0.2.10:8333"), main.getList("connect"));
        Settings regtest = loader.load(List.of("-datadir=" + dir, "-conf=" + conf, "-regtest"), false);
        assertEquals(18444, regtest.getInt("port"));
        assertEquals(18443, regtest.getInt("rpcport"));
    }
}
