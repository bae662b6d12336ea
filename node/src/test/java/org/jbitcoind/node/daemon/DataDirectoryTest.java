package org.jbitcoind.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jbitcoind.node.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void createsTheFolderAndHoldsTheLock() throws Exception {
        Path net = dir.resolve("a").resolve("regtest");
        DataDirectory first = new DataDirectory(net);
        first.start();
        try {
            assertTrue(Files.isDirectory(net));
            assertTrue(Files.exists(net.resolve(".lock")));
            DataDirectory second = new DataDirectory(net);
            StartupException e = assertThrows(StartupException.class, second::start);
            assertEquals("Cannot obtain a lock on data directory " + net
                    + ". jbitcoind is probably already running.", e.getMessage());
            second.close();
        } finally {
            first.close();
        }
        DataDirectory again = new DataDirectory(net);
        again.start();
        again.close();
    }

    @Test
    void aFileInTheWayIsReported() throws Exception {
        Files.writeString(dir.resolve("regtest"), "x");
        StartupException e = assertThrows(StartupException.class,
                () -> new DataDirectory(dir.resolve("regtest")).start());
        assertTrue(e.getMessage().startsWith("Cannot write to data directory '" + dir.resolve("regtest") + "'"),
                e.getMessage());
    }
}
