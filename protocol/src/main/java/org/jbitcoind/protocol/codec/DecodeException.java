package org.jbitcoind.protocol.codec;

/**
 * Bytes that do not form a valid encoding: truncated, trailing, non-canonical or over a limit.
 * Checked on purpose: every caller that decodes untrusted input must decide what a malformed
 * message costs the sender.
 */
public final class DecodeException extends Exception {
    public DecodeException(String message) {
        super(message);
    }
}
