package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.node.p2p.FileDescriptorBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class P2pConfigTest {
    private static final Path DIR = Path.of("unused");

    @Test
    void coreDefaults() {
        P2pConfig c = P2pConfig.builder(Network.MAIN, DIR).build();
        assertEquals(8333, c.port());
        assertEquals(125, c.maxConnections());
        assertEquals(8, c.maxOutboundFullRelay());
        assertEquals(2, c.maxBlockRelayOnly());
        assertEquals(114, c.maxInbound(), "125 - 8 - 2 - 1 feeler");
        assertEquals(Duration.ofSeconds(86400), c.banTime());
        assertEquals(Duration.ofSeconds(60), c.handshakeTimeout());
        assertEquals(Duration.ofMinutes(20), c.inactivityTimeout());
        assertEquals(Duration.ofMinutes(2), c.pingInterval());
        assertEquals(ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_WITNESS, c.services());
        assertEquals(18444, P2pConfig.builder(Network.REGTEST, DIR).build().port());
    }

    @Test
    void servicesFollowPruningAndFilters() {
        assertEquals(ProtocolVersions.NODE_NETWORK_LIMITED | ProtocolVersions.NODE_WITNESS
                | ProtocolVersions.NODE_BLOOM | ProtocolVersions.NODE_COMPACT_FILTERS,
                P2pConfig.servicesFor(true, true, true));
        assertEquals("/jbitcoind:1.2.3/", P2pConfig.defaultUserAgent("1.2.3"));
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> P2pConfig.builder(Network.MAIN, DIR).maxConnections(-1)
                .build());
        assertThrows(IllegalArgumentException.class, () -> P2pConfig.builder(Network.MAIN, DIR).port(70000).build());
        assertThrows(IllegalArgumentException.class, () -> P2pConfig.builder(Network.MAIN, DIR)
                .handshakeTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> P2pConfig.builder(Network.MAIN, DIR)
                .userAgent("/" + "x".repeat(300) + "/").build());
        assertEquals(0, P2pConfig.builder(Network.MAIN, DIR).maxConnections(5).build().maxInbound());
        assertEquals(5, P2pConfig.builder(Network.MAIN, DIR).maxConnections(5).maxOutboundFullRelay(0)
                .maxBlockRelayOnly(0).build().maxInbound(), "no automatic outbound, no feeler slot");
    }

    /** Core's CConnman::Init: full-relay slots first, then block-relay-only, the feeler only with room, inbound the rest. */
    @ParameterizedTest(name = "-maxconnections {0}: {1} full-relay, {2} block-relay-only, {3} feeler, {4} inbound")
    @CsvSource({
            "0, 0, 0, 0, 0",
            "1, 1, 0, 0, 0",
            "8, 8, 0, 0, 0",
            "9, 8, 1, 0, 0",
            "10, 8, 2, 0, 0",
            "11, 8, 2, 1, 0",
            "12, 8, 2, 1, 1",
            "125, 8, 2, 1, 114",
    })
    void outboundSlotsAreCutToTheConnectionLimit(int max, int fullRelay, int blockRelayOnly, int feeler, int inbound) {
        P2pConfig c = P2pConfig.builder(Network.MAIN, DIR).maxConnections(max).build();
        assertEquals(fullRelay, c.maxOutboundFullRelay());
        assertEquals(blockRelayOnly, c.maxBlockRelayOnly());
        assertEquals(feeler, c.maxFeeler());
        assertEquals(inbound, c.maxInbound());
        assertEquals(fullRelay + blockRelayOnly + feeler, c.maxAutomaticOutbound());
        assertEquals(max, c.maxAutomaticOutbound() + c.maxInbound(), "every slot is outbound or inbound");
        assertEquals(c.maxAutomaticOutbound(), P2pConfig.defaultOutboundSlots(max));
        assertEquals(c.maxAutomaticOutbound(), FileDescriptorBudget.minimumConnections(max),
                "the open-files check keeps exactly the outbound slots");
    }

    @Test
    void smallerWishesAreKeptAndOnlyCutToTheLimit() {
        P2pConfig c = P2pConfig.builder(Network.MAIN, DIR).maxConnections(4).maxOutboundFullRelay(2)
                .maxBlockRelayOnly(5).build();
        assertEquals(2, c.maxOutboundFullRelay());
        assertEquals(2, c.maxBlockRelayOnly(), "what the full-relay slots leave of 4");
        assertEquals(0, c.maxFeeler());
        assertEquals(0, c.maxInbound());
        P2pConfig noAutomatic = P2pConfig.builder(Network.MAIN, DIR).maxConnections(5).maxOutboundFullRelay(0)
                .maxBlockRelayOnly(0).build();
        assertEquals(0, noAutomatic.maxFeeler(), "no feeler without automatic outbound connections");
        assertEquals(5, noAutomatic.maxInbound());
    }
}
