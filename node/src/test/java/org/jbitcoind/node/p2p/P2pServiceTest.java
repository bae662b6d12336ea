package org.jbitcoind.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings to P2pConfig, and the service's life cycle. */
class P2pServiceTest {
    @TempDir
    Path dir;

    private Settings settings(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-regtest", "-datadir=" + dir, "-dnsseed=0", "-fixedseeds=0"));
        args.addAll(List.of(extra));
        return SettingsLoader.load(args);
    }

    @Test
    void defaultsAreCores() throws Exception {
        P2pConfig c = P2pService.config(settings());
        assertEquals(18444, c.port());
        assertTrue(c.listen());
        assertEquals(List.of(), c.bind());
        assertEquals(125, c.maxConnections());
        assertEquals(8, c.maxOutboundFullRelay());
        assertEquals(2, c.maxBlockRelayOnly());
        assertEquals(ProtocolVersions.NODE_NETWORK | ProtocolVersions.NODE_WITNESS, c.services());
        assertTrue(c.relayTransactions());
        assertEquals(Duration.ofSeconds(60), c.handshakeTimeout());
        assertEquals(Duration.ofSeconds(86400), c.banTime());
        assertFalse(c.dnsSeed());
        assertTrue(c.userAgent().startsWith("/jbitcoind:"), c.userAgent());
        assertEquals(dir.resolve("regtest"), c.dataDir());
    }

    @Test
    void connectionKeysAreMapped() throws Exception {
        P2pConfig c = P2pService.config(settings("-connect=127.0.0.1:1234", "-addnode=10.0.0.1", "-port=0",
                "-bind=127.0.0.1", "-bind=[::1]:9999", "-maxconnections=40", "-onlynet=ipv6", "-bantime=60",
                "-peertimeout=5", "-blocksonly", "-prune=600", "-peerbloomfilters", "-externalip=1.2.3.4"));
        assertEquals(List.of("127.0.0.1:1234"), c.connect());
        assertEquals(List.of("10.0.0.1"), c.addNode());
        assertTrue(c.listen(), "-bind asks to listen even with -connect");
        assertFalse(P2pService.config(settings("-connect=127.0.0.1")).listen(), "-connect alone: no listening");
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("::1", 9999)), c.bind());
        assertEquals(40, c.maxConnections());
        assertEquals(Set.of(NetworkId.IPV6), c.onlyNet());
        assertEquals(Duration.ofSeconds(60), c.banTime());
        assertEquals(Duration.ofSeconds(5), c.handshakeTimeout());
        assertFalse(c.relayTransactions());
        assertEquals(ProtocolVersions.NODE_NETWORK_LIMITED | ProtocolVersions.NODE_WITNESS | ProtocolVersions.NODE_BLOOM,
                c.services(), "a pruned node advertises NODE_NETWORK_LIMITED (BIP159)");
        assertEquals(1, c.externalAddresses().size());
    }

    @Test
    void connectZeroMeansNoOutboundAtAll() throws Exception {
        P2pConfig c = P2pService.config(settings("-connect=0"));
        assertEquals(List.of(), c.connect());
        assertEquals(0, c.maxOutboundFullRelay());
        assertEquals(0, c.maxBlockRelayOnly());
    }

    @Test
    void badBindAddressNamesTheKey() {
        StartupException e = assertThrows(StartupException.class, () -> P2pService.config(settings("-bind=not an ip")));
        assertTrue(e.getMessage().startsWith("-bind=not an ip"), e.getMessage());
    }

    @Test
    void serviceListensAndExposesTheP2pParts() throws Exception {
        try (ChainstateManager chain = RegtestBlocks.open(dir.resolve("chain"))) {
            P2pService service = new P2pService(settings("-port=0", "-bind=127.0.0.1"), () -> chain);
            service.start();
            try {
                InetSocketAddress at = service.listenAddresses().get(0);
                assertTrue(at.getPort() > 0);
                try (RawPeer peer = RawPeer.connect(at)) {
                    peer.handshake();
                    org.jbitcoind.node.testing.Waits.until(() -> service.peers().size() == 1
                            && service.peers().get(0).isEstablished(), Duration.ofSeconds(10), "peer listed");
                    long id = service.peers().get(0).id();
                    org.jbitcoind.node.testing.Waits.until(() -> service.syncStats(id).isPresent(),
                            Duration.ofSeconds(10), "sync state of the peer");
                    assertEquals(-1, service.syncStats(id).get().syncedHeaders());
                }
                assertTrue(service.banMan().banned().isEmpty());
                assertEquals(0, service.addrMan().size());
                assertEquals(0, service.sync().blocksInFlight());
            } finally {
                service.close();
            }
        }
    }

    /** -peerbloomfilters reaches the sync manager: a filterload is accepted with it, disconnects without. */
    @Test
    void peerbloomfiltersDecidesWhetherFilterloadIsServed() throws Exception {
        org.jbitcoind.protocol.message.FilterLoadMessage load = org.jbitcoind.chain.spv.BloomFilter
                .create(10, 0.01, 0, 0).toMessage();
        try (ChainstateManager chain = RegtestBlocks.open(dir.resolve("chain"))) {
            for (boolean bloom : new boolean[] {true, false}) {
                P2pService service = new P2pService(settings("-port=0", "-bind=127.0.0.1",
                        "-peerbloomfilters=" + (bloom ? 1 : 0)), () -> chain);
                service.start();
                try (RawPeer peer = RawPeer.connect(service.listenAddresses().get(0))) {
                    long services = peer.handshake().services();
                    assertEquals(bloom, (services & ProtocolVersions.NODE_BLOOM) != 0);
                    peer.send(load);
                    // A filtered block request for genesis: with the filter loaded, a merkleblock comes back.
                    peer.send(org.jbitcoind.protocol.message.InventoryMessage.getData(List.of(
                            new org.jbitcoind.protocol.message.InvItem(
                                    org.jbitcoind.protocol.message.InvItem.MSG_FILTERED_BLOCK,
                                    RegtestBlocks.PARAMS.genesisBlock().hash()))));
                    if (bloom) {
                        peer.expect(m -> m instanceof org.jbitcoind.protocol.message.MerkleBlockMessage,
                                Duration.ofSeconds(10));
                    } else {
                        assertTrue(peer.awaitClosed(Duration.ofSeconds(10)), "filterload without NODE_BLOOM");
                    }
                } finally {
                    service.close();
                }
            }
        }
    }

    @Test
    void portInUseIsAStartupException() throws Exception {
        try (ChainstateManager chain = RegtestBlocks.open(dir.resolve("chain"));
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            P2pService service = new P2pService(settings("-bind=127.0.0.1:" + taken.getLocalPort()), () -> chain);
            StartupException e = assertThrows(StartupException.class, service::start);
            assertTrue(e.getMessage().startsWith("cannot listen on /127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            service.close();
        }
    }
}
