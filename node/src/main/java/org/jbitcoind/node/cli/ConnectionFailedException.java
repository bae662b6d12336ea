package org.jbitcoind.node.cli;

/** The server could not be reached or is still warming up: the failures -rpcwait retries (Core's CConnectionFailed). */
final class ConnectionFailedException extends CliException {
    ConnectionFailedException(String message) {
        super(message);
    }
}
