package org.jbitcoind.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.CoinCodec;
import org.jbitcoind.storage.StorageException;
import org.jbitcoind.storage.UtxoKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * UTXO throughput of the chain database: batched coin writes (a cache flush), point reads of
 * existing and missing coins, and a 1000-coin multi-get (a block's inputs). The reference runs
 * the same keys and encoded values against a plain RocksDB with default options in the same run,
 * so the ratio shows what our codec, options and locking cost or save.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UtxoStoreBench {
    private static final int PRELOAD = 200_000;
    private static final int BATCH = 1000;

    private Path dir;
    private ChainDb db;
    private RocksDB raw;
    private Options rawOptions;
    private OutPoint[] existing;
    private byte[][] existingKeys;
    private final SplittableRandom rnd = new SplittableRandom(1);
    private long nextTx = PRELOAD;

    @Setup(Level.Trial)
    public void open() throws Exception {
        RocksDB.loadLibrary();
        dir = Files.createTempDirectory("jbitcoind-utxo-bench");
        db = ChainDb.open(dir.resolve("chain"), Network.REGTEST, ChainDbOptions.defaults());
        rawOptions = new Options().setCreateIfMissing(true);
        raw = RocksDB.open(rawOptions, dir.resolve("raw").toString());
        existing = new OutPoint[PRELOAD];
        existingKeys = new byte[PRELOAD][];
        for (int start = 0; start < PRELOAD; start += BATCH) {
            try (ChainDb.Batch b = db.batch(); WriteBatch wb = new WriteBatch(); WriteOptions wo = new WriteOptions()) {
                for (int i = start; i < start + BATCH; i++) {
                    existing[i] = outPoint(i);
                    existingKeys[i] = UtxoKey.encode(existing[i]);
                    Coin c = coin(i);
                    b.putCoin(existing[i], c);
                    wb.put(existingKeys[i], CoinCodec.encode(c));
                }
                b.commit(false);
                raw.write(wo, wb);
            }
        }
        db.flush();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        db.close();
        raw.close();
        rawOptions.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void putCoinsBatch() throws StorageException {
        try (ChainDb.Batch b = db.batch()) {
            for (int i = 0; i < BATCH; i++) {
                long n = nextTx++;
                b.putCoin(outPoint(n), coin(n));
            }
            b.commit(false);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void referenceRawPutBatch() throws RocksDBException {
        try (WriteBatch wb = new WriteBatch(); WriteOptions wo = new WriteOptions()) {
            for (int i = 0; i < BATCH; i++) {
                long n = nextTx++;
                wb.put(UtxoKey.encode(outPoint(n)), CoinCodec.encode(coin(n)));
            }
            raw.write(wo, wb);
        }
    }

    @Benchmark
    public Optional<Coin> getExistingCoin() throws StorageException {
        return db.getCoin(existing[rnd.nextInt(PRELOAD)]);
    }

    @Benchmark
    public byte[] referenceRawGetExisting() throws RocksDBException {
        return raw.get(existingKeys[rnd.nextInt(PRELOAD)]);
    }

    @Benchmark
    public Optional<Coin> getMissingCoin() throws StorageException {
        return db.getCoin(new OutPoint(existing[rnd.nextInt(PRELOAD)].txid(), 7));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object multiGetCoins() throws StorageException {
        List<OutPoint> ask = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            ask.add(existing[rnd.nextInt(PRELOAD)]);
        }
        return db.getCoins(ask);
    }

    private static OutPoint outPoint(long n) {
        byte[] txid = new byte[32];
        long x = n * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 32; i++) {
            x ^= x >>> 29;
            x *= 0xBF58476D1CE4E5B9L;
            txid[i] = (byte) x;
        }
        return new OutPoint(Hash256.wrap(txid), (int) (n % 3));
    }

    private static Coin coin(long n) {
        byte[] script = new byte[22];
        script[1] = 0x14;
        for (int i = 2; i < 22; i++) {
            script[i] = (byte) (n >>> (i % 8));
        }
        return new Coin(new TxOut(1000 + n, script), (int) (n % 800_000), n % 50 == 0);
    }
}
