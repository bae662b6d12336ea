package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeedSourcesTest {

    @ParameterizedTest
    @EnumSource(value = Network.class, names = {"MAIN", "TESTNET3", "TESTNET4", "SIGNET"})
    void fixedSeedsAreBuiltIntoTheJarFromCoresLists(Network network) throws Exception {
        String file = SeedSources.resourceName(network).orElseThrow();
        long lines = Files.readString(SharedData.vector(file)).lines()
                .map(l -> l.contains("#") ? l.substring(0, l.indexOf('#')) : l).filter(l -> !l.isBlank()).count();
        List<PeerAddress> seeds = SeedSources.fixedSeeds(network);
        assertEquals(lines, seeds.size(), "every line of " + file);
        // I2P entries carry port 0, as I2P has no ports; every other seed has one.
        assertTrue(seeds.stream().allMatch(p -> p.time() > 0
                && (p.port() > 0 || p.address().network() == org.jbitcoind.protocol.net.NetworkId.I2P)));
    }

    @Test
    void regtestHasNoFixedSeeds() {
        assertTrue(SeedSources.fixedSeeds(Network.REGTEST).isEmpty());
    }

    @Test
    void parseSkipsCommentsBlankAndBadLines() {
        List<PeerAddress> p = SeedSources.parse("# header\n1.2.3.4:8333\n\n[2001:4860::1]:18333 # c\nnot-an-ip\n5.6.7.8\n",
                8333);
        assertEquals(3, p.size());
        assertEquals(NetAddress.ipv4(1, 2, 3, 4), p.get(0).address());
        assertEquals(18333, p.get(1).port());
        assertEquals(8333, p.get(2).port(), "default port");
    }

    @Test
    void dnsSeedsAreQueriedThroughTheResolverWithTheDefaultPort() throws Exception {
        List<String> asked = new ArrayList<>();
        SeedSources.Resolver fake = host -> {
            asked.add(host);
            if (host.equals(Network.MAIN.dnsSeeds().get(0))) {
                return List.of(InetAddress.getByAddress(new byte[] {1, 2, 3, 4}),
                        InetAddress.getByAddress(new byte[] {5, 6, 7, 8}));
            }
            throw new UnknownHostException(host);
        };
        List<PeerAddress> found = SeedSources.queryDnsSeeds(Network.MAIN, fake);
        assertEquals(Network.MAIN.dnsSeeds(), asked);
        assertEquals(2, found.size());
        assertEquals(8333, found.get(0).port());
        assertEquals(NetAddress.ipv4(5, 6, 7, 8), found.get(1).address());
    }
}
