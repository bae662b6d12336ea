package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.node.connmgr.InboundEviction.Candidate;
import org.junit.jupiter.api.Test;

class InboundEvictionTest {

    /** n peers in one group, no pings, no txs or blocks, peer i connected at time i. */
    private static List<Candidate> uniform(int n) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Candidate(i, 1, Long.MAX_VALUE, 0, 0, 1000 + i));
        }
        return out;
    }

    @Test
    void nobodyIsEvictedWhenAllAreProtected() {
        assertEquals(Optional.empty(), InboundEviction.select(uniform(20)));
        assertEquals(Optional.empty(), InboundEviction.select(List.of()));
    }

    @Test
    void youngestOfTheLargestGroupIsEvicted() {
        List<Candidate> c = new ArrayList<>();
        // 20 peers in distinct groups that are protected by good pings / recent activity
        for (int i = 0; i < 20; i++) {
            c.add(new Candidate(100 + i, 1_000_000 + i, i < 8 ? 1000 + i : Long.MAX_VALUE,
                    i >= 8 && i < 12 ? 5000 + i : 0, i >= 12 && i < 16 ? 5000 + i : 0, i));
        }
        // a burst from one group (an attacker), connected late
        for (int i = 0; i < 10; i++) {
            c.add(new Candidate(200 + i, 7, Long.MAX_VALUE, 0, 0, 10_000 + i));
        }
        Optional<Long> victim = InboundEviction.select(c);
        assertEquals(Optional.of(209L), victim, "the newest of the largest group");
    }

    @Test
    void lowPingRecentTxAndBlockPeersAreNeverEvicted() {
        List<Candidate> c = uniform(40);
        // give peer 5 the best ping, peer 6 the latest tx, peer 7 the latest block: they are protected
        c.set(5, new Candidate(5, 1, 10, 0, 0, 1005));
        c.set(6, new Candidate(6, 1, Long.MAX_VALUE, 99_999, 0, 1006));
        c.set(7, new Candidate(7, 1, Long.MAX_VALUE, 0, 99_999, 1007));
        for (int round = 0; round < 30; round++) {
            long evicted = InboundEviction.select(c).orElseThrow();
            assertTrue(evicted != 5 && evicted != 6 && evicted != 7);
            c.removeIf(x -> x.id() == evicted);
            if (c.size() <= 21) {
                break;
            }
        }
    }

    @Test
    void longestConnectedHalfIsProtected() {
        List<Candidate> c = uniform(30);
        long victim = InboundEviction.select(c).orElseThrow();
        // All share a group, so the youngest unprotected goes; the oldest peers stay.
        assertEquals(29, victim);
        assertNotEquals(0, victim);
    }
}
