package org.jbitcoind.node.net;

/**
 * A frame that could not be turned into a message. Passed down the pipeline instead of an
 * exception so that the peer layer alone decides what the sender has earned; the decoder stops
 * reading the connection after emitting one, because the byte stream can no longer be trusted.
 *
 * @param command the header's command when the header itself was sound, else empty
 * @param reason  what was wrong, for logs and disconnect reasons
 */
public record FrameError(String command, String reason) {
}
