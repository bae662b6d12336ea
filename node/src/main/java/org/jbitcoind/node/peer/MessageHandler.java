package org.jbitcoind.node.peer;

import org.jbitcoind.protocol.message.Message;

/**
 * The seam between the connection layer and whatever acts on the chain (the sync manager, relay,
 * mempool). The P2P layer handles the handshake, ping/pong, feature negotiation (sendheaders,
 * sendcmpct, feefilter, wtxidrelay, sendaddrv2) and address gossip itself; every other message
 * from a peer whose handshake is complete arrives here, in the order that peer sent it.
 *
 * <p>Threading: all three callbacks run on one dedicated dispatcher thread ("p2p-dispatch"),
 * never on a Netty I/O thread, so an implementation may block (disk, validation) without stalling
 * the sockets. While this handler falls behind on a peer's messages, reading from that peer is
 * paused, so a fast peer cannot queue unbounded work.
 */
public interface MessageHandler {
    MessageHandler IGNORE = new MessageHandler() {
    };

    default void onPeerConnected(Peer peer) {
    }

    default void onMessage(Peer peer, Message message) {
    }

    default void onPeerDisconnected(Peer peer) {
    }
}
