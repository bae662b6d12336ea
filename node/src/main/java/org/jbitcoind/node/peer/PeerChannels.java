package org.jbitcoind.node.peer;

import java.util.concurrent.TimeUnit;

import org.jbitcoind.node.net.FrameDecoder;
import org.jbitcoind.node.net.FrameEncoder;
import org.jbitcoind.node.net.TrafficCounter;
import org.jbitcoind.protocol.net.PeerAddress;

import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;

/** Builds a connection's pipeline: inactivity timer, frame decoder and encoder, protocol handler. */
public final class PeerChannels {
    private PeerChannels() {
    }

    /**
     * Installs the P2P pipeline on a fresh channel and returns its {@link Peer}. Call from the
     * channel initializer, before the channel becomes active.
     *
     * @param nodeTraffic the node-wide counter the peer's traffic also adds to (getnettotals)
     */
    public static Peer install(Channel ch, long id, ConnectionType type, PeerAddress remote, PeerSettings settings,
            ChainInfoProvider chain, PeerEvents events, TrafficCounter nodeTraffic) {
        TrafficCounter traffic = new TrafficCounter(nodeTraffic);
        long nonce = PeerHandler.nonZeroNonce();
        Peer peer = new Peer(id, ch, type, remote, nonce, traffic, settings, events);
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(settings.inactivityTimeout().toMillis(), 0, 0,
                        TimeUnit.MILLISECONDS))
                .addLast("decoder", new FrameDecoder(settings.magic(), traffic))
                .addLast("encoder", new FrameEncoder(settings.magic(), traffic))
                .addLast("peer", new PeerHandler(peer, settings, chain, events));
        return peer;
    }
}
