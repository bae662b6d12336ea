package org.jbitcoind.node.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes this process's id to the pid file at start and removes the file at shutdown. */
public final class PidFile implements NodeService {
    private static final Logger log = LoggerFactory.getLogger(PidFile.class);

    private final Path file;
    private final long pid;
    private boolean written;

    public PidFile(Path file, long pid) {
        this.file = file;
        this.pid = pid;
    }

    @Override
    public String name() {
        return "pid file";
    }

    @Override
    public void start() throws StartupException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            // Written whole under a temporary name, then moved, so no reader sees half a number.
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, pid + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written = true;
        } catch (IOException e) {
            throw new StartupException("Cannot write pid file " + file + ": " + DataDirectory.reason(e));
        }
    }

    @Override
    public void close() {
        if (!written) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove pid file {}: {}", file, e.toString());
        }
    }
}
