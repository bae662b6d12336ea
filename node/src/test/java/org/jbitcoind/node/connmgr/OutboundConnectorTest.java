package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jbitcoind.config.Network;
import org.jbitcoind.node.addrmgr.AddrMan;
import org.jbitcoind.node.addrmgr.NetGroups;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbound loop's decisions, with a recording dialer and resolver: nothing touches the network. */
class OutboundConnectorTest {
    @TempDir
    Path dir;

    record Dial(PeerAddress address, ConnectionType type) {
    }

    private final List<Dial> dials = new CopyOnWriteArrayList<>();
    private final AddrMan addrMan = new AddrMan();

    private OutboundConnector connector(P2pConfig config, SeedSources.Resolver resolver) {
        BanMan bans = BanMan.load(dir, config.banTime());
        AddrGossip gossip = new AddrGossip(addrMan, List::<Peer>of, new byte[32], config.onlyNet());
        return new OutboundConnector(config, List::<Peer>of, new ArrayList<>(config.addNode()), addrMan, bans, gossip,
                resolver, (a, t) -> {
                    dials.add(new Dial(a, t));
                    return new CompletableFuture<>();
                });
    }

    private static SeedSources.Resolver noDns() {
        return host -> {
            throw new UnknownHostException("no DNS in tests: " + host);
        };
    }

    private P2pConfig.Builder mainnet() {
        return P2pConfig.builder(Network.MAIN, dir).dnsSeed(false).fixedSeeds(false);
    }

