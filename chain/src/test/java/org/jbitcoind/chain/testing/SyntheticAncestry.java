package org.jbitcoind.chain.testing;

import java.math.BigInteger;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.BlockHeader;

/**
 * Stand-in ancestors for validating one real block whose real ancestors are not in the test data:
 * {@code depth} made-up headers below it, ten minutes apart, same bits, the last one carrying the
 * real parent hash. Heights, the parent hash and the block's own hash are real; parent median time
 * past comes out one hour before the block, as on the real chains.
 */
public final class SyntheticAncestry {
    private SyntheticAncestry() {
    }

    /** The index of {@code header} at {@code height} on top of {@code depth} synthetic ancestors. */
    public static BlockIndex indexFor(BlockHeader header, int height, int depth) {
        if (depth < 2 || depth > height) {
            throw new IllegalArgumentException("depth must be between 2 and the height");
        }
        int rootHeight = height - depth;
        BlockHeader rootHeader = fake(Hash256.ZERO, header, depth, 0);
        BlockIndex walk = BlockIndex.detachedRoot(Hashes.hash256Of(rootHeader.serialize()), rootHeader, rootHeight,
                BigInteger.ONE.shiftLeft(80));
        for (int k = depth - 1; k >= 1; k--) {
            BlockHeader h = fake(walk.hash(), header, k, k);
            Hash256 hash = k == 1 ? header.prevBlock() : h.hash();
            walk = new BlockIndex(hash, h, walk);
        }
        return new BlockIndex(header, walk);
    }

    private static BlockHeader fake(Hash256 prev, BlockHeader child, int blocksBefore, long salt) {
        return new BlockHeader(child.version(), prev, Hash256.wrap(Hashes.sha256(longBytes(salt))),
                child.time() - 600L * blocksBefore, child.bits(), salt);
    }

    private static byte[] longBytes(long v) {
        return BigInteger.valueOf(v).toByteArray();
    }
}
