package org.jbitcoind.node.peer;

import java.time.Duration;

/**
 * What every connection needs to speak the protocol, derived from the node's P2P configuration.
 *
 * @param magic              network magic ({@code Network.magic()})
 * @param services           service bits we advertise
 * @param userAgent          BIP14 user agent, e.g. {@code /jbitcoind:0.1.0/}
 * @param relayTransactions  false in blocks-only mode: our version's relay flag, no feefilter
 * @param feeFilterRate      fee rate (sat/kvB) sent in feefilter; 0 sends none
 * @param handshakeTimeout   version/verack must complete within this
 * @param inactivityTimeout  a peer that sends nothing for this long is dropped; also the pong deadline
 * @param pingInterval       how often an established peer is pinged
 * @param maxSendBuffer      bytes queued for a peer beyond which it is dropped as too slow
 * @param maxDispatchBacklog messages queued for the {@link MessageHandler} beyond which reading pauses
 */
public record PeerSettings(int magic, long services, String userAgent, boolean relayTransactions, long feeFilterRate,
        Duration handshakeTimeout, Duration inactivityTimeout, Duration pingInterval, long maxSendBuffer,
        int maxDispatchBacklog) {
}
