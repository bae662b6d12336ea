package org.jbitcoind.node;

/**
 * Start-up cannot go on (a port already in use, an unwritable or locked data directory, a
 * corrupt database). The daemon prints the message as one {@code Error: ...} line and exits 1.
 */
public final class StartupException extends Exception {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
