package org.jbitcoind.node.net;

import org.jbitcoind.protocol.message.MessageHeader;

/**
 * Largest payload accepted per command, checked from the header before any payload byte is
 * buffered. The envelope itself refuses anything over 32 MiB ({@link MessageHeader#MAX_PAYLOAD_LENGTH});
 * on top of that every message is held to Core's MAX_PROTOCOL_MESSAGE_LENGTH (4,000,000 bytes),
 * which is also the largest serialized block a consensus-valid chain can hold, so 125 peers can
 * never make the node buffer more than about half a gigabyte of incoming frames.
 */
public final class FrameLimits {
    /** Core's MAX_PROTOCOL_MESSAGE_LENGTH and MAX_BLOCK_SERIALIZED_SIZE (BIP141 weight limit / 1). */
    public static final int MAX_MESSAGE_LENGTH = 4_000_000;

    private FrameLimits() {
    }

    public static int maxPayload(String command) {
        return Math.min(MAX_MESSAGE_LENGTH, MessageHeader.MAX_PAYLOAD_LENGTH);
    }
}
