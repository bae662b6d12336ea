package org.jbitcoind.node.connmgr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.jbitcoind.node.addrmgr.AddrMan;
import org.jbitcoind.node.addrmgr.NetGroups;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.LittleEndian;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Address gossip (Core's ProcessAddrs / RelayAddress / getaddr handling):
 * <ul>
 *   <li>addr and addrv2 from a peer are rate limited (0.1 address/s, a 1000-token bucket filled
 *       when we asked with getaddr), stored in the address manager, and, when the message is small
 *       (at most 10 entries), the address fresh (last 10 minutes) and routable, relayed to two
 *       peers (one if we cannot reach that network ourselves). The two are chosen by a keyed hash
 *       of the address and the day, so repeats of one address go to the same peers;</li>
 *   <li>getaddr is answered for inbound peers only, once per connection, with up to 1000
 *       addresses and at most 23% of what we know;</li>
 *   <li>peers that announced sendaddrv2 get addrv2, others get addr with the IPv4/IPv6 entries.</li>
 * </ul>
 * Core delays relay by a random trickle to hide the origin; we send at once (documented gap).
 */
final class AddrGossip {
    private static final Logger LOG = LoggerFactory.getLogger(AddrGossip.class);
    static final int MAX_ADDR_TO_SEND = 1000;
    static final int MAX_PCT_ADDR_TO_SEND = 23;
    static final int MAX_ENTRIES_TO_RELAY = 10;
    static final long RELAY_MAX_AGE_SECONDS = 10 * 60;

    private final AddrMan addrMan;
    private final Supplier<Collection<Peer>> peers;
    private final byte[] key;
    private final Set<NetworkId> onlyNet;

    AddrGossip(AddrMan addrMan, Supplier<Collection<Peer>> peers, byte[] key, Set<NetworkId> onlyNet) {
        this.addrMan = addrMan;
        this.peers = peers;
        this.key = key.clone();
        this.onlyNet = onlyNet;
    }

    void onAddr(Peer from, List<PeerAddress> addresses) {
        if (!from.type().relaysAddresses()) {
            LOG.debug("ignoring addr from block-relay-only {}", from);
            return;
        }
        from.addrRelay().enableRelay();
        long now = Instant.now().getEpochSecond();
        List<PeerAddress> accepted = new ArrayList<>();
        int rateLimited = 0;
        for (PeerAddress a : addresses) {
            if (!from.addrRelay().takeToken()) {
                rateLimited++;
                continue;
            }
            from.addrRelay().addKnown(a);
            boolean reachable = isReachable(a.address().network());
            if (addresses.size() <= MAX_ENTRIES_TO_RELAY && !from.addrRelay().getAddrSent()
                    && a.time() > now - RELAY_MAX_AGE_SECONDS && a.time() <= now + 600
                    && NetGroups.isRoutable(a.address())) {
                relay(a, from, reachable ? 2 : 1, now);
            }
            if (reachable) {
                accepted.add(a);
            }
        }
        int added = addrMan.add(accepted, from.address().address(), now);
        LOG.debug("{} sent {} addresses: {} new, {} rate limited", from, addresses.size(), added, rateLimited);
        if (from.type() == ConnectionType.ADDR_FETCH && addresses.size() > 1) {
            from.disconnect("addresses fetched");
        }
    }

    void onGetAddr(Peer from) {
        if (!from.isInbound()) {
            // Answering outbound peers would let them fingerprint us (Core ignores these too).
            LOG.debug("ignoring getaddr from outbound {}", from);
            return;
        }
        from.addrRelay().enableRelay();
        if (!from.addrRelay().claimGetAddrAnswer()) {
            LOG.debug("ignoring repeated getaddr from {}", from);
            return;
        }
        boolean v2 = from.features().addrV2();
        List<PeerAddress> answer = addrMan.getAddresses(MAX_ADDR_TO_SEND, MAX_PCT_ADDR_TO_SEND,
                a -> v2 || a.address().isAddrV1Compatible(), Instant.now().getEpochSecond());
        send(from, answer);
    }

    /** Sends addresses the peer does not already know, in the format it negotiated. */
    void send(Peer to, List<PeerAddress> addresses) {
        boolean v2 = to.features().addrV2();
        List<PeerAddress> out = new ArrayList<>();
        for (PeerAddress a : addresses) {
            if ((v2 || a.address().isAddrV1Compatible()) && !to.addrRelay().isKnown(a)) {
                to.addrRelay().addKnown(a);
                out.add(a);
            }
        }
        for (int i = 0; i < out.size(); i += MAX_ADDR_TO_SEND) {
            List<PeerAddress> chunk = out.subList(i, Math.min(out.size(), i + MAX_ADDR_TO_SEND));
            to.send(v2 ? new AddrV2Message(chunk) : new AddrMessage(chunk));
        }
    }

    private void relay(PeerAddress a, Peer source, int fanout, long now) {
        long day = now / 86400;
        byte[] addrKey = new ByteWriter().writeBytes(key).writeVarBytes(a.address().bytes()).writeU16BE(a.port())
                .writeI64LE(day).toByteArray();
        List<Peer> targets = new ArrayList<>();
        for (Peer p : peers.get()) {
            if (p != source && p.isEstablished() && !p.isDisconnecting() && p.type().relaysAddresses()
                    && p.addrRelay().relayEnabled() && (a.address().isAddrV1Compatible() || p.features().addrV2())) {
                targets.add(p);
            }
        }
        targets.sort(Comparator.comparingLong((Peer p) -> relayRank(addrKey, p.id())).reversed());
        for (Peer p : targets.subList(0, Math.min(fanout, targets.size()))) {
            LOG.debug("relaying {} from {} to {}", a.toHostPort(), source, p);
            send(p, List.of(a));
        }
    }

    private static long relayRank(byte[] addrKey, long peerId) {
        byte[] h = Hashes.sha256(new ByteWriter().writeBytes(addrKey).writeI64LE(peerId).toByteArray());
        return LittleEndian.getLong(h, 0);
    }

    boolean isReachable(NetworkId n) {
        return NetGroups.isDirectlyReachable(n) && (onlyNet.isEmpty() || onlyNet.contains(n));
    }
}
