package org.jbitcoind.node.peer;

import org.jbitcoind.protocol.message.Message;

/**
 * How a connection reports to the layer that owns all connections (the connection manager).
 * Called on the connection's Netty I/O thread: implementations must not block.
 */
public interface PeerEvents {
    /** True if {@code nonce} is one we sent in a version message still in flight (connected to ourselves). */
    boolean isLocalNonce(long nonce);

    void onHandshakeComplete(Peer peer);

    /** A post-handshake message the peer layer does not handle itself. */
    void onMessage(Peer peer, Message message);

    /** The peer crossed the misbehaviour threshold; it is being disconnected. */
    void onMisbehaving(Peer peer, String reason);

    void onDisconnected(Peer peer, String reason);
}
