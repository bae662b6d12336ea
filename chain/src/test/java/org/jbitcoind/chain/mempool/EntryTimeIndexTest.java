package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * The heap-based entry time index against a reference model, a sorted set under the pool's former
 * order (time, then entry sequence), over seeded random additions (mostly newest, some older, as
 * mempool.dat loads them) and removals: the entries before a cutoff and the full listing agree.
 */
class EntryTimeIndexTest {
    private static final Transaction TX = new Transaction(2,
            List.of(new TxIn(new OutPoint(Hash256.ZERO, 0), new byte[0], 0xffffffffL)),
            List.of(new TxOut(1_000, new byte[] {0x51})), 0);
    private static final Comparator<MempoolEntry> REFERENCE_ORDER =
            Comparator.comparingLong(MempoolEntry::time).thenComparingLong(MempoolEntry::sequence);

    private long nextSequence;

    private MempoolEntry entry(long time) {
        return new MempoolEntry(TX, 1_000, time, 100, 4, false, nextSequence++, 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void matchesSortedSetOverRandomOperations(long seed) {
        Random rnd = new Random(seed);
        EntryTimeIndex index = new EntryTimeIndex();
        TreeSet<MempoolEntry> reference = new TreeSet<>(REFERENCE_ORDER);
        List<MempoolEntry> members = new ArrayList<>();
        long clock = 10_000;
        for (int step = 0; step < 10_000; step++) {
            int op = rnd.nextInt(100);
            if (op < 60 || members.isEmpty()) {
                clock += rnd.nextInt(3);
                // Mostly now; sometimes an older time (entries read back from mempool.dat keep theirs).
                MempoolEntry e = entry(rnd.nextInt(10) == 0 ? clock - rnd.nextInt(500) : clock);
                index.add(e);
                reference.add(e);
                members.add(e);
            } else {
                MempoolEntry e = members.remove(rnd.nextInt(members.size()));
                index.remove(e);
                assertTrue(reference.remove(e));
                assertFalse(index.contains(e));
            }
            assertEquals(reference.size(), index.size());
            if (step % 97 == 0) {
                long cutoff = clock - rnd.nextInt(600);
                assertEquals(reference.stream().filter(x -> x.time() < cutoff).toList(), index.olderThan(cutoff),
                        "step " + step);
                assertEquals(List.copyOf(reference), index.inOrder(), "step " + step);
            }
        }
        assertEquals(List.copyOf(reference), index.inOrder());
    }

    @Test
    void olderThanStopsAtTheCutoffAndSlotsFollowMembership() {
        EntryTimeIndex index = new EntryTimeIndex();
        List<MempoolEntry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            MempoolEntry e = entry(1_000 + i / 2);   // two entries per second
            index.add(e);
            entries.add(e);
        }
        assertEquals(entries.subList(0, 10), index.olderThan(1_005));
        assertEquals(List.of(), index.olderThan(1_000));
        assertThrows(IllegalStateException.class, () -> index.add(entries.get(3)));
        index.remove(entries.get(3));
        index.remove(entries.get(3));   // not in the index any more: nothing happens
        assertEquals(99, index.size());
        assertEquals(9, index.olderThan(1_005).size());
        index.clear();
        assertEquals(0, index.size());
        assertFalse(index.contains(entries.get(0)));
        index.add(entries.get(0));
        assertEquals(List.of(entries.get(0)), index.inOrder());
    }
}
