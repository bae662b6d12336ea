package org.jbitcoind.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jbitcoind.node.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void writesThePidAndRemovesItAtClose() throws Exception {
        Path file = dir.resolve("sub").resolve("jbitcoind.pid");
        PidFile pid = new PidFile(file, 4242);
        pid.start();
        assertEquals("4242\n", Files.readString(file));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
        pid.close();
        assertFalse(Files.exists(file));
    }

    @Test
    void replacesAStaleFile() throws Exception {
        Path file = Files.writeString(dir.resolve("jbitcoind.pid"), "1\n");
        PidFile pid = new PidFile(file, 77);
        pid.start();
        assertEquals("77\n", Files.readString(file));
        pid.close();
    }

    @Test
    void unwritableLocationIsAStartupError() throws Exception {
        Files.writeString(dir.resolve("blocker"), "x");
        PidFile pid = new PidFile(dir.resolve("blocker").resolve("jbitcoind.pid"), 1);
        StartupException e = assertThrows(StartupException.class, pid::start);
        assertTrue(e.getMessage().startsWith("Cannot write pid file "), e.getMessage());
        pid.close();
        assertTrue(Files.isRegularFile(dir.resolve("blocker")), "close() after a failed start touches nothing");
    }
}
