package org.jbitcoind.node.sync;

import java.time.Duration;

/**
 * Tuning of the chain-sync manager; {@link #defaults()} are Core's values, tests shorten the timeouts.
 *
 * @param window            blocks past our tip that may be downloaded ahead (Core's BLOCK_DOWNLOAD_WINDOW)
 * @param maxInFlightPerPeer blocks requested from one peer at a time (Core's MAX_BLOCKS_IN_TRANSIT_PER_PEER)
 * @param stallTimeout      the next block we need may be outstanding this long while another peer could
 *                          serve it, before its peer is dropped (Core's BLOCK_STALLING_TIMEOUT)
 * @param blockTimeout      any requested block must arrive within this (Core: 10 minutes base)
 * @param headersTimeout    a peer that leaves getheaders unanswered this long, while claiming a higher
 *                          chain, is synced with getblocks/inv instead
 * @param tickInterval      period of the timer that checks the above and hands out block requests
 * @param progressInterval  period of the INFO progress line during initial block download
 */
public record SyncConfig(int window, int maxInFlightPerPeer, Duration stallTimeout, Duration blockTimeout,
        Duration headersTimeout, Duration tickInterval, Duration progressInterval) {
    /** Core's BLOCK_DOWNLOAD_WINDOW. */
    public static final int DEFAULT_WINDOW = 1024;
    /** Core's MAX_BLOCKS_IN_TRANSIT_PER_PEER. */
    public static final int DEFAULT_IN_FLIGHT = 16;

    public SyncConfig {
        if (window < 1 || maxInFlightPerPeer < 1) {
            throw new IllegalArgumentException("window and in-flight limit must be positive");
        }
        for (Duration d : new Duration[] {stallTimeout, blockTimeout, headersTimeout, tickInterval, progressInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts and intervals must be positive, got " + d);
            }
        }
    }

    public static SyncConfig defaults() {
        return new SyncConfig(DEFAULT_WINDOW, DEFAULT_IN_FLIGHT, Duration.ofSeconds(2), Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    public SyncConfig withStallTimeout(Duration d) {
        return new SyncConfig(window, maxInFlightPerPeer, d, blockTimeout, headersTimeout, tickInterval,
                progressInterval);
    }

    public SyncConfig withHeadersTimeout(Duration d) {
        return new SyncConfig(window, maxInFlightPerPeer, stallTimeout, blockTimeout, d, tickInterval,
                progressInterval);
    }

    public SyncConfig withTickInterval(Duration d) {
        return new SyncConfig(window, maxInFlightPerPeer, stallTimeout, blockTimeout, headersTimeout, d,
                progressInterval);
    }
}
