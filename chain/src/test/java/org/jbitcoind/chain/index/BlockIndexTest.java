package org.jbitcoind.chain.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jbitcoind.chain.testing.HeaderChains;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.storage.BlockStatus;
import org.junit.jupiter.api.Test;

class BlockIndexTest {
    private static List<BlockIndex> chain(int length) {
        List<BlockIndex> nodes = new ArrayList<>(length);
        BlockHeader g = new BlockHeader(1, Hash256.ZERO, Hash256.ZERO, 1_231_006_505L, 0x1d00ffffL, 0);
        BlockIndex walk = new BlockIndex(g, null);
        nodes.add(walk);
        for (int i = 1; i < length; i++) {
            walk = HeaderChains.child(walk, walk.time() + 600, 0x1d00ffffL);
            nodes.add(walk);
        }
        return nodes;
    }

    @Test
    void getAncestorMatchesLinearWalkAndIsLogarithmic() {
        List<BlockIndex> nodes = chain(50_000);
        BlockIndex tip = nodes.get(nodes.size() - 1);
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int from = rnd.nextInt(nodes.size());
            int to = rnd.nextInt(from + 1);
            assertSame(nodes.get(to), nodes.get(from).getAncestor(to));
        }
        assertSame(tip, tip.getAncestor(tip.height()));
        assertNull(tip.getAncestor(tip.height() + 1));
        assertNull(tip.getAncestor(-1));
        assertSame(nodes.get(0), tip.getAncestor(0));
        assertEquals(49_999, tip.height());
        assertEquals(BigInteger.valueOf(0x100010001L).multiply(BigInteger.valueOf(50_000)), tip.chainWork());
    }

    @Test
    void skipHeightsAreLowerAndSpreadOut() {
        assertEquals(0, BlockIndex.skipHeight(0));
        assertEquals(0, BlockIndex.skipHeight(1));
        for (int h = 2; h < 100_000; h++) {
            int s = BlockIndex.skipHeight(h);
            assertTrue(s < h && s >= 0);
        }
        assertEquals(0, BlockIndex.skipHeight(1 << 16));
        assertEquals(1 << 16, BlockIndex.skipHeight((1 << 16) + 2));
    }

    @Test
    void medianTimePastOfElevenBlocks() {
        BlockHeader g = new BlockHeader(1, Hash256.ZERO, Hash256.ZERO, 1000, 0x1d00ffffL, 0);
        BlockIndex walk = new BlockIndex(g, null);
        assertEquals(1000, walk.medianTimePast());
        long[] times = {1500, 900, 1200, 3000, 800, 1100, 2500, 2000, 1300, 1400, 9999, 1600};
        for (long t : times) {
            walk = HeaderChains.child(walk, t, 0x1d00ffffL);
        }
        // Last eleven: 900 1200 3000 800 1100 2500 2000 1300 1400 9999 1600 -> sorted middle is 1400.
        assertEquals(1400, walk.medianTimePast());
        // With only three blocks: 1000, 1500, 900 -> 1000.
        assertEquals(1000, walk.getAncestor(2).medianTimePast());
    }

    @Test
    void headerMustBuildOnParent() {
        List<BlockIndex> nodes = chain(3);
        BlockHeader other = HeaderChains.header(nodes.get(1), 5, 0x1d00ffffL, 1);
        assertThrows(IllegalArgumentException.class, () -> new BlockIndex(other, nodes.get(2)));
    }

    @Test
    void validityAndFailureFlags() {
        BlockIndex b = chain(2).get(1);
        assertFalse(b.isValid(BlockStatus.VALID_TREE));
        assertTrue(b.raiseValidity(BlockStatus.VALID_TREE));
        assertFalse(b.raiseValidity(BlockStatus.VALID_TREE));
        assertTrue(b.isValid(BlockStatus.VALID_TREE));
        assertFalse(b.isValid(BlockStatus.VALID_TRANSACTIONS));
        b.addStatus(BlockStatus.HAVE_DATA);
        assertTrue(b.raiseValidity(BlockStatus.VALID_SCRIPTS));
        assertEquals(BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_DATA, b.status());
        b.addStatus(BlockStatus.FAILED_VALID);
        assertFalse(b.isValid(BlockStatus.VALID_TREE));
        assertFalse(b.raiseValidity(BlockStatus.VALID_SCRIPTS));
    }

    @Test
    void detachedRootStopsWalks() {
        BlockIndex root = HeaderChains.root(1000, 1_500_000_000L, 0x1d00ffffL);
        BlockIndex tip = HeaderChains.extend(root, 300, 600, 0x1d00ffffL);
        assertEquals(1300, tip.height());
        assertSame(root, tip.getAncestor(1000));
        assertEquals(1150, tip.getAncestor(1150).height());
        assertNull(tip.getAncestor(999));
    }
}
