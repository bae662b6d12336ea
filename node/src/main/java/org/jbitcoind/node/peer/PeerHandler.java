package org.jbitcoind.node.peer;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.node.net.FrameError;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.FeeFilterMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.PongMessage;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.SendCmpctMessage;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * The protocol state machine of one connection, running on its I/O thread: version/verack
 * handshake with self-connection detection, feature negotiation, ping/pong, handshake and
 * inactivity timeouts, and the misbehaviour rules for data that breaks the protocol. Messages it
 * does not own go to {@link PeerEvents#onMessage} once the handshake is complete.
 */
public final class PeerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PeerHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** BIP152 compact block version we speak (segwit). */
    private static final long COMPACT_BLOCKS_VERSION = 2;
    /** Core's MAX_MONEY in satoshis: a feefilter above it is nonsense and ignored. */
    private static final long MAX_MONEY = 21_000_000L * 100_000_000L;

    private final Peer peer;
    private final PeerSettings settings;
    private final ChainInfoProvider chain;
    private final PeerEvents events;
    private boolean versionSent;
    private boolean versionReceived;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> pingTimer;

    PeerHandler(Peer peer, PeerSettings settings, ChainInfoProvider chain, PeerEvents events) {
        this.peer = peer;
        this.settings = settings;
        this.chain = chain;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeoutMs = settings.handshakeTimeout().toMillis();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (!peer.isEstablished()) {
                peer.disconnect("handshake not completed within " + timeoutMs + " ms");
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        long pingMs = settings.pingInterval().toMillis();
        pingTimer = ctx.executor().scheduleAtFixedRate(this::pingTick, pingMs, pingMs, TimeUnit.MILLISECONDS);
        if (peer.type().isOutbound()) {
            sendVersion();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimers();
        String reason = peer.disconnectReason().orElse("closed by peer");
        events.onDisconnected(peer, reason);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            peer.sampleOutputProgress();
            if (peer.livenessCreditedWithin(settings.inactivityTimeout())) {
                // Silent because we stopped reading it for its getdata backlog, while it reads our answers.
                LOG.debug("{} silent while we do not read it; it reads our answers, so it stays", peer);
                return;
            }
            peer.disconnect("no data received for " + settings.inactivityTimeout().toSeconds() + " s");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            peer.disconnect("socket error: " + cause.getMessage());
        } else {
            LOG.warn("unexpected error on {}, disconnecting", peer, cause);
            peer.disconnect("internal error: " + cause);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer.isDisconnecting()) {
            return;
        }
        peer.touchReceive();
        if (msg instanceof FrameError error) {
            misbehaving(Peer.DISCOURAGEMENT_THRESHOLD, error.reason());
        } else if (msg instanceof Message m) {
            LOG.debug("received {} from {}", m.command(), peer);
            handle(m);
        }
    }

    private void handle(Message m) {
        if (m instanceof VersionMessage v) {
            if (versionReceived) {
                misbehaving(Peer.DISCOURAGEMENT_THRESHOLD, "duplicate version message");
            } else {
                onVersion(v);
            }
            return;
        }
        if (!versionReceived) {
            misbehaving(Peer.DISCOURAGEMENT_THRESHOLD, m.command() + " before version");
            return;
        }
        if (!peer.isEstablished()) {
            handleBeforeVerack(m);
            return;
        }
        handleEstablished(m);
    }

    /** Between version and verack only verack and the BIP155/BIP339 announcements mean something. */
    private void handleBeforeVerack(Message m) {
        if (m == EmptyMessage.VERACK) {
            onVerack();
        } else if (m == EmptyMessage.WTXIDRELAY) {
            peer.wtxidRelayReceived();
        } else if (m == EmptyMessage.SENDADDRV2) {
            peer.addrV2Received();
        } else {
            // Core drops anything else before verack without penalty.
            LOG.debug("ignoring {} before verack from {}", m.command(), peer);
        }
    }

    private void handleEstablished(Message m) {
        if (m == EmptyMessage.VERACK) {
            LOG.debug("ignoring redundant verack from {}", peer);
        } else if (m == EmptyMessage.WTXIDRELAY || m == EmptyMessage.SENDADDRV2) {
            // BIP339 and BIP155 require these before verack.
            peer.disconnect(m.command() + " received after verack");
        } else if (m instanceof PingMessage ping) {
            peer.send(new PongMessage(ping.nonce()));
        } else if (m instanceof PongMessage pong) {
            onPong(pong);
        } else if (m == EmptyMessage.SENDHEADERS) {
            peer.sendHeadersReceived();
        } else if (m instanceof SendCmpctMessage s) {
            if (s.version() == COMPACT_BLOCKS_VERSION) {
                peer.compactBlocksReceived(s.highBandwidth());
            }
        } else if (m instanceof FeeFilterMessage f) {
            if (f.feeRate() >= 0 && f.feeRate() <= MAX_MONEY) {
                peer.feeFilterReceived(f.feeRate());
            }
        } else if (m instanceof UnknownMessage u) {
            LOG.debug("ignoring unknown command '{}' from {}", u.command(), peer);
        } else {
            events.onMessage(peer, m);
        }
    }

    private void onVersion(VersionMessage v) {
        versionReceived = true;
        peer.versionReceived(v);
        if (v.version() < ProtocolVersions.MIN_PEER_PROTO_VERSION) {
            peer.disconnect("obsolete protocol version " + v.version());
            return;
        }
        if (peer.isInbound() && events.isLocalNonce(v.nonce())) {
            LOG.info("connected to self at {}, disconnecting", peer.address().toHostPort());
            peer.disconnect("connected to self");
            return;
        }
        if (peer.type() != ConnectionType.MANUAL && peer.type().isOutbound() && !hasDesirableServices(v.services())) {
            peer.disconnect(String.format("peer lacks desirable services (%x)", v.services()));
            return;
        }
        if (peer.isInbound()) {
            sendVersion();
        }
        if (v.version() >= ProtocolVersions.WTXID_RELAY_VERSION) {
            peer.send(EmptyMessage.WTXIDRELAY);
            peer.wtxidRelaySent();
        }
        peer.send(EmptyMessage.SENDADDRV2);
        peer.send(EmptyMessage.VERACK);
    }

    /** Core's HasAllDesirableServiceFlags: full or limited block serving, and segwit. */
    private static boolean hasDesirableServices(long services) {
        boolean blocks = (services & (ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_NETWORK_LIMITED)) != 0;
        return blocks && (services & ProtocolVersions.NODE_WITNESS) != 0;
    }

    private void onVerack() {
        peer.establish();
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        int version = Math.min(ProtocolVersions.PROTOCOL_VERSION, peer.remoteVersion().orElseThrow().version());
        if (version >= ProtocolVersions.SENDHEADERS_VERSION) {
            peer.send(EmptyMessage.SENDHEADERS);
        }
        if (version >= ProtocolVersions.SHORT_IDS_BLOCKS_VERSION) {
            peer.send(new SendCmpctMessage(false, COMPACT_BLOCKS_VERSION));
        }
        if (version >= ProtocolVersions.FEEFILTER_VERSION && settings.relayTransactions()
                && peer.type().relaysTransactions() && settings.feeFilterRate() > 0) {
            peer.send(new FeeFilterMessage(settings.feeFilterRate()));
        }
        pingTick();
        events.onHandshakeComplete(peer);
    }

    private void onPong(PongMessage pong) {
        long rtt = peer.pongReceived(pong.nonce());
        if (rtt >= 0) {
            LOG.debug("ping to {} took {} us", peer, rtt / 1000);
        } else {
            LOG.debug("unsolicited pong from {}", peer);
        }
    }

    private void pingTick() {
        if (!peer.isEstablished() || peer.isDisconnecting()) {
            return;
        }
        peer.sampleOutputProgress();
        var waited = peer.pingWaitForTimeout();
        if (waited.isPresent() && waited.get().compareTo(settings.inactivityTimeout()) > 0) {
            peer.disconnect("ping unanswered for " + waited.get().toSeconds() + " s");
            return;
        }
        long nonce = peer.startPing(nonZeroNonce());
        if (nonce != 0) {
            peer.send(new PingMessage(nonce));
        }
    }

    private void sendVersion() {
        if (versionSent) {
            return;
        }
        versionSent = true;
        PeerAddress remote = peer.address();
        PeerAddress receiver = new PeerAddress(0, peer.services(), remote.address(), remote.port());
        // Like Core, we do not reveal our own address in the version message.
        PeerAddress sender = new PeerAddress(0, settings.services(), NetAddress.ipv4(0, 0, 0, 0), 0);
        boolean relay = settings.relayTransactions() && peer.type().relaysTransactions();
        peer.send(new VersionMessage(ProtocolVersions.PROTOCOL_VERSION, settings.services(),
                Instant.now().getEpochSecond(), receiver, sender, peer.localNonce(), settings.userAgent(),
                chain.bestHeight(), relay));
    }

    private void misbehaving(int score, String reason) {
        peer.misbehaving(score, reason);
    }

    private void cancelTimers() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
    }

    static long nonZeroNonce() {
        long n;
        do {
            n = RANDOM.nextLong();
        } while (n == 0);
        return n;
    }
}
