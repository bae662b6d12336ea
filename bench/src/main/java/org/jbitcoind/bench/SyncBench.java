package org.jbitcoind.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.state.BlockFileImporter;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.connmgr.ConnectionManager;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.net.InetAddresses;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.sync.SyncConfig;
import org.jbitcoind.node.sync.SyncManager;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.storage.ChainDbOptions;

/**
 * Network sync throughput against -loadblock (docs/benchmarks.md): imports a regtest blk file
 * (from {@link SyntheticChainGenerator}) into node A exactly as -loadblock does, timing it, then
 * lets a fresh node B download the same chain from A over 127.0.0.1 (headers first, the sync
 * manager and the Netty P2P layer of the daemon, every script checked) and reports blocks/s, MB/s
 * and the ratio of the two times. Both nodes run in this JVM with their own chain databases; the
 * clock of both chain states is set just after the chain's last block so that A is out of initial
 * download and serves headers (the synthetic chain is dated 2023).
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar org.jbitcoind.bench.SyncBench FILE [dbcacheMiB=450] [workdir]</pre>
 */
public final class SyncBench {
    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        // The daemon's logging: INFO on the console (progress lines), no per-message DEBUG.
        org.jbitcoind.node.daemon.LogSetup.configure(true, java.util.Set.of());
        Path file = Path.of(args[0]);
        long dbcache = args.length > 1 ? Long.parseLong(args[1]) : ChainstateOptions.DEFAULT_DBCACHE_MIB;
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("jbitcoind-sync-bench");
        long lastTime = lastBlockTime(file);
        long bytes = Files.size(file);
        ChainParams params = ChainParams.of(Network.REGTEST);
        ChainstateOptions options = ChainstateOptions.defaults(params).withAssumeValid(Optional.empty())
                .withCoinsCacheBytes(ChainstateOptions.coinsCacheForDbCache(dbcache))
                .withClock(() -> lastTime + 3600);
        ChainDbOptions dbOptions = ChainDbOptions.defaults()
                .withBlockCacheBytes(ChainstateOptions.rocksDbCacheForDbCache(dbcache))
                .withWriteBufferBytes(ChainstateOptions.writeBufferForDbCache(dbcache));
        Path dirA = work.resolve("a");
        Path dirB = work.resolve("b");
        deleteTree(dirA);
        deleteTree(dirB);
        // A first import warms the JIT up (and is A's chain); the second, into a fresh database, is the reference.
        Path dirC = work.resolve("c");
        deleteTree(dirC);
        try (ChainstateManager a = ChainstateManager.open(dirA.resolve("chainstate"), options, dbOptions, false)) {
            int height = importFile(a, file);
            double importSecs;
            try (ChainstateManager c = ChainstateManager.open(dirC.resolve("chainstate"), options, dbOptions, false)) {
                long t0 = System.nanoTime();
                importFile(c, file);
                importSecs = (System.nanoTime() - t0) / 1e9;
            }
            deleteTree(dirC);
            report("import (-loadblock)", height, bytes, importSecs);

            try (ChainstateManager b = ChainstateManager.open(dirB.resolve("chainstate"), options, dbOptions, false);
                    SyncManager syncA = new SyncManager(a, SyncConfig.defaults());
                    SyncManager syncB = new SyncManager(b, SyncConfig.defaults());
                    ConnectionManager netA = new ConnectionManager(p2p(dirA), syncA::bestHeight, syncA);
                    ConnectionManager netB = new ConnectionManager(p2p(dirB), syncB::bestHeight, syncB)) {
                netA.start();
                netB.start();
                InetSocketAddress at = netA.listenAddresses().get(0);
                long t1 = System.nanoTime();
                netB.connect(InetAddresses.fromSocket(at, 0), ConnectionType.MANUAL);
                while (b.activeChain().height() < height) {
                    Thread.sleep(5);
                    if (System.nanoTime() - t1 > Duration.ofHours(2).toNanos()) {
                        throw new IllegalStateException("sync did not finish: B at " + b.activeChain().height());
                    }
                }
                double syncSecs = (System.nanoTime() - t1) / 1e9;
                report("sync over P2P (127.0.0.1)", height, bytes, syncSecs);
                System.out.printf("network path / import: %.3f (%+.1f%%)%n", syncSecs / importSecs,
                        (syncSecs / importSecs - 1) * 100);
                if (!a.activeChain().tip().hash().equals(b.activeChain().tip().hash())) {
                    throw new IllegalStateException("B ended on another tip");
                }
            }
        }
        deleteTree(dirA);
        deleteTree(dirB);
    }

    private static int importFile(ChainstateManager chain, Path file) throws IOException {
        BlockFileImporter.Result r = new BlockFileImporter(chain, () -> false).importFile(file);
        if (r.invalid() > 0) {
            throw new IllegalStateException(r.invalid() + " blocks were rejected");
        }
        return chain.activeChain().height();
    }

    private static P2pConfig p2p(Path dir) {
        return P2pConfig.builder(Network.REGTEST, dir).bind(List.of(new InetSocketAddress("127.0.0.1", 0))).port(0)
                .dnsSeed(false).fixedSeeds(false).maxOutboundFullRelay(0).maxBlockRelayOnly(0).build();
    }

    private static void report(String what, int height, long bytes, double secs) {
        System.out.printf("%s: height %d in %.2f s: %.0f blocks/s, %.1f MB/s%n", what, height, secs, height / secs,
                bytes / 1e6 / secs);
    }

    /** Time of the file's last block (blocks are in chain order). */
    private static long lastBlockTime(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int off = 0;
        long time = 0;
        while (off + 8 <= all.length) {
            int len = (all[off + 4] & 0xff) | (all[off + 5] & 0xff) << 8 | (all[off + 6] & 0xff) << 16
                    | (all[off + 7] & 0xff) << 24;
            try {
                time = Block.deserialize(java.util.Arrays.copyOfRange(all, off + 8, off + 8 + len)).header().time();
            } catch (DecodeException e) {
                throw new IOException("not a block at offset " + off, e);
            }
            off += 8 + len;
        }
        return time;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
