package org.jbitcoind.chain.coins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.Test;

class CoinsMapTest {
    private static final byte[] P2PKH = Hex.decode("76a914000000000000000000000000000000000000000088ac");
    private static final Coin COIN = new Coin(new TxOut(1000, P2PKH), 5, false);

    private static OutPoint op(int tx, int index) {
        return new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {(byte) tx, (byte) (tx >> 8), (byte) (tx >> 16)})),
                index);
    }

    private static CoinsMap.Entry add(CoinsMap map, OutPoint op, Coin coin, int flags) {
        return map.add(op, CoinsMap.hash(op), coin, 0, flags);
    }

    /** Lookups by an equal but distinct outpoint (as a parsed input's prevout is) find the entry. */
    @Test
    void findsEntriesByEqualOutPointsThroughGrowth() {
        CoinsMap map = new CoinsMap(0);
        for (int tx = 0; tx < 5_000; tx++) {
            for (int i = 0; i < 3; i++) {
                add(map, op(tx, i), COIN, tx % 4);
            }
        }
        assertEquals(15_000, map.size());
        for (int tx = 0; tx < 5_000; tx++) {
            for (int i = 0; i < 3; i++) {
                CoinsMap.Entry e = map.get(op(tx, i));
                assertNotNull(e, tx + ":" + i);
                assertEquals(op(tx, i), e.outpoint());
                assertEquals(tx % 4, e.flags);
            }
            assertNull(map.get(op(tx, 3)), "other index of the same txid");
        }
        assertNull(map.get(op(5_000, 0)));
    }

    /** Entries with the same bucket (a tiny table, many entries) are removed from any chain position. */
    @Test
    void removesFromAnyChainPosition() {
        CoinsMap map = new CoinsMap(0);
        Set<OutPoint> left = new HashSet<>();
        for (int tx = 0; tx < 200; tx++) {
            add(map, op(tx, 0), COIN, 0);
            left.add(op(tx, 0));
        }
        for (int tx = 0; tx < 200; tx += 3) {
            map.remove(map.get(op(tx, 0)));
            left.remove(op(tx, 0));
        }
        assertEquals(left.size(), map.size());
        for (int tx = 0; tx < 200; tx++) {
            assertEquals(left.contains(op(tx, 0)), map.get(op(tx, 0)) != null, "tx " + tx);
        }
        Set<OutPoint> seen = new HashSet<>();
        map.forEach(e -> assertTrue(seen.add(e.outpoint())));
        assertEquals(left, seen);
        CoinsMap.Entry stranger = new CoinsMap.Entry(op(999, 0), CoinsMap.hash(op(999, 0)), COIN, 0, 0);
        assertThrows(IllegalStateException.class, () -> map.remove(stranger));
    }

    @Test
    void keepUnspentAsCleanDropsSpentAndClearsFlags() {
        CoinsMap map = new CoinsMap(4);
        for (int tx = 0; tx < 100; tx++) {
            add(map, op(tx, 0), tx % 2 == 0 ? null : COIN, CoinsMap.DIRTY | (tx % 3 == 0 ? CoinsMap.FRESH : 0));
        }
        map.keepUnspentAsClean();
        assertEquals(50, map.size());
        for (int tx = 0; tx < 100; tx++) {
            CoinsMap.Entry e = map.get(op(tx, 0));
            if (tx % 2 == 0) {
                assertNull(e);
            } else {
                assertEquals(0, e.flags);
                assertSame(COIN, e.coin);
            }
        }
    }

    /** A drained entry can move into another table, which then finds it; the drained table is empty. */
    @Test
    void drainHandsEntriesOverToAnotherTable() {
        CoinsMap child = new CoinsMap(0);
        CoinsMap parent = new CoinsMap(0);
        for (int tx = 0; tx < 300; tx++) {
            add(child, op(tx, 1), COIN, CoinsMap.DIRTY);
        }
        child.drain(e -> parent.adopt(e, CoinsMap.DIRTY | CoinsMap.FRESH));
        assertTrue(child.isEmpty());
        assertNull(child.get(op(7, 1)));
        assertEquals(300, parent.size());
        for (int tx = 0; tx < 300; tx++) {
            assertEquals(CoinsMap.DIRTY | CoinsMap.FRESH, parent.get(op(tx, 1)).flags);
        }
        child.clear();
        parent.clear();
        assertTrue(parent.isEmpty());
        assertNull(parent.get(op(7, 1)));
    }
}
