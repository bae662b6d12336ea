package org.jbitcoind.node.sync;

import java.util.List;

/**
 * A peer's sync state for getpeerinfo.
 *
 * @param syncedHeaders  height of the best header we know the peer has, -1 if none (Core's synced_headers)
 * @param inFlight       heights of the blocks requested from it (Core's inflight)
 * @param getblocksMode  the peer ignores getheaders and is synced with getblocks/inv
 */
public record PeerSyncStats(int syncedHeaders, List<Integer> inFlight, boolean getblocksMode) {
    public PeerSyncStats {
        inFlight = List.copyOf(inFlight);
    }
}
