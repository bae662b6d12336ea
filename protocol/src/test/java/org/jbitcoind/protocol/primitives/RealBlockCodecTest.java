package org.jbitcoind.protocol.primitives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real block in ../shared/data decodes, re-encodes byte-identically and hashes right. */
class RealBlockCodecTest {

    static Stream<String> singleRawBlocks() {
        return Stream.of(
                "rust-bitcoin/mainnet_block_000000000000000000000c835b2adcaedc20fdf6ee440009c249452c726dafae.raw",
                "rust-bitcoin/testnet_block_000000000000045e0b1660b6445b5e5c5ab63c9a4f956be7e1e69be04fa4497b.raw",
                "btcd/block-00000000000000000021868c2cefc52a480d173c849412fe81c4e5ab806f94ab.blk",
                "btcd/block-0000000000000000001602407ac49862a7bca9d00f7f402db20b7be2f5de59d2.blk",
                "bitcoinj/block481829.dat", "bitcoinj/block481815.dat", "bcoin/block482683.raw",
                "bcoin/block426884.raw", "bitcoinj/block383616.dat", "bitcoinj/block370661.dat",
                "bitcoinj/block363703.dat", "bitcoinj/block227836.dat", "bitcoinj/block227835.dat",
                "bitcoinj/block169482.dat", "bcoin/block1.raw", "bcoin/block300025.raw",
                "bcoin/block928816.raw", "bcoin/block928828.raw", "bcoin/block928831.raw",
                "bcoin/block928848.raw", "bcoin/block928849.raw", "bcoin/block928927.raw",
                "bcoin/block1087400.raw", "bcoin/block898352.raw",
                "bitcoinj/block_testnet21066.dat", "bitcoinj/block_testnet32768.dat",
                "bitcoinj/block_testnet700000.dat", "floresta/block_866342/raw.zst",
                "floresta/block_367891/raw.zst");
    }

    @ParameterizedTest
    @MethodSource("singleRawBlocks")
    void roundTripsAndCommitmentsHold(String path) throws DecodeException {
        byte[] raw = SharedData.readData(path);
        Block block = Block.deserialize(raw);
        assertArrayEquals(raw, block.serialize(), "re-encoding must be byte-identical");
        assertEquals(raw.length, block.totalSize());
        checkCommitments(block);
    }

    static void checkCommitments(Block block) {
        MerkleTree.Result merkle = block.computeMerkleRoot();
        assertEquals(block.header().merkleRoot(), merkle.root());
        assertFalse(merkle.mutated());
        assertTrue(block.header().target().isPresent());
        assertTrue(block.hash().toBigInteger().compareTo(block.header().target().get()) <= 0, "proof of work");
        block.witnessCommitmentIndex().ifPresent(i -> {
            Transaction coinbase = block.transactions().get(0);
            if (!coinbase.hasWitness()) {
                return;
            }
            byte[] reserved = coinbase.inputs().get(0).witness().get(0);
            Hash256 expected = Block.witnessCommitment(block.computeWitnessMerkleRoot(), reserved);
            byte[] script = coinbase.outputs().get(i).scriptPubKey();
            assertEquals(expected, Hash256.of(script, 6));
        });
    }

    @Test
    void block866342HashAndWeight() throws DecodeException {
        Block b = Block.deserialize(SharedData.readData("floresta/block_866342/raw.zst"));
        assertEquals("000000000000000000014ce9ba7c6760053c3c82ce6ab43d60afb101d3c8f1f1", b.hash().toString());
        assertEquals(4864, b.transactions().size());
        assertEquals(3_993_209, b.weight());
    }

    @Test
    void mainnetRunFromGenesisChains() {
        List<Block> blocks = SharedData.blkBlocks("jeffchan-blockchain-parser/blk00000.dat");
        assertEquals(4313, blocks.size());
        assertEquals("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", blocks.get(0).hash().toString());
        assertEquals("00000000a9da635727dce622d78361b153ce3334e6a60d4377fad529abfc7863", blocks.get(4312).hash().toString());
        int txs = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            checkCommitments(b);
            if (i > 0) {
                assertEquals(blocks.get(i - 1).hash(), b.header().prevBlock());
            }
            txs += b.transactions().size();
        }
        assertEquals(4371, txs);
    }

    @Test
    void weightsMatchBcoinVectors() throws DecodeException {
        assertEquals(3_568_200, Block.deserialize(SharedData.readData("bcoin/block928816.raw")).weight());
        assertEquals(193_331, Block.deserialize(SharedData.readData("bcoin/block1087400.raw")).weight());
        assertEquals(1_136_924, Block.deserialize(SharedData.readData("bcoin/block300025.raw")).weight());
    }
}
