package org.jbitcoind.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-peer counters and the node-wide parent that getnettotals and the metrics read. */
class TrafficCounterTest {

    @Test
    void theParentHoldsTheSumOfItsPeers() {
        TrafficCounter node = new TrafficCounter();
        TrafficCounter a = new TrafficCounter(node);
        TrafficCounter b = new TrafficCounter(node);
        a.received("block", 1000);
        a.received("block", 500);
        b.received("block", 24);
        b.received("inv", 61);
        a.sent("getdata", 61);
        b.sent("headers", 30);

        assertEquals(Map.of("block", 1500L), a.receivedPerMessage());
        assertEquals(Map.of("block", 24L, "inv", 61L), b.receivedPerMessage());
        assertEquals(Map.of("block", 1524L, "inv", 61L), node.receivedPerMessage());
        assertEquals(Map.of("getdata", 61L, "headers", 30L), node.sentPerMessage());
        assertEquals(1585, node.totalReceived());
        assertEquals(91, node.totalSent());
        assertEquals(a.totalReceived() + b.totalReceived(), node.totalReceived());
        assertEquals(1524, node.received("block"));
        assertEquals(0, node.received("tx"));
        assertEquals(30, node.sent("headers"));
    }

    @Test
    void unknownCommandsShareOneKey() {
        TrafficCounter node = new TrafficCounter();
        TrafficCounter peer = new TrafficCounter(node);
        peer.received("spam1", 30);
        peer.received("spam2", 40);
        peer.sent("weird", 5);
        assertEquals(Map.of(TrafficCounter.OTHER, 70L), peer.receivedPerMessage());
        assertEquals(70, node.received(TrafficCounter.OTHER));
        assertEquals(5, node.sent(TrafficCounter.OTHER));
        assertEquals(0, node.received("spam1"));
    }
}
