package org.jbitcoind.node.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jbitcoind.protocol.crypto.Hash256;

/**
 * Which peers announced which transactions, and from whom each is being requested (a simpler
 * form of Core's TxRequestTracker). A transaction is requested from one announcer at a time;
 * when that peer answers notfound, does not answer within the timeout, or goes away, the next
 * announcer gets its turn. Announcements from preferred (outbound) peers are requestable at once,
 * others only after a delay, and among the requestable ones preferred peers come first, then the
 * earliest announcement. Not thread-safe: owned by the relay thread; times are nanoseconds.
 */
final class TxRequestTracker {
    /** A request to send: the hash and whether it is a wtxid (BIP339 MSG_WTX) or a txid. */
    record Request(Hash256 hash, boolean wtxid) {
    }

    private enum State { CANDIDATE, REQUESTED, COMPLETED }

    private static final class Announcement {
        final long peer;
        final Hash256 hash;
        final boolean wtxid;
        final boolean preferred;
        final long readyAt;
        final long sequence;
        State state = State.CANDIDATE;
        long expiry;

        Announcement(long peer, Hash256 hash, boolean wtxid, boolean preferred, long readyAt, long sequence) {
            this.peer = peer;
            this.hash = hash;
            this.wtxid = wtxid;
            this.preferred = preferred;
            this.readyAt = readyAt;
            this.sequence = sequence;
        }
    }

    private final long timeoutNanos;
    private final long nonPreferredDelayNanos;
    private final int maxPerPeer;
    private final int maxInFlightPerPeer;
    private final Map<Hash256, Map<Long, Announcement>> byHash = new HashMap<>();
    private final Map<Long, Set<Hash256>> byPeer = new HashMap<>();
    private final Map<Long, Integer> inFlight = new HashMap<>();
    private final Set<Announcement> requested = new LinkedHashSet<>();
    private long sequence;

    TxRequestTracker(long timeoutNanos, long nonPreferredDelayNanos, int maxPerPeer, int maxInFlightPerPeer) {
        this.timeoutNanos = timeoutNanos;
        this.nonPreferredDelayNanos = nonPreferredDelayNanos;
        this.maxPerPeer = maxPerPeer;
        this.maxInFlightPerPeer = maxInFlightPerPeer;
    }

    /**
     * {@code peer} announced {@code hash}. Ignored when the peer announced it before or already has
     * too many announcements outstanding (Core's MAX_PEER_TX_ANNOUNCEMENTS).
     */
    void received(long peer, Hash256 hash, boolean wtxid, boolean preferred, long now) {
        Set<Hash256> mine = byPeer.computeIfAbsent(peer, k -> new LinkedHashSet<>());
        if (mine.contains(hash) || mine.size() >= maxPerPeer) {
            return;
        }
        long readyAt = preferred ? now : now + nonPreferredDelayNanos;
        byHash.computeIfAbsent(hash, k -> new LinkedHashMap<>())
                .put(peer, new Announcement(peer, hash, wtxid, preferred, readyAt, sequence++));
        mine.add(hash);
    }

    /**
     * What to ask {@code peer} for now: each announced hash for which this peer is the best ready
     * announcer and no request is outstanding anywhere. Those become outstanding until
     * {@code now + timeout}.
     */
    List<Request> requestable(long peer, long now) {
        expire(now);
        Set<Hash256> mine = byPeer.get(peer);
        if (mine == null) {
            return List.of();
        }
        List<Request> out = new ArrayList<>();
        int flying = inFlight.getOrDefault(peer, 0);
        for (Hash256 hash : mine) {
            if (flying >= maxInFlightPerPeer) {
                break;
            }
            Map<Long, Announcement> all = byHash.get(hash);
            Announcement a = all.get(peer);
            if (a.state != State.CANDIDATE || a.readyAt > now || anyRequested(all) || best(all, now) != a) {
                continue;
            }
            a.state = State.REQUESTED;
            a.expiry = now + timeoutNanos;
            requested.add(a);
            flying++;
            out.add(new Request(hash, a.wtxid));
        }
        if (flying > 0) {
            inFlight.put(peer, flying);
        }
        return out;
    }

    private static boolean anyRequested(Map<Long, Announcement> all) {
        for (Announcement a : all.values()) {
            if (a.state == State.REQUESTED) {
                return true;
            }
        }
        return false;
    }

    private static Announcement best(Map<Long, Announcement> all, long now) {
        Announcement best = null;
        for (Announcement a : all.values()) {
            if (a.state != State.CANDIDATE || a.readyAt > now) {
                continue;
            }
            if (best == null || (a.preferred && !best.preferred)
                    || (a.preferred == best.preferred && a.sequence < best.sequence)) {
                best = a;
            }
        }
        return best;
    }

    /** Requests outstanding longer than the timeout are given up: that peer's turn is over. */
    void expire(long now) {
        Iterator<Announcement> it = requested.iterator();
        while (it.hasNext()) {
            Announcement a = it.next();
            if (a.expiry - now <= 0) {
                it.remove();
                complete(a);
            }
        }
    }

    /** {@code peer} answered for {@code hash} (with the transaction or notfound): its turn is over. */
    void receivedResponse(long peer, Hash256 hash) {
        Map<Long, Announcement> all = byHash.get(hash);
        Announcement a = all == null ? null : all.get(peer);
        if (a == null) {
            return;
        }
        requested.remove(a);
        complete(a);
    }

    private void complete(Announcement a) {
        if (a.state == State.REQUESTED) {
            inFlight.computeIfPresent(a.peer, (k, v) -> v <= 1 ? null : v - 1);
        }
        a.state = State.COMPLETED;
        Map<Long, Announcement> all = byHash.get(a.hash);
        for (Announcement other : all.values()) {
            if (other.state != State.COMPLETED) {
                return;
            }
        }
        // Nobody left to ask: the hash is forgotten, so a new announcement starts afresh.
        forget(a.hash);
    }

    /** The transaction was accepted or rejected: no peer needs to be asked for it any more. */
    void forget(Hash256 hash) {
        Map<Long, Announcement> all = byHash.remove(hash);
        if (all == null) {
            return;
        }
        for (Announcement a : all.values()) {
            if (a.state == State.REQUESTED) {
                requested.remove(a);
                inFlight.computeIfPresent(a.peer, (k, v) -> v <= 1 ? null : v - 1);
            }
            Set<Hash256> mine = byPeer.get(a.peer);
            if (mine != null) {
                mine.remove(hash);
                if (mine.isEmpty()) {
                    byPeer.remove(a.peer);
                }
            }
        }
    }

    /** The peer went away: its announcements go, and its outstanding requests pass to the next announcer. */
    void disconnected(long peer) {
        Set<Hash256> mine = byPeer.remove(peer);
        inFlight.remove(peer);
        if (mine == null) {
            return;
        }
        for (Hash256 hash : mine) {
            Map<Long, Announcement> all = byHash.get(hash);
            Announcement a = all.remove(peer);
            requested.remove(a);
            if (all.isEmpty() || all.values().stream().allMatch(x -> x.state == State.COMPLETED)) {
                forget(hash);
            }
        }
    }

    /** Announcements remembered for {@code peer} (any state). */
    int announcements(long peer) {
        Set<Hash256> mine = byPeer.get(peer);
        return mine == null ? 0 : mine.size();
    }

    int inFlight(long peer) {
        return inFlight.getOrDefault(peer, 0);
    }

    /** Hashes tracked at all. */
    int size() {
        return byHash.size();
    }
}
