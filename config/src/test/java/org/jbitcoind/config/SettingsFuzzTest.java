package org.jbitcoind.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Settings from an arbitrary command line and an arbitrary properties file through
 * {@link SettingsLoader}: the only failure is a {@link ConfigException} whose message names what
 * is wrong (a key that was written, a setting, or the file and its line), and settings that load
 * can be read back with their typed getters.
 *
 * <p>Layout: u8 argument count, then each argument as a u16-length-prefixed UTF-8 string, then
 * the rest of the input is the {@code jbitcoind.properties} file in a fresh data directory
 * (passed as {@code -datadir} before the fuzzed arguments, which may override it).
 */
class SettingsFuzzTest {
    private static final Path DATA_DIR = createDataDir();

    @FuzzTest
    void load(byte[] input) throws IOException {
        Reader in = new Reader(input);
        List<String> args = new ArrayList<>();
        args.add("-datadir=" + DATA_DIR);
        int count = in.u8() % 16;
        for (int i = 0; i < count; i++) {
            args.add(new String(in.bytes(in.u16()), StandardCharsets.UTF_8));
        }
        Path conf = DATA_DIR.resolve(SettingsLoader.DEFAULT_CONF);
        Files.write(conf, in.rest());

        Settings settings;
        try {
            settings = new SettingsLoader(SettingsRegistry.daemon(), DATA_DIR.resolve("no-home")).load(args, false);
        } catch (ConfigException e) {
            assertNamesTheCause(e.getMessage(), args, conf);
            return;
        }
        assertReadable(settings);
    }

    /** A ConfigException must say where to look: a written key, a setting, or the file line. */
    private static void assertNamesTheCause(String message, List<String> args, Path conf) {
        assertNotNull(message);
        for (String arg : args.subList(1, args.size())) {
            String key = arg.replaceFirst("^--?", "");
            int eq = key.indexOf('=');
            key = eq < 0 ? key : key.substring(0, eq);
            if (message.contains(key.isEmpty() ? arg : key)) {
                return; // the written key (or the stray word) is named
            }
        }
        if (message.contains(conf.toString())) {
            assertTrue(message.matches("(?s).*" + java.util.regex.Pattern.quote(conf.toString()) + ":\\d+.*"),
                    "a file error must name the line: " + message);
            return;
        }
        if (message.startsWith("specified data directory \"")) {
            return; // Core's wording for a missing -datadir, kept as is
        }
        for (SettingDef def : SettingsRegistry.daemon().all()) {
            if (message.contains("-" + def.name())) {
                return;
            }
        }
        throw new AssertionError("the message names no key, setting or file line: " + message);
    }

    /** Every registered setting reads back through its typed getter, without exception. */
    private static void assertReadable(Settings s) {
        assertNotNull(s.network());
        assertNotNull(s.dataDir());
        for (SettingDef def : s.registry().all()) {
            String key = def.name();
            switch (def.type()) {
                case BOOL -> s.getBool(key);
                case INT -> s.getLong(key);
                case AMOUNT -> assertTrue(s.getAmount(key) >= 0, key);
                case STRING -> assertNotNull(s.getString(key), key);
                case LIST -> assertNotNull(s.getList(key), key);
                case PATH -> {
                    if (!key.equals("datadir") && !key.equals("conf")) {
                        s.getPath(key);
                    }
                }
            }
        }
        assertEquals(s.explicitValues().keySet().size(), s.explicitValues().size());
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("settings-fuzz");
            dir.toFile().deleteOnExit();
            dir.resolve(SettingsLoader.DEFAULT_CONF).toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fields past the end read as zero or empty, so every byte string is an input. */
    private static final class Reader {
        private final byte[] input;
        private int pos;

        Reader(byte[] input) {
            this.input = input;
        }

        int u8() {
            return pos < input.length ? input[pos++] & 0xff : 0;
        }

        int u16() {
            return u8() | u8() << 8;
        }

        byte[] bytes(int n) {
            int take = Math.min(n, input.length - pos);
            byte[] out = Arrays.copyOfRange(input, pos, pos + take);
            pos += take;
            return out;
        }

        byte[] rest() {
            return bytes(input.length - pos);
        }
    }

    // ---- seeds --------------------------------------------------------------------------------

    private static final Path INPUTS = Path.of("src/test/resources/org/jbitcoind/config/SettingsFuzzTestInputs/load");

    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        boolean write = Boolean.getBoolean("jbitcoind.fuzz.writeSeeds");
        if (write) {
            Files.createDirectories(INPUTS);
        }
        for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
            Path file = INPUTS.resolve("seed-" + seed.getKey());
            if (write) {
                Files.write(file, seed.getValue());
            }
            assertTrue(Files.isRegularFile(file), file + " missing: run with -Djbitcoind.fuzz.writeSeeds=true");
            assertArrayEquals(seed.getValue(), Files.readAllBytes(file), file + " differs from the generator");
        }
    }

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("regtest-line", input(List.of("-regtest", "-port=0", "-nolisten", "--rpcport=18443"), ""));
        seeds.put("file-sections", input(List.of("-testnet4"), """
                # comment
                dbcache=100
                minrelaytxfee=0.00001
                regtest.port=18555
                [testnet4]
                rpcport=48332
                addnode=127.0.0.1:1
                noaddnode=1
                [main]
                connect=0
                """));
        seeds.put("conflicts", input(List.of("-prune=550", "-txindex", "-chain=signet"), "regtest=1\n"));
        seeds.put("bad-values", input(List.of("-dbcache=abc", "-nodatadir", "-maxmempool=-1"), "foo\n[nosuch]\n"));
        seeds.put("amount", input(List.of("-minrelaytxfee=1e-8", "-blockmintxfee=21000000.00000001"), "-x=1\n"));
        seeds.put("amount-exponent", input(List.of("-minrelaytxfee=1E+2147483647"), "incrementalrelayfee=9e-9\n"));
        seeds.put("amount-huge-exponent", input(List.of("-minrelaytxfee=1E+999999"), "blockmintxfee=1e+99999\n"));
        seeds.put("conf", input(List.of("-conf=other.properties", "-noconf"), "conf=x\ndatadir=/nonexistent\n"));
        return seeds;
    }

    private static byte[] input(List<String> args, String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(args.size());
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            out.write(b.length & 0xff);
            out.write(b.length >>> 8);
            out.writeBytes(b);
        }
        out.writeBytes(file.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