    private void addKnown(int n) {
        long now = Instant.now().getEpochSecond();
        List<PeerAddress> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new PeerAddress(now, 9, NetAddress.ipv4(11 + i, 2, 3, 4), 8333));
        }
        addrMan.add(list, NetAddress.ipv4(99, 1, 1, 1), now);
    }

    @Test
    void automaticSlotsAreFilledFromTheAddressManagerInDistinctGroups() {
        addKnown(30);
        connector(mainnet().build(), noDns()).tick();
        assertEquals(2, dials.stream().filter(d -> d.type() == ConnectionType.OUTBOUND_FULL_RELAY).count(),
                "two new connections per tick and type");
        assertEquals(2, dials.stream().filter(d -> d.type() == ConnectionType.BLOCK_RELAY).count());
        Set<String> groups = new HashSet<>();
        for (Dial d : dials) {
            assertTrue(groups.add(NetGroups.groupString(d.address().address())), "distinct groups");
            assertTrue(addrMan.contains(d.address()));
        }
    }

    @Test
    void feelerProbesANewTableAddressOncePerInterval() throws Exception {
        addKnown(30);
        OutboundConnector c = connector(mainnet().maxOutboundFullRelay(0).maxBlockRelayOnly(1)
                .feelerInterval(java.time.Duration.ofMillis(1)).build(), noDns());
        Thread.sleep(5);
        c.tick();
        List<Dial> feelers = dials.stream().filter(d -> d.type() == ConnectionType.FEELER).toList();
        assertEquals(1, feelers.size());
        assertTrue(addrMan.contains(feelers.get(0).address()) && !addrMan.isTried(feelers.get(0).address()));
    }

    @Test
    void noFeelerBeforeTheIntervalOrWhileFullRelaySlotsAreOpen() {
        addKnown(30);
        connector(mainnet().maxOutboundFullRelay(0).maxBlockRelayOnly(1).build(), noDns()).tick();
        connector(mainnet().feelerInterval(java.time.Duration.ofMillis(1)).build(), noDns()).tick();
        assertTrue(dials.stream().noneMatch(d -> d.type() == ConnectionType.FEELER), dials.toString());
    }

    @Test
    void aConnectionLimitBelowTheDefaultSlotsCutsBlockRelayOnlyFirst() {
        addKnown(30);
        connector(mainnet().maxConnections(1).build(), noDns()).tick();
        assertEquals(List.of(ConnectionType.OUTBOUND_FULL_RELAY), dials.stream().map(Dial::type).toList());
    }

    @Test
    void noFeelerWhenTheConnectionLimitLeavesNoRoomForIt() throws Exception {
        addKnown(30);
        P2pConfig.Builder oneBlockRelaySlot = mainnet().maxOutboundFullRelay(0).maxBlockRelayOnly(1)
                .feelerInterval(java.time.Duration.ofMillis(1));
        OutboundConnector full = connector(oneBlockRelaySlot.maxConnections(1).build(), noDns());
        Thread.sleep(5);
        full.tick();
        assertTrue(dials.stream().noneMatch(d -> d.type() == ConnectionType.FEELER), dials.toString());
        OutboundConnector room = connector(oneBlockRelaySlot.maxConnections(2).build(), noDns());
        Thread.sleep(5);
        room.tick();
        assertEquals(1, dials.stream().filter(d -> d.type() == ConnectionType.FEELER).count(), dials.toString());
    }

    @Test
    void noAutomaticConnectionsWithZeroSlots() {
        addKnown(30);
        connector(mainnet().maxOutboundFullRelay(0).maxBlockRelayOnly(0).build(), noDns()).tick();
        assertTrue(dials.isEmpty());
    }

    @Test
    void connectListIsTheOnlyTargetAndIsNotRedialledAtOnce() {
        addKnown(30);
        OutboundConnector c = connector(mainnet().connect(List.of("1.2.3.4:8333", "[2001:4860::1]")).build(), noDns());
        c.tick();
        c.tick();
        assertEquals(List.of(new Dial(PeerAddress.parse("1.2.3.4:8333", 0), ConnectionType.MANUAL),
                new Dial(PeerAddress.parse("[2001:4860::1]:8333", 0), ConnectionType.MANUAL)), dials);
    }

    @Test
    void addnodeNamesAreResolvedAndDialledBesideAutomaticOnes() {
        SeedSources.Resolver resolver = host -> {
            if (host.equals("node.example")) {
                return List.of(InetAddress.getByAddress(new byte[] {7, 7, 7, 7}));
            }
            throw new UnknownHostException(host);
        };
        connector(mainnet().addNode(List.of("node.example:9999")).build(), resolver).tick();
        assertEquals(List.of(new Dial(PeerAddress.parse("7.7.7.7:9999", 0), ConnectionType.MANUAL)), dials);
    }

    @Test
    void seedNodesGetAddressFetchConnections() {
        connector(mainnet().seedNode(List.of("5.5.5.5")).build(), noDns()).connectSeedNodes();
        assertEquals(List.of(new Dial(PeerAddress.parse("5.5.5.5:8333", 0), ConnectionType.ADDR_FETCH)), dials);
    }

    @Test
    void emptyAddressManagerQueriesDnsSeeds() {
        List<String> asked = new CopyOnWriteArrayList<>();
        SeedSources.Resolver resolver = host -> {
            asked.add(host);
            return List.of(InetAddress.getByAddress(new byte[] {(byte) (20 + asked.size()), 1, 1, 1}));
        };
        connector(mainnet().dnsSeed(true).fixedSeeds(true).build(), resolver).tick();
        Waits.until(() -> addrMan.size() == Network.MAIN.dnsSeeds().size(), java.time.Duration.ofSeconds(10),
                "DNS results stored");
        assertEquals(Network.MAIN.dnsSeeds(), asked);
    }

    @Test
    void fixedSeedsWhenDnsGivesNothing() {
        connector(mainnet().dnsSeed(true).fixedSeeds(true).build(), noDns()).tick();
        Waits.until(() -> addrMan.size() > 100, java.time.Duration.ofSeconds(10), "fixed seeds added");
        int expected = (int) SeedSources.fixedSeeds(Network.MAIN).stream()
                .filter(p -> p.address().isAddrV1Compatible()).count();
        assertTrue(addrMan.size() <= expected && addrMan.size() > expected / 2,
                "only the IPv4/IPv6 seeds (bucket collisions may drop a few): " + addrMan.size());
    }

    @Test
    void fixedSeedsAtOnceWhenDnsSeedingIsOff() {
        connector(mainnet().fixedSeeds(true).build(), noDns()).tick();
        assertTrue(addrMan.size() > 100, "added synchronously by the first tick");
    }

    @Test
    void nothingAddedWhenBothSeedSourcesAreOff() {
        connector(mainnet().build(), noDns()).tick();
        assertEquals(0, addrMan.size());
        assertTrue(dials.isEmpty());
    }
}
