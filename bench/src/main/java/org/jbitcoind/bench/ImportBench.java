package org.jbitcoind.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.state.BlockFileImporter;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.ChainDbOptions;

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
        deleteTree(db);

        long[] counts = countTransactions(file);
        ChainParams params = ChainParams.of(Network.REGTEST);
        ChainstateOptions options = ChainstateOptions.defaults(params).withAssumeValid(Optional.empty())
                .withCoinsCacheBytes(ChainstateOptions.coinsCacheForDbCache(dbcache));
        ChainDbOptions dbOptions = ChainDbOptions.defaults()
                .withBlockCacheBytes(ChainstateOptions.rocksDbCacheForDbCache(dbcache))
                .withWriteBufferBytes(ChainstateOptions.writeBufferForDbCache(dbcache));
        long start = System.nanoTime();
        int height;
        try (ChainstateManager chain = ChainstateManager.open(db, options, dbOptions, false)) {
            BlockFileImporter.Result r = new BlockFileImporter(chain, () -> false).importFile(file);
            if (r.invalid() > 0) {
                throw new IllegalStateException(r.invalid() + " blocks were rejected");
            }
            height = chain.activeChain().height();
        } // close() includes the final flush: part of the measurement, as in Core's shutdown
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("import of %s with -dbcache=%d: height %d in %.2f s: %.0f blocks/s, %.0f tx/s, %.0f inputs/s, "
                        + "peak RSS %d MB%n", file.getFileName(), dbcache, height, secs, counts[0] / secs,
                counts[1] / secs, counts[2] / secs, peakRssKb() / 1024);
        deleteTree(db);
    }

    /** Blocks, transactions and inputs in the file, counted before the clock starts. */
    private static long[] countTransactions(Path file) throws IOException {
        long[] n = new long[3];
        byte[] all = Files.readAllBytes(file);
        int off = 0;
        while (off + 8 <= all.length) {
            int len = (all[off + 4] & 0xff) | (all[off + 5] & 0xff) << 8 | (all[off + 6] & 0xff) << 16
                    | (all[off + 7] & 0xff) << 24;
            byte[] raw = java.util.Arrays.copyOfRange(all, off + 8, off + 8 + len);
            try {
                Block b = Block.deserialize(raw);
                n[0]++;
                n[1] += b.transactions().size();
                for (Transaction tx : b.transactions()) {
                    n[2] += tx.isCoinbase() ? 0 : tx.inputs().size();
                }
            } catch (org.jbitcoind.protocol.codec.DecodeException e) {
                throw new IOException("not a block at offset " + off, e);
            }
            off += 8 + len;
        }
        return n;
    }

    /** VmHWM from /proc (Linux): the most resident memory this process ever had. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
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
