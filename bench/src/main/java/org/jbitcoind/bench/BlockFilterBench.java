package org.jbitcoind.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.Block;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the block filter index (-blockfilterindex) costs per block, on mainnet block 866,342 (4,864
 * transactions, 7,972 spent outputs): building its BIP158 basic filter from the block and the
 * spent scripts, next to deserializing the block (the index reads every block back from the
 * database, so that is the reference in the same run); and what a light client's scan of one
 * served filter costs (decode plus matchAny of 100 wallet scripts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BlockFilterBench {
    private byte[] raw;
    private Block block;
    private List<byte[]> spentScripts;
    private byte[] encoded;
    private List<byte[]> walletScripts;

    @Setup
    public void load() throws DecodeException {
        raw = BenchData.read("data/floresta/block_866342/block.raw");
        block = Block.deserialize(raw);
        spentScripts = new ArrayList<>();
        for (Coin c : ConnectBlockBench.floresta(ConnectBlockBench.zstd("data/floresta/block_866342/spent_utxos.zst"))) {
            spentScripts.add(c.output().scriptPubKey());
        }
        encoded = BlockFilter.buildBasic(block, spentScripts).encoded();
        // P2WPKH scripts of made-up keys: a wallet's typical query, matching nothing.
        Random r = new Random(1);
        walletScripts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] s = new byte[22];
            r.nextBytes(s);
            s[0] = 0x00;
            s[1] = 0x14;
            walletScripts.add(s);
        }
    }

    @Benchmark
    public Block deserializeBlock() throws DecodeException {
        return Block.deserialize(raw);
    }

    @Benchmark
    public byte[] buildBasicFilter() {
        return BlockFilter.buildBasic(block, spentScripts).encoded();
    }

    @Benchmark
    public boolean decodeAndMatch100Scripts() throws DecodeException {
        return BlockFilter.decodeBasic(block.hash(), encoded).matchAny(walletScripts);
    }
}
