package org.jbitcoind.node.cli;

/** A client-side failure; printed as "error: MESSAGE" with exit status 1, as bitcoin-cli does. */
class CliException extends Exception {
    CliException(String message) {
        super(message);
    }
}
