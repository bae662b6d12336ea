package org.jbitcoind.node.connmgr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses which inbound peer to drop when a new inbound connection arrives and all inbound slots
 * are taken (Core's SelectNodeToEvict, simplified). An attacker who opens many connections must
 * beat honest peers on every property at once to displace them, so we protect, in order:
 * <ol>
 *   <li>4 peers with the highest keyed network-group value (diversity an attacker cannot aim for),</li>
 *   <li>8 peers with the lowest minimum ping,</li>
 *   <li>4 peers that most recently sent us a new transaction,</li>
 *   <li>4 peers that most recently sent us a new block,</li>
 *   <li>half of the rest, those connected longest.</li>
 * </ol>
 * Of the peers left, the network group with the most connections loses its newest member. When
 * nobody is left the new connection is refused instead. (Core additionally favours block-relay
 * peers and peers on disadvantaged networks such as Tor; we have no such inbound yet.)
 */
public final class InboundEviction {
    static final int PROTECT_BY_NETGROUP = 4;
    static final int PROTECT_BY_PING = 8;
    static final int PROTECT_BY_TX = 4;
    static final int PROTECT_BY_BLOCK = 4;

    /**
     * What eviction looks at for one inbound peer.
     *
     * @param keyedNetGroup keyed hash of the peer's network group
     * @param minPingNanos  best ping seen, {@code Long.MAX_VALUE} if never measured
     * @param lastTxMillis  when it last sent us a new transaction, 0 if never
     * @param lastBlockMillis when it last sent us a new block, 0 if never
     * @param connectedMillis when it connected
     */
    public record Candidate(long id, long keyedNetGroup, long minPingNanos, long lastTxMillis, long lastBlockMillis,
            long connectedMillis) {
    }

    private InboundEviction() {
    }

    public static Optional<Long> select(List<Candidate> all) {
        List<Candidate> left = new ArrayList<>(all);
        protect(left, Comparator.comparingLong(Candidate::keyedNetGroup).reversed(), PROTECT_BY_NETGROUP);
        protect(left, Comparator.comparingLong(Candidate::minPingNanos), PROTECT_BY_PING);
        protect(left, Comparator.comparingLong(Candidate::lastTxMillis).reversed(), PROTECT_BY_TX);
        protect(left, Comparator.comparingLong(Candidate::lastBlockMillis).reversed(), PROTECT_BY_BLOCK);
        protect(left, Comparator.comparingLong(Candidate::connectedMillis), left.size() / 2);
        if (left.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, List<Candidate>> byGroup = new HashMap<>();
        for (Candidate c : left) {
            byGroup.computeIfAbsent(c.keyedNetGroup(), k -> new ArrayList<>()).add(c);
        }
        // Largest group; among equal sizes the one whose newest member connected last.
        List<Candidate> victims = byGroup.values().stream()
                .max(Comparator.<List<Candidate>>comparingInt(List::size).thenComparingLong(InboundEviction::newest))
                .orElseThrow();
        return victims.stream().max(Comparator.comparingLong(Candidate::connectedMillis)).map(Candidate::id);
    }

    private static long newest(List<Candidate> group) {
        return group.stream().mapToLong(Candidate::connectedMillis).max().orElse(0);
    }

    /** Removes the first {@code count} candidates in {@code order} from the eviction pool. */
    private static void protect(List<Candidate> left, Comparator<Candidate> order, int count) {
        left.sort(order);
        left.subList(0, Math.min(count, left.size())).clear();
    }
}
