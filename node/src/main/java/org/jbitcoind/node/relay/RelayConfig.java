package org.jbitcoind.node.relay;

import java.time.Duration;

/**
 * Tuning of transaction relay; {@link #defaults()} are Core's values, tests shorten them.
 *
 * @param outboundInterval  mean of the Poisson delay between tx announcements to one outbound peer
 *                          (Core's OUTBOUND_INVENTORY_BROADCAST_INTERVAL, 2 s)
 * @param inboundInterval   the same for all inbound peers together, on one shared timer (Core's
 *                          INBOUND_INVENTORY_BROADCAST_INTERVAL, 5 s): slower, so that many
 *                          connections to us learn nothing more than one
 * @param requestTimeout    a getdata for a transaction may go unanswered this long before the next
 *                          announcer is asked (Core's GETDATA_TX_INTERVAL, 60 s)
 * @param nonPreferredDelay announcements from inbound peers are requested only this long after they
 *                          arrive, so an outbound announcer gets the first chance (Core's
 *                          NONPREF_PEER_TX_DELAY, 2 s)
 * @param tickInterval      how often the relay thread checks timers (announcements, requests)
 */
public record RelayConfig(Duration outboundInterval, Duration inboundInterval, Duration requestTimeout,
        Duration nonPreferredDelay, Duration tickInterval) {
    /** Core's INVENTORY_BROADCAST_TARGET: transactions announced per trickle, plus 5 per 1000 waiting. */
    public static final int BROADCAST_TARGET = 70;
    /** Core's INVENTORY_BROADCAST_MAX: at most this many per trickle. */
    public static final int BROADCAST_MAX = 1000;
    /** Core's MAX_PEER_TX_ANNOUNCEMENTS: unrequested announcements remembered per peer. */
    public static final int MAX_PEER_ANNOUNCEMENTS = 5000;
    /** Core's MAX_PEER_TX_REQUEST_IN_FLIGHT. */
    public static final int MAX_PEER_IN_FLIGHT = 100;
    /** Hashes remembered per peer as known to it (Core uses a 50,000-entry rolling bloom filter). */
    public static final int KNOWN_INVENTORY = 5000;
    /** Hashes remembered per peer as announced by us, the ones it may getdata (Core: 3,500). */
    public static final int RECENTLY_ANNOUNCED = 3500;
    /** Recently rejected transactions, not to be requested again until the tip changes (Core: 120,000). */
    public static final int RECENT_REJECTS = 50_000;

    public RelayConfig {
        for (Duration d : new Duration[] {outboundInterval, inboundInterval, requestTimeout, tickInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("relay intervals must be positive, got " + d);
            }
        }
        if (nonPreferredDelay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + nonPreferredDelay);
        }
    }

    public static RelayConfig defaults() {
        return new RelayConfig(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(2), Duration.ofMillis(100));
    }

    /**
     * Announcement timers scaled to {@code outbound} (inbound stays 2.5 times slower, as in Core);
     * the tick follows so that short intervals are honoured.
     */
    public RelayConfig withOutboundInterval(Duration outbound) {
        Duration tick = outbound.dividedBy(4).compareTo(tickInterval) < 0 ? outbound.dividedBy(4) : tickInterval;
        if (tick.isZero()) {
            tick = Duration.ofMillis(1);
        }
        return new RelayConfig(outbound, outbound.multipliedBy(5).dividedBy(2), requestTimeout, nonPreferredDelay,
                tick);
    }

    public RelayConfig withRequestTimeout(Duration d) {
        return new RelayConfig(outboundInterval, inboundInterval, d, nonPreferredDelay, tickInterval);
    }

    public RelayConfig withNonPreferredDelay(Duration d) {
        return new RelayConfig(outboundInterval, inboundInterval, requestTimeout, d, tickInterval);
    }
}
