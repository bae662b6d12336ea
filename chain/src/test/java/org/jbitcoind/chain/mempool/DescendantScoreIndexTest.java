package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The heap-based eviction index against a reference model: a sorted set under the comparison the
 * pool used before (lowest descendant score first, newer first on equal rates), over seeded random
 * additions, removals, score changes and evictions of the lowest entry.
 */
class DescendantScoreIndexTest {
    private static final Transaction TX = new Transaction(2,
            List.of(new TxIn(new OutPoint(Hash256.ZERO, 0), new byte[0], 0xffffffffL)),
            List.of(new TxOut(1_000, new byte[] {0x51})), 0);

    /** One entry's score in the reference model. */
    private record Scored(MempoolEntry entry, long fee, long size) {
    }

    /** The former TreeSet comparator of the pool, on explicit scores. */
    private static final Comparator<Scored> REFERENCE_ORDER = (a, b) -> {
        int c = TxMempool.compareRates(a.fee(), a.size(), b.fee(), b.size());
        if (c != 0) {
            return c;
        }
        c = Long.compare(b.entry().time(), a.entry().time());
        return c != 0 ? c : Long.compare(b.entry().sequence(), a.entry().sequence());
    };

    private long nextSequence;

    private MempoolEntry entry(long time) {
        return new MempoolEntry(TX, 1_000, time, 100, 4, false, nextSequence++, 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void matchesSortedSetOverRandomOperations(long seed) {
        Random rnd = new Random(seed);
        DescendantScoreIndex index = new DescendantScoreIndex();
        TreeSet<Scored> reference = new TreeSet<>(REFERENCE_ORDER);
        Map<MempoolEntry, Scored> scores = new HashMap<>();
        List<MempoolEntry> members = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(100);
            if (op < 45 || members.isEmpty()) {
                // Few distinct times and rates, so that ties on rate and on time are common.
                MempoolEntry e = entry(1_000 + rnd.nextInt(8));
                Scored s = randomScore(rnd, e);
                index.add(e, s.fee(), s.size());
                reference.add(s);
                scores.put(e, s);
                members.add(e);
            } else if (op < 60) {
                MempoolEntry e = members.remove(rnd.nextInt(members.size()));
                index.remove(e);
                assertTrue(reference.remove(scores.remove(e)));
                assertFalse(index.contains(e));
            } else if (op < 90) {
                MempoolEntry e = members.get(rnd.nextInt(members.size()));
                Scored old = scores.get(e);
                // Sometimes the same rate in other numbers (as when a child leaves the own rate the higher).
                Scored s = rnd.nextInt(4) == 0 && old.fee() < 1_000_000_000L ? new Scored(e, old.fee() * 3, old.size() * 3) : randomScore(rnd, e);
                index.update(e, s.fee(), s.size());
                reference.remove(old);
                reference.add(s);
                scores.put(e, s);
                assertEquals(s.fee(), index.scoreFee(e));
                assertEquals(s.size(), index.scoreSize(e));
            } else {
                MempoolEntry worst = index.first();
                assertSame(reference.first().entry(), worst, "step " + step);
                index.remove(worst);
                reference.pollFirst();
                scores.remove(worst);
                members.remove(worst);
            }
            assertEquals(reference.size(), index.size(), "step " + step);
            if (!reference.isEmpty()) {
                assertSame(reference.first().entry(), index.first(), "step " + step);
            }
        }
        // Drained, the two give the same full order.
        while (!reference.isEmpty()) {
            MempoolEntry worst = index.first();
            assertSame(reference.pollFirst().entry(), worst);
            index.remove(worst);
        }
        assertTrue(index.isEmpty());
        assertNull(index.first());
    }

    private static Scored randomScore(Random rnd, MempoolEntry e) {
        long size = 60 + rnd.nextInt(400);
        long fee = rnd.nextInt(3) == 0 ? size * (1 + rnd.nextInt(5)) : rnd.nextInt(20_000);
        return new Scored(e, fee, size);
    }

    @Test
    void equalRatesGoNewestFirst() {
        DescendantScoreIndex index = new DescendantScoreIndex();
        MempoolEntry older = entry(500);
        MempoolEntry newer = entry(600);
        MempoolEntry newest = entry(600);
        MempoolEntry cheap = entry(100);
        index.add(older, 1_000, 100);
        index.add(newest, 2_000, 200);
        index.add(newer, 500, 50);
        index.add(cheap, 999, 100);
        List<MempoolEntry> order = new ArrayList<>();
        while (!index.isEmpty()) {
            order.add(index.first());
            index.remove(index.first());
        }
        // Lowest rate first; then at 10 sat/vB the later time, and on equal time the later entry.
        assertEquals(List.of(cheap, newest, newer, older), order);
    }

    @Test
    void slotsFollowMembership() {
        DescendantScoreIndex index = new DescendantScoreIndex();
        List<MempoolEntry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            MempoolEntry e = entry(i);
            index.add(e, 1_000 - i, 100);
            entries.add(e);
        }
        assertThrows(IllegalStateException.class, () -> index.add(entries.get(5), 1, 1));
        index.remove(entries.get(7));
        index.remove(entries.get(7));   // not in the index any more: nothing happens
        assertEquals(199, index.size());
        assertThrows(IllegalStateException.class, () -> index.update(entries.get(7), 1, 1));
        assertSame(entries.get(199), index.first());
        index.clear();
        assertTrue(index.isEmpty());
        for (MempoolEntry e : entries) {
            assertFalse(index.contains(e));
        }
        index.add(entries.get(7), 5, 1);
        assertSame(entries.get(7), index.first());
    }
}
