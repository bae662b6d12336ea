package org.jbitcoind.node.rpc.methods;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A regtest node in this JVM with the daemon's chain and RPC services (as Daemon.addServices wires
 * them), on an ephemeral loopback port, called over HTTP with the cookie it wrote.
 */
final class RpcTestNode implements AutoCloseable {
    final Node node;
    final ChainService chain;
    final RpcService rpc;
    final P2pService p2p;
    final Settings settings;
    final int port;
    private final RpcClient client;

    private RpcTestNode(Node node, ChainService chain, RpcService rpc, P2pService p2p, Settings settings) {
        this.node = node;
        this.p2p = p2p;
        this.chain = chain;
        this.rpc = rpc;
        this.settings = settings;
        this.port = rpc.port();
        this.client = new RpcClient(port, settings.dataDir().resolve(".cookie"));
    }

    static RpcTestNode start(Path dir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-regtest", "-datadir=" + dir, "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1", "-rpcport=0", "-dnsseed=0", "-fixedseeds=0"));
        if (List.of(extra).stream().noneMatch(a -> a.startsWith("-listen"))) {
            args.add("-listen=0");
        }
        args.addAll(List.of(extra));
        Settings settings = SettingsLoader.load(args);
        Node node = new Node(settings);
        ChainService chain = new ChainService(settings);
        P2pService p2p = new P2pService(settings, chain::chainstate);
        MempoolService mempool = new MempoolService(settings, chain::chainstate);
        RpcService rpc = new RpcService(settings, node::requestShutdown, chain::chainstate, () -> mempool,
                () -> p2p, new LogCategories(LogCategories.NODE_CATEGORIES, settings.dataDir().resolve("debug.log"), (c, on) -> { }))
                .withBlockFilterIndex(chain::blockFilterIndex);
        node.add(new DataDirectory(settings.dataDir())).add(rpc).add(chain).add(mempool).add(p2p)
                .add(rpc.warmupFinished());
        node.start();
        return new RpcTestNode(node, chain, rpc, p2p, settings);
    }

    /** The whole JSON-RPC reply object ({result, error, id}). */
    JsonNode reply(String method, Object... params) throws Exception {
        return client.reply(method, params);
    }

    /** The result of a call that must succeed. */
    JsonNode call(String method, Object... params) throws Exception {
        return client.call(method, params);
    }

    /** The error object of a call that must fail. */
    JsonNode error(String method, Object... params) throws Exception {
        return client.error(method, params);
    }

    @Override
    public void close() {
        node.stop();
    }
}
