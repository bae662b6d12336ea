package org.jbitcoind.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/jbitcoind.service stays usable: its ExecStart runs the jar with settings the daemon accepts
 * (loaded here with the data directory swapped for a temporary one), -daemon for Type=forking, and
 * the pid file systemd watches is the one the daemon writes.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("..", "docs", "jbitcoind.service");

    @TempDir
    Path dir;

    @Test
    void execStartSettingsAreValidAndMatchThePidFile() throws Exception {
        Map<String, String> service = serviceSection();
        assertEquals("forking", service.get("Type"));
        List<String> words = List.of(service.get("ExecStart").split("\\s+"));
        int jar = words.indexOf("-jar");
        assertTrue(jar > 0 && words.get(jar + 1).endsWith("jbitcoind.jar"), words.toString());
        List<String> args = new ArrayList<>();
        String pid = null;
        for (String arg : words.subList(jar + 2, words.size())) {
            if (arg.startsWith("-datadir=")) {
                arg = "-datadir=" + dir;
            } else if (arg.startsWith("-pid=")) {
                pid = arg.substring("-pid=".length());
            }
            args.add(arg);
        }
        Settings settings = SettingsLoader.load(args);
        assertTrue(settings.getBool("daemon"), "Type=forking needs -daemon");
        assertEquals(Path.of(service.get("PIDFile")), settings.getPath("pid").orElseThrow());
        assertEquals(service.get("PIDFile"), pid);
        assertEquals("/var/lib/jbitcoind", words.stream().filter(w -> w.startsWith("-datadir="))
                .findFirst().orElseThrow().substring("-datadir=".length()));
        assertEquals("jbitcoind", service.get("StateDirectory"));
        assertEquals("jbitcoind", service.get("RuntimeDirectory"));
        assertEquals("SIGTERM", service.get("KillSignal"));
    }

    /** The [Service] keys, continuation lines joined. */
    private static Map<String, String> serviceSection() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        boolean inService = false;
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(UNIT)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                inService = line.equals("[Service]");
                continue;
            }
            if (!inService) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String full = pending.toString();
            pending.setLength(0);
            int eq = full.indexOf('=');
            out.put(full.substring(0, eq), full.substring(eq + 1).strip());
        }
        return out;
    }
}
