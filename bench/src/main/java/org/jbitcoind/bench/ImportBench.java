package org.jbitcoind.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.state.BlockFileImporter;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.StorageException;

/**
 * Import throughput (docs/benchmarks.md): imports a regtest blk file (from
 * {@link SyntheticChainGenerator}) into a fresh chain database exactly as -loadblock does, every
 * script checked, and reports blocks/s, transactions/s, inputs/s and the process's peak RSS.
 * A plain main class: one import is one measurement, and peak RSS needs a fresh process.
 *
 * <pre>java -Xmx2g -cp bench/target/benchmarks.jar org.jbitcoind.bench.ImportBench FILE [dbcacheMiB=450] [workdir]</pre>
 */
public final class ImportBench {
    private ImportBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long dbcache = args.length > 1 ? Long.parseLong(args[1]) : ChainstateOptions.DEFAULT_DBCACHE_MIB;
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("jbitcoind-import-bench");
        Path db = work.resolve("chainstate-" + dbcache);
        BenchDaemon.deleteTree(db);

        ChainParams params = ChainParams.of(Network.REGTEST);
        ChainstateOptions options = ChainstateOptions.defaults(params).withAssumeValid(Optional.empty())
                .withCoinsCacheBytes(ChainstateOptions.coinsCacheForDbCache(dbcache));
        ChainDbOptions dbOptions = ChainDbOptions.defaults()
                .withBlockCacheBytes(ChainstateOptions.rocksDbCacheForDbCache(dbcache))
                .withWriteBufferBytes(ChainstateOptions.writeBufferForDbCache(dbcache));
        long start = System.nanoTime();
        int height;
        long pipelined;
        Map<String, Long> threadCpu;
        Map<String, Double> jvmCpu;
        double processCpu;
        MemorySampler sampler;
        try (ChainstateManager chain = ChainstateManager.open(db, options, dbOptions, false)) {
            sampler = MemorySampler.start(chain.database());
            BlockFileImporter.Result r = new BlockFileImporter(chain, () -> false).importFile(file);
            sampler.stop();
            if (r.invalid() > 0) {
                throw new IllegalStateException(r.invalid() + " blocks were rejected");
            }
            height = chain.activeChain().height();
            pipelined = chain.stats().speculativeConnects();
            threadCpu = threadCpuByName();
            jvmCpu = ProcStat.cpuByThread(ProcessHandle.current().pid());
            processCpu = ProcStat.cpuSeconds("self");
        } // close() includes the final flush: part of the measurement, as in Core's shutdown
        double secs = (System.nanoTime() - start) / 1e9;
        // Counted after the clock and the CPU readings: the count decodes (and so hashes) every
        // transaction, which would otherwise show as importer CPU.
        long peakRssKb = peakRssKb();
        long[] counts = countTransactions(file);
        System.out.printf("import of %s with -dbcache=%d: height %d in %.2f s: %.0f blocks/s, %.0f tx/s, %.0f inputs/s, "
                        + "peak RSS %d MB%n", file.getFileName(), dbcache, height, secs, counts[0] / secs,
                counts[1] / secs, counts[2] / secs, peakRssKb / 1024);
        StringBuilder cpu = new StringBuilder("thread CPU before close (s):");
        threadCpu.forEach((name, nanos) -> cpu.append(String.format(" %s=%.2f", name, nanos / 1e9)));
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        System.out.println(cpu + String.format("; GC pauses %.2f s; %d blocks connected through the pipeline",
                gcMillis / 1e3, pipelined));
        // The JVM's own threads (JIT compilers, GC) are invisible to ThreadMXBean; /proc shows them.
        System.out.printf("process CPU before close %.2f s, by thread group: %s%n", processCpu, jvmCpu);
        System.out.println(sampler.report());
        BenchDaemon.deleteTree(args.length > 2 ? db : work); // a temporary directory of our own goes too
    }

    /**
     * CPU time of every live thread, summed by name with digits dropped (the script-check workers
     * add up), so a run shows which thread is the serial bottleneck.
     */
    private static Map<String, Long> threadCpuByName() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = mx.getThreadCpuTime(info.getThreadId());
            if (nanos > 50_000_000L) {
                out.merge(info.getThreadName().replaceAll("[0-9]+", "N"), nanos, Long::sum);
            }
        }
        return out;
    }

    /**
     * Blocks, transactions and inputs in the file, counted after the import. Streams one
     * record at a time so that the count does not inflate the heap.
     */
    private static long[] countTransactions(Path file) throws IOException {
        long[] n = new long[3];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            while (true) {
                byte[] head = in.readNBytes(8);
                if (head.length < 8) {
                    return n;
                }
                int len = (head[4] & 0xff) | (head[5] & 0xff) << 8 | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 24;
                byte[] raw = in.readNBytes(len);
                countBlock(raw, n);
            }
        }
    }

    private static void countBlock(byte[] raw, long[] n) throws IOException {
        try {
            Block b = Block.deserialize(raw);
            n[0]++;
            n[1] += b.transactions().size();
            for (Transaction tx : b.transactions()) {
                n[2] += tx.isCoinbase() ? 0 : tx.inputs().size();
            }
        } catch (org.jbitcoind.protocol.codec.DecodeException e) {
            throw new IOException("not a block after " + n[0] + " blocks", e);
        }
    }

    /**
     * Samples the resident set (VmRSS) every 50 ms during the import and keeps, for the sample with
     * the most, what RocksDB and the Java heap held then: shows how much of the peak is neither.
     */
    private static final class MemorySampler implements Runnable {
        private final ChainDb db;
        private final Thread thread;
        private volatile boolean stopped;
        private long maxRssKb;
        private ChainDb.MemoryUsage atMax;
        private long heapCommittedAtMax;
        private long maxRocksDb;

        private MemorySampler(ChainDb db) {
            this.db = db;
            this.thread = new Thread(this, "memory-sampler");
            thread.setDaemon(true);
        }

        static MemorySampler start(ChainDb db) {
            MemorySampler s = new MemorySampler(db);
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            while (!stopped) {
                try {
                    long rss = statusKb("VmRSS:");
                    ChainDb.MemoryUsage m = db.memoryUsage();
                    synchronized (this) {
                        maxRocksDb = Math.max(maxRocksDb, m.total());
                        if (rss > maxRssKb) {
                            maxRssKb = rss;
                            atMax = m;
                            heapCommittedAtMax = Runtime.getRuntime().totalMemory();
                        }
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (StorageException e) {
                    return; // closed under us: the import is over
                }
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join();
        }

        synchronized String report() {
            if (atMax == null) {
                return "memory: no sample";
            }
            return String.format("memory at the largest RSS sample (%d MB): Java heap committed %d MB, RocksDB %d MB "
                            + "(memtables %d, block cache %d, table readers %d); RocksDB at most %d MB",
                    maxRssKb / 1024, heapCommittedAtMax >> 20, atMax.total() >> 20, atMax.memtables() >> 20,
                    atMax.blockCache() >> 20, atMax.tableReaders() >> 20, maxRocksDb >> 20);
        }
    }

    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** VmHWM from /proc (Linux): the most resident memory this process ever had. */
    static long peakRssKb() {
        return statusKb("VmHWM:");
    }

}
