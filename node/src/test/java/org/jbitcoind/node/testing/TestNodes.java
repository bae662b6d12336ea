package org.jbitcoind.node.testing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jbitcoind.config.Network;
import org.jbitcoind.node.connmgr.ConnectionManager;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.peer.ChainInfoProvider;
import org.jbitcoind.node.peer.MessageHandler;

/** P2P configurations for in-process tests: regtest, 127.0.0.1 on an ephemeral port, no seeding, no automatic outbound. */
public final class TestNodes {
    private TestNodes() {
    }

    public static P2pConfig.Builder regtest(Path dataDir) {
        return P2pConfig.builder(Network.REGTEST, dataDir)
                .bind(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .port(0)
                .dnsSeed(false)
                .fixedSeeds(false)
                .maxOutboundFullRelay(0)
                .maxBlockRelayOnly(0)
                .maxConnections(20)
                .handshakeTimeout(Duration.ofSeconds(10))
                .inactivityTimeout(Duration.ofSeconds(30))
                .pingInterval(Duration.ofSeconds(30))
                .connectInterval(Duration.ofMillis(100))
                .userAgent(P2pConfig.defaultUserAgent("test"));
    }

    /** A started connection manager, closed after the test by {@code closing}. */
    public static ConnectionManager start(CloseAfterEach closing, P2pConfig config, ChainInfoProvider chain,
            MessageHandler handler) throws Exception {
        ConnectionManager cm = closing.add(new ConnectionManager(config, chain, handler));
        cm.start();
        return cm;
    }
}
