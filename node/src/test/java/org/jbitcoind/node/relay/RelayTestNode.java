package org.jbitcoind.node.relay;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.jbitcoind.node.Node;
import org.jbitcoind.node.chain.ChainService;
import org.jbitcoind.node.daemon.DataDirectory;
import org.jbitcoind.node.mempool.MempoolService;
import org.jbitcoind.node.p2p.P2pService;
import org.jbitcoind.node.rpc.LogCategories;
import org.jbitcoind.node.rpc.RpcService;
import org.jbitcoind.testkit.RpcClient;

/**
 * A regtest node in this JVM wired as Daemon.addServices wires it (chain, mempool, P2P with
 * transaction relay, RPC), listening for P2P and RPC on ephemeral 127.0.0.1 ports, with short
 * announcement timers.
 */
final class RelayTestNode implements AutoCloseable {
    final Node node;
    final MempoolService mempool;
    final P2pService p2p;
    final RpcClient rpc;

    private RelayTestNode(Node node, MempoolService mempool, P2pService p2p, RpcClient rpc) {
        this.node = node;
        this.mempool = mempool;
        this.p2p = p2p;
        this.rpc = rpc;
    }

    static RelayTestNode start(Path dir, String... extra) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of("-regtest", "-datadir=" + dir, "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1", "-rpcport=0", "-dnsseed=0", "-fixedseeds=0", "-listen=1", "-port=0",
                "-bind=127.0.0.1", "-txannounceinterval=40", "-persistmempool=0"));
        args.addAll(List.of(extra));
        Settings settings = SettingsLoader.load(args);
        Node node = new Node(settings);
        ChainService chain = new ChainService(settings);
        MempoolService mempool = new MempoolService(settings, chain::chainstate);
        P2pService p2p = new P2pService(settings, chain::chainstate, chain::filterRequests).withMempool(() -> mempool);
        RpcService rpc = new RpcService(settings, node::requestShutdown, chain::chainstate, () -> mempool, () -> p2p,
                new LogCategories(LogCategories.NODE_CATEGORIES, settings.dataDir().resolve("debug.log"), (c, on) -> {
                }));
        node.add(new DataDirectory(settings.dataDir())).add(rpc).add(chain).add(mempool).add(p2p)
                .add(rpc.warmupFinished());
        node.start();
        try {
            return new RelayTestNode(node, mempool, p2p, new RpcClient(rpc.port(), settings.dataDir().resolve(".cookie")));
        } catch (Exception e) {
            node.stop();
            throw e;
        }
    }

    InetSocketAddress p2pAddress() {
        return p2p.listenAddresses().get(0);
    }

    @Override
    public void close() {
        node.stop();
    }
}
