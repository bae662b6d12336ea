package org.jbitcoind.bench;

import java.util.concurrent.TimeUnit;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.Block;
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
 * Deserializing mainnet block 413567 (1 MB; the block Core's own DeserializeBlockTest uses),
 * and the same plus computing every txid and the merkle root, which is what receiving a block
 * really costs before validation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BlockDeserializeBench {
    private byte[] raw;

    @Setup
    public void load() {
        raw = BenchData.read("vectors/bitcoin-core/block413567.raw");
    }

    @Benchmark
    public Block deserialize() throws DecodeException {
        return Block.deserialize(raw);
    }

    @Benchmark
    public Object deserializeAndMerkle() throws DecodeException {
        return Block.deserialize(raw).computeMerkleRoot();
    }
}
