package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** One outstanding request per transaction; timeouts, notfound and disconnects pass the turn on. */
class TxRequestTrackerTest {
    private static final long SEC = 1_000_000_000L;
    private static final long TIMEOUT = 60 * SEC;
    private static final long NONPREF = 2 * SEC;
    private static final Hash256 TX = Hash256.wrap(Hashes.sha256(new byte[] {1}));
    private static final Hash256 TX2 = Hash256.wrap(Hashes.sha256(new byte[] {2}));

    private final TxRequestTracker t = new TxRequestTracker(TIMEOUT, NONPREF, 5000, 100);

    private static List<TxRequestTracker.Request> one(Hash256 h, boolean wtxid) {
        return List.of(new TxRequestTracker.Request(h, wtxid));
    }

    @Test
    void askedFromOnePeerAtATime() {
        t.received(1, TX, true, true, 0);
        t.received(2, TX, true, true, 0);
        assertEquals(one(TX, true), t.requestable(1, 0));
        assertEquals(List.of(), t.requestable(2, 0), "already outstanding at peer 1");
        assertEquals(List.of(), t.requestable(1, SEC), "not twice from the same peer");
        assertEquals(1, t.inFlight(1));
    }

    @Test
    void timeoutMovesToTheNextAnnouncer() {
        t.received(1, TX, false, true, 0);
        t.received(2, TX, false, true, 0);
        assertEquals(one(TX, false), t.requestable(1, 0));
        assertEquals(List.of(), t.requestable(2, TIMEOUT - 1), "before the timeout");
        assertEquals(one(TX, false), t.requestable(2, TIMEOUT), "at the timeout");
        assertEquals(0, t.inFlight(1));
        assertEquals(List.of(), t.requestable(1, 3 * TIMEOUT), "peer 1 had its turn");
    }

    @Test
    void notFoundMovesOnAtOnce() {
        t.received(1, TX, true, true, 0);
        t.received(2, TX, true, true, 0);
        t.requestable(1, 0);
        t.receivedResponse(1, TX);
        assertEquals(one(TX, true), t.requestable(2, 1));
    }

    @Test
    void lastAnnouncerAnsweringForgetsTheHash() {
        t.received(1, TX, true, true, 0);
        t.requestable(1, 0);
        t.receivedResponse(1, TX);
        assertEquals(0, t.size());
        t.received(1, TX, true, true, SEC);
        assertEquals(one(TX, true), t.requestable(1, SEC), "a fresh announcement starts afresh");
    }

    @Test
    void disconnectPassesTheOutstandingRequestOn() {
        t.received(1, TX, true, true, 0);
        t.received(2, TX, true, true, 0);
        t.requestable(1, 0);
        t.disconnected(1);
        assertEquals(one(TX, true), t.requestable(2, 0));
        assertEquals(0, t.announcements(1));
    }

    @Test
    void outboundIsPreferredAndInboundWaits() {
        t.received(1, TX, true, false, 0); // inbound first
        t.received(2, TX, true, true, SEC / 2); // outbound later
        assertEquals(List.of(), t.requestable(1, SEC), "inbound announcement not ready before its delay");
        assertEquals(one(TX, true), t.requestable(2, SEC), "the preferred peer goes first");
        t.received(1, TX2, true, false, 0);
        assertEquals(List.of(), t.requestable(1, NONPREF - 1));
        assertEquals(one(TX2, true), t.requestable(1, NONPREF), "alone, the inbound peer is asked after the delay");
    }

    @Test
    void preferredPeerReadyLaterStillBeatsAnEarlierInboundOneOnceReady() {
        t.received(1, TX, true, false, 0);
        t.received(2, TX, true, true, 3 * SEC);
        // At 2 s the inbound peer is ready and nobody better is: it is asked.
        assertEquals(one(TX, true), t.requestable(1, NONPREF));
        assertEquals(List.of(), t.requestable(2, 3 * SEC), "one at a time");
    }

    @Test
    void forgetDropsEverything() {
        t.received(1, TX, true, true, 0);
        t.received(2, TX, true, true, 0);
        t.requestable(1, 0);
        t.forget(TX);
        assertEquals(0, t.size());
        assertEquals(0, t.inFlight(1));
        assertTrue(t.requestable(2, 0).isEmpty());
    }

    @Test
    void announcementsPerPeerAreBounded() {
        TxRequestTracker small = new TxRequestTracker(TIMEOUT, NONPREF, 2, 1);
        for (int i = 0; i < 5; i++) {
            small.received(1, Hash256.wrap(Hashes.sha256(new byte[] {(byte) i})), true, true, 0);
        }
        assertEquals(2, small.announcements(1));
        assertEquals(1, small.requestable(1, 0).size(), "in-flight limit");
    }
}
