package org.jbitcoind.node.connmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jbitcoind.node.addrmgr.NetGroups;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.protocol.codec.LittleEndian;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.net.NetAddress;

/**
 * Decides whether a new inbound connection may stay: banned and discouraged addresses are
 * refused; when the inbound slots are full the least useful inbound peer is evicted
 * ({@link InboundEviction}) or, if all are protected, the newcomer is refused. Runs on an I/O
 * thread: in-memory work only.
 */
final class InboundAdmission {
    private final BanMan banMan;
    private final int maxInbound;
    private final Supplier<Collection<Peer>> peers;
    private final byte[] key;

    InboundAdmission(BanMan banMan, int maxInbound, Supplier<Collection<Peer>> peers, byte[] key) {
        this.banMan = banMan;
        this.maxInbound = maxInbound;
        this.peers = peers;
        this.key = key.clone();
    }

    /** Empty to admit the connection (possibly after evicting another), else why it is refused. */
    Optional<String> refusal(NetAddress remote) {
        if (banMan.isBanned(remote)) {
            return Optional.of("banned");
        }
        if (banMan.isDiscouraged(remote)) {
            return Optional.of("discouraged");
        }
        return makeRoom() ? Optional.empty() : Optional.of("inbound slots full (" + maxInbound + ")");
    }

    private boolean makeRoom() {
        List<Peer> inbound = peers.get().stream().filter(p -> p.isInbound() && !p.isDisconnecting()).toList();
        if (inbound.size() < maxInbound) {
            return true;
        }
        if (maxInbound == 0) {
            return false;
        }
        List<InboundEviction.Candidate> candidates = new ArrayList<>();
        for (Peer p : inbound) {
            candidates.add(new InboundEviction.Candidate(p.id(), keyedNetGroup(p.address().address()),
                    p.minPing().map(Duration::toNanos).orElse(Long.MAX_VALUE),
                    p.lastTxTime().map(Instant::toEpochMilli).orElse(0L),
                    p.lastBlockTime().map(Instant::toEpochMilli).orElse(0L), p.connectedAt().toEpochMilli()));
        }
        Optional<Long> victim = InboundEviction.select(candidates);
        if (victim.isEmpty()) {
            return false;
        }
        Optional<Peer> evicted = inbound.stream().filter(p -> p.id() == victim.get()).findFirst();
        evicted.ifPresent(p -> p.disconnect("evicted to make room for a new inbound connection"));
        return evicted.isPresent();
    }

    /** The network group under our secret key, so an attacker cannot pick groups that win protection. */
    private long keyedNetGroup(NetAddress a) {
        byte[] group = NetGroups.group(a);
        byte[] data = new byte[key.length + group.length];
        System.arraycopy(key, 0, data, 0, key.length);
        System.arraycopy(group, 0, data, key.length, group.length);
        return LittleEndian.getLong(Hashes.sha256(data), 0);
    }
}
