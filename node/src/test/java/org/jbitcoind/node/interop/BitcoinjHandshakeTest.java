package org.jbitcoind.node.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bitcoinj.core.BlockChain;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.Peer;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.PeerGroup;
import org.bitcoinj.core.VersionMessage;
import org.bitcoinj.net.NioClient;
import org.bitcoinj.params.RegTestParams;
import org.bitcoinj.store.MemoryBlockStore;
import org.jbitcoind.node.connmgr.ConnectionManager;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An independent implementation (bitcoinj 0.17.1) completes the version handshake with our server on regtest. */
class BitcoinjHandshakeTest {
    @TempDir
    Path dir;

    @Test
    void bitcoinjPeerCompletesTheHandshake() throws Exception {
        long services = P2pConfig.servicesFor(false, true, false);
        try (ConnectionManager node = new ConnectionManager(TestNodes.regtest(dir).services(services)
                .userAgent("/jbitcoind:interop/").build(), () -> 5, MessageHandler.IGNORE)) {
            node.start();
            InetSocketAddress server = node.listenAddresses().get(0);
            NetworkParameters params = RegTestParams.get();
            Context.propagate(new Context());
            Peer peer = new Peer(params, new VersionMessage(params, 0), PeerAddress.simple(server), null);
            NioClient client = new NioClient(server, peer, Duration.ofSeconds(5));
            try {
                Peer done = peer.getVersionHandshakeFuture().get(10, TimeUnit.SECONDS);
                VersionMessage ours = done.getPeerVersionMessage();
                assertEquals(ProtocolVersions.PROTOCOL_VERSION, ours.clientVersion());
                assertEquals("/jbitcoind:interop/", ours.subVer);
                assertEquals(5, ours.bestHeight);
                assertEquals(services, ours.services().bits());
                assertTrue(ours.relayTxesBeforeFilter);
                Waits.until(() -> node.peers().size() == 1 && node.peers().get(0).isEstablished(),
                        Duration.ofSeconds(10), "our side established");
                assertTrue(node.peers().get(0).userAgent().contains("bitcoinj"), node.peers().get(0).userAgent());
            } finally {
                client.closeConnection();
            }
            Waits.until(() -> node.peers().isEmpty(), Duration.ofSeconds(10), "bitcoinj disconnect noticed");
        }
    }

    @Test
    void bitcoinjPeerGroupConnectsAndKeepsThePeer() throws Exception {
        try (ConnectionManager node = new ConnectionManager(TestNodes.regtest(dir).userAgent("/jbitcoind:group/").build(),
                () -> 0, MessageHandler.IGNORE)) {
            node.start();
            InetSocketAddress server = node.listenAddresses().get(0);
            NetworkParameters params = RegTestParams.get();
            Context.propagate(new Context());
            BlockChain chain = new BlockChain(params.network(), new MemoryBlockStore(params.getGenesisBlock()));
            PeerGroup group = new PeerGroup(params, chain);
            group.setMaxConnections(1);
            try {
                group.start();
                group.addAddress(PeerAddress.simple(server));
                List<Peer> connected = group.waitForPeers(1).get(15, TimeUnit.SECONDS);
                assertEquals("/jbitcoind:group/", connected.get(0).getPeerVersionMessage().subVer);
                Waits.until(() -> node.peers().size() == 1 && node.peers().get(0).isEstablished(),
                        Duration.ofSeconds(10), "our side established");
                Thread.sleep(500);
                assertEquals(1, group.getConnectedPeers().size(), "bitcoinj keeps the connection");
            } finally {
                group.stop();
            }
        }
    }
}
