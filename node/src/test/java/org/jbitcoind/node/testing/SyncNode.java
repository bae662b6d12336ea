package org.jbitcoind.node.testing;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.connmgr.ConnectionManager;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.net.InetAddresses;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.sync.SyncConfig;
import org.jbitcoind.node.sync.SyncManager;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;

/**
 * A whole node in the test JVM: its own chain state in its own folder, the sync manager, and the
 * P2P layer on 127.0.0.1 with an ephemeral port. Several of them sync with each other in seconds.
 */
public final class SyncNode implements AutoCloseable {
    /** Shorter timers than Core's so stalls and silent peers are noticed within a test. */
    public static final SyncConfig TEST_SYNC = SyncConfig.defaults().withStallTimeout(Duration.ofSeconds(1))
            .withHeadersTimeout(Duration.ofSeconds(1)).withTickInterval(Duration.ofMillis(100));

    private final ChainstateManager chain;
    private final SyncManager sync;
    private final ConnectionManager connman;

    private SyncNode(ChainstateManager chain, SyncManager sync, ConnectionManager connman) {
        this.chain = chain;
        this.sync = sync;
        this.connman = connman;
    }

    public static SyncNode start(Path dir) throws Exception {
        return start(dir, TEST_SYNC, UnaryOperator.identity());
    }

    public static SyncNode start(Path dir, SyncConfig config, UnaryOperator<P2pConfig.Builder> p2p) throws Exception {
        return start(dir, RegtestBlocks.options(), config, p2p);
    }

    public static SyncNode start(Path dir, ChainstateOptions options, SyncConfig config,
            UnaryOperator<P2pConfig.Builder> p2p) throws Exception {
        Files.createDirectories(dir);
        ChainstateManager chain = RegtestBlocks.open(dir.resolve("chainstate"), options);
        SyncManager sync = null;
        try {
            sync = new SyncManager(chain, config);
            ConnectionManager connman = new ConnectionManager(p2p.apply(TestNodes.regtest(dir)).build(),
                    sync::bestHeight, sync);
            connman.start();
            return new SyncNode(chain, sync, connman);
        } catch (Exception | Error e) {
            if (sync != null) {
                sync.close();
            }
            chain.close();
            throw e;
        }
    }

    public ChainstateManager chain() {
        return chain;
    }

    public SyncManager sync() {
        return sync;
    }

    public ConnectionManager connman() {
        return connman;
    }

    public InetSocketAddress address() {
        return connman.listenAddresses().get(0);
    }

    /** Opens a manual outbound connection to {@code other}. */
    public void connectTo(InetSocketAddress other) {
        connman.connect(InetAddresses.fromSocket(other, 0), ConnectionType.MANUAL);
    }

    public void feed(List<Block> blocks) {
        RegtestBlocks.feed(chain, blocks);
    }

    public Hash256 tip() {
        return chain.activeChain().tip().hash();
    }

    public int height() {
        return chain.activeChain().height();
    }

    public Hash256 utxoHash() throws Exception {
        return RegtestBlocks.utxoHash(chain);
    }

    /** Waits until this node's tip is {@code tip}. */
    public void awaitTip(Hash256 tip, Duration timeout) {
        Waits.until(() -> tip().equals(tip), timeout, "tip " + tip + " (at height " + height() + ")");
    }

    @Override
    public void close() {
        connman.close();
        sync.close();
        chain.close();
    }
}
