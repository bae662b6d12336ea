package org.jbitcoind.chain.testing;

import java.math.BigInteger;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.BlockHeader;

/** Constructed header chains for difficulty and header-rule tests (no real proof of work). */
public final class HeaderChains {
    private HeaderChains() {
    }

    /** A node standing at {@code height} with nothing below it. */
    public static BlockIndex root(int height, long time, long bits) {
        BlockHeader h = new BlockHeader(4, Hash256.ZERO, merkle(height), time, bits, height);
        return BlockIndex.detachedRoot(h.hash(), h, height, BigInteger.ZERO);
    }

    /** The child of {@code prev} with this time and bits. */
    public static BlockIndex child(BlockIndex prev, long time, long bits) {
        return new BlockIndex(header(prev, time, bits, 4), prev);
    }

    public static BlockHeader header(BlockIndex prev, long time, long bits, int version) {
        return new BlockHeader(version, prev.hash(), merkle(prev.height() + 1), time, bits, prev.height() + 1);
    }

    /** Extends {@code prev} by {@code count} blocks {@code spacing} seconds apart. */
    public static BlockIndex extend(BlockIndex prev, int count, long spacing, long bits) {
        BlockIndex walk = prev;
        for (int i = 0; i < count; i++) {
            walk = child(walk, walk.time() + spacing, bits);
        }
        return walk;
    }

    private static Hash256 merkle(int salt) {
        return Hash256.wrap(Hashes.sha256(BigInteger.valueOf(salt).toByteArray()));
    }
}
