package org.jbitcoind.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.validation.BlockConnector;
import org.jbitcoind.chain.validation.ScriptCheckQueue;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.Coin;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;

/**
 * Core's ConnectBlock on mainnet block 866,342 (4,864 transactions, 7,972 inputs) over an in-memory
 * UTXO set holding exactly its prevouts: with every script checked on the worker pool, and with
 * scripts skipped as for an assumed-valid block. The second is the non-script cost of connecting
 * (inputs, fees, sequence locks, sigop cost, cache updates, undo data); the ratio of the two is the
 * number to watch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConnectBlockBench {
    private static final int HEIGHT = 866_342;

    private Block block;
    private BlockIndex index;
    private MemoryCoinsView base;
    private ScriptCheckQueue queue;
    private BlockConnector connector;

    @Setup
    public void load() throws DecodeException {
        block = Block.deserialize(BenchData.read("data/floresta/block_866342/block.raw"));
        List<Coin> spent = floresta(zstd("data/floresta/block_866342/spent_utxos.zst"));
        Set<Hash256> created = new HashSet<>();
        for (Transaction tx : block.transactions()) {
            created.add(tx.txid());
        }
        base = new MemoryCoinsView();
        int k = 0;
        for (Transaction tx : block.transactions()) {
            if (tx.isCoinbase()) {
                continue;
            }
            for (TxIn in : tx.inputs()) {
                Coin c = spent.get(k++);
                if (!created.contains(in.prevout().txid())) {
                    base.put(in.prevout(), c);
                }
            }
        }
        base.setBestBlock(block.header().prevBlock());
        index = indexWithStandInAncestors(block.header(), HEIGHT, 220);
        ChainParams params = ChainParams.of(Network.MAIN);
        queue = ScriptCheckQueue.sizedToCores(new ScriptVerifier());
        connector = new BlockConnector(params, queue);
    }

    @TearDown
    public void close() {
        queue.close();
    }

    @Benchmark
    public BlockUndo connectWithScripts() throws ValidationException {
        return connector.connectBlock(block, index, new CoinsViewCache(base), true);
    }

    @Benchmark
    public BlockUndo connectWithoutScripts() throws ValidationException {
        return connector.connectBlock(block, index, new CoinsViewCache(base), false);
    }

    /** Made-up ancestors ten minutes apart carrying the real parent hash (only heights and times matter). */
    private static BlockIndex indexWithStandInAncestors(BlockHeader header, int height, int depth) {
        BlockHeader rootHeader = new BlockHeader(header.version(), Hash256.ZERO, Hash256.ZERO,
                header.time() - 600L * depth, header.bits(), 0);
        BlockIndex walk = BlockIndex.detachedRoot(rootHeader.hash(), rootHeader, height - depth, BigInteger.ONE);
        for (int k = depth - 1; k >= 1; k--) {
            BlockHeader h = new BlockHeader(header.version(), walk.hash(),
                    Hash256.wrap(Hashes.sha256(BigInteger.valueOf(k).toByteArray())), header.time() - 600L * k,
                    header.bits(), k);
            walk = new BlockIndex(k == 1 ? header.prevBlock() : h.hash(), h, walk);
        }
        return new BlockIndex(header, walk);
    }

    static byte[] zstd(String relative) {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(BenchData.shared().resolve(relative)))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Coin> floresta(byte[] json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            java.util.ArrayList<Coin> coins = new java.util.ArrayList<>(root.size());
            for (JsonNode n : root) {
                JsonNode out = n.get("txout");
                coins.add(new Coin(new TxOut(out.get("value").asLong(), Hex.decode(out.get("script_pubkey").asText())),
                        n.get("creation_height").asInt(), n.get("is_coinbase").asBoolean()));
            }
            return coins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
