package org.jbitcoind.node.daemon;

import java.nio.file.Path;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;

/** The rotating debug.log; started right after the data-directory lock so later services log to it. */
public final class DebugLogFile implements NodeService {
    private final Path file;

    public DebugLogFile(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "debug log file";
    }

    @Override
    public void start() throws StartupException {
        if (!LogSetup.addFile(file)) {
            throw new StartupException("Cannot open log file " + file);
        }
    }

    /**
     * Leaves the file open: the last shutdown lines belong in it too. The daemon closes every
     * appender with {@link LogSetup#shutdown()} as its very last step.
     */
    @Override
    public void close() {
    }
}
