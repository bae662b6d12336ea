package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@link Block#deserialize}: fails only with {@link DecodeException}; what decodes re-serializes
 * to the same bytes, the block hash is hash256 of the first 80 bytes, and every transaction is
 * consistent with its own slice of the input ({@link TransactionFuzzTest#assertConsistent}).
 */
class BlockFuzzTest {
    @FuzzTest
    void deserialize(byte[] input) throws DecodeException {
        Block block;
        try {
            block = AllocationBudget.check(input.length, () -> Block.deserialize(input));
        } catch (DecodeException malformed) {
            return;
        }
        assertArrayEquals(input, block.serialize(), "block must re-serialize to its bytes");
        byte[] header = Arrays.copyOf(input, BlockHeader.SIZE);
        assertEquals(Hashes.hash256Of(header), block.hash(), "block hash is hash256 of the header");
        assertEquals(block.hash(), BlockHeader.deserialize(header).hash());
        assertEquals(input.length, block.totalSize());
        int offset = BlockHeader.SIZE + ByteWriter.compactSizeLength(block.transactions().size());
        for (Transaction tx : block.transactions()) {
            int size = tx.totalSize();
            TransactionFuzzTest.assertConsistent(tx, Arrays.copyOfRange(input, offset, offset + size));
            offset += size;
        }
        assertEquals(input.length, offset, "transactions must cover the rest of the block");
        block.computeMerkleRoot();
        block.computeWitnessMerkleRoot();
        block.witnessCommitmentIndex();
    }
}
