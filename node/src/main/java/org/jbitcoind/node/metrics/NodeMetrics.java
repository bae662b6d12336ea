package org.jbitcoind.node.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateStats;
import org.jbitcoind.node.connmgr.ConnectionManager;
import org.jbitcoind.node.net.TrafficCounter;
import org.jbitcoind.node.peer.Peer;

/**
 * The node's metrics over the chain state, the mempool and the P2P layer (docs/metrics.md). Each reads
 * the same figures as the RPC method that reports it (getblockchaininfo, getmempoolinfo, getpeerinfo,
 * getnettotals), at scrape time, through suppliers: the services may start after this is registered, and
 * until they run their metrics read NaN.
 */
public final class NodeMetrics {
    private NodeMetrics() {
    }

    /** Registers the chain state's metrics: heights, UTXO cache, block connect time. */
    public static void registerChain(Metrics metrics, Supplier<ChainstateManager> chain) {
        metrics.gauge("jbitcoind_blocks", "Height of the active chain's tip (getblockcount)",
                () -> chain.get().activeChain().height());
        metrics.gauge("jbitcoind_headers", "Height of the best valid header (getblockchaininfo headers)",
                () -> heightOf(chain.get().bestHeader()));
        metrics.gauge("jbitcoind_initial_block_download", "1 while in initial block download, else 0",
                () -> chain.get().isInitialBlockDownload() ? 1 : 0);
        metrics.gauge("jbitcoind_utxo_cache_bytes", "Estimated heap bytes of the UTXO cache (limited by -dbcache)",
                () -> stats(chain).coinsCacheBytes());
        metrics.gauge("jbitcoind_utxo_cache_coins", "Entries in the UTXO cache",
                () -> stats(chain).coinsCacheCoins());
        metrics.functionTimer("jbitcoind_block_connect",
                "Time to connect a block to the active chain (validation incl. scripts, undo write)",
                () -> stats(chain).blocksConnected(), () -> stats(chain).connectNanos());
    }

    /** Registers the mempool's metrics, as getmempoolinfo reports them. */
    public static void registerMempool(Metrics metrics, Supplier<TxMempool> mempool) {
        metrics.gauge("jbitcoind_mempool_transactions", "Transactions in the mempool (getmempoolinfo size)",
                () -> mempool.get().info().size());
        metrics.gauge("jbitcoind_mempool_bytes", "Sum of the mempool's virtual transaction sizes (getmempoolinfo bytes)",
                () -> mempool.get().info().bytes());
        metrics.gauge("jbitcoind_mempool_usage_bytes", "Estimated memory used by the mempool (getmempoolinfo usage)",
                () -> mempool.get().info().usage());
    }

    /**
     * Registers the P2P metrics: peers by direction (getpeerinfo) and bytes per message command since
     * start (getnettotals' totals split by command). A command's series appears once it has traffic.
     */
    public static void registerP2p(Metrics metrics, Supplier<ConnectionManager> p2p) {
        metrics.gauge("jbitcoind_peers", "Connected peers (getpeerinfo)",
                () -> p2p.get().peers().stream().filter(Peer::isInbound).count(), "direction", "inbound");
        metrics.gauge("jbitcoind_peers", "Connected peers (getpeerinfo)",
                () -> p2p.get().peers().stream().filter(p -> !p.isInbound()).count(), "direction", "outbound");
        Set<String> receivedSeries = ConcurrentHashMap.newKeySet();
        Set<String> sentSeries = ConcurrentHashMap.newKeySet();
        metrics.beforeScrape(() -> {
            TrafficCounter traffic;
            try {
                traffic = p2p.get().traffic();
            } catch (IllegalStateException e) {
                return; // P2P not running: no new commands to add
            }
            for (String command : traffic.receivedPerMessage().keySet()) {
                if (receivedSeries.add(command)) {
                    metrics.functionCounter("jbitcoind_p2p_received_bytes",
                            "Bytes received from peers per message command, headers included (getnettotals)",
                            () -> p2p.get().traffic().received(command), "msg", command);
                }
            }
            for (String command : traffic.sentPerMessage().keySet()) {
                if (sentSeries.add(command)) {
                    metrics.functionCounter("jbitcoind_p2p_sent_bytes",
                            "Bytes sent to peers per message command, headers included (getnettotals)",
                            () -> p2p.get().traffic().sent(command), "msg", command);
                }
            }
        });
    }

    private static ChainstateStats stats(Supplier<ChainstateManager> chain) {
        return chain.get().stats();
    }

    private static int heightOf(BlockIndex index) {
        return index == null ? -1 : index.height();
    }
}
