package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orphans: resolution when parents arrive, bounds, expiry, per-peer erase. */
class OrphanPoolTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();
    private OrphanPool orphans;

    @BeforeEach
    void setUp() throws Exception {
        orphans = new OrphanPool(OrphanPool.DEFAULT_MAX_ORPHANS, OrphanPool.DEFAULT_MAX_BYTES, f.clock::get,
                new Random(1));
    }

    private OrphanPool.Acceptor acceptor() {
        return tx -> f.pool.accept(tx, f.chain.context());
    }

    @Test
    void orphanResolvesRecursivelyWhenParentArrives() throws Exception {
        Transaction parent = f.pay(f.coinbase(1), 1_000);
        Transaction child = f.pay(f.out(parent, 0), 1_000);
        Transaction grandchild = f.pay(f.out(child, 0), 1_000);

        for (Transaction orphan : List.of(grandchild, child)) {
            ValidationException e = assertThrows(ValidationException.class, () -> f.accept(orphan));
            assertEquals(ValidationException.Result.MISSING_INPUTS, e.result());
            assertTrue(orphans.add(orphan, 7));
        }
        assertEquals(List.of(parent.txid()), OrphanPool.missingParents(child, f.pool::contains));
        assertEquals(List.of(child.txid()), OrphanPool.missingParents(grandchild, f.pool::contains));

        AcceptResult p = f.accept(parent);
        OrphanPool.Resolution r = orphans.processParentAccepted(p.tx(), acceptor());
        assertEquals(List.of(child.txid(), grandchild.txid()), r.accepted().stream().map(AcceptResult::txid).toList());
        assertTrue(r.rejected().isEmpty());
        assertEquals(0, orphans.size());
        assertEquals(3, f.pool.size());
    }

    @Test
    void orphanMissingAnotherParentStays() throws Exception {
        Transaction p1 = f.pay(f.coinbase(1), 1_000);
        Transaction p2 = f.pay(f.coinbase(2), 1_000);
        Transaction child = TestWallet.spend(List.of(f.out(p1, 0), f.out(p2, 0)), List.of(new TxOut(
                p1.outputs().get(0).value() + p2.outputs().get(0).value() - 2_000, f.key.script(Kind.P2TR))));
        orphans.add(child, 3);
        assertEquals(List.of(p1.txid(), p2.txid()), OrphanPool.missingParents(child, f.pool::contains));
        f.accept(p1);
        assertTrue(orphans.processParentAccepted(p1, acceptor()).accepted().isEmpty());
        assertTrue(orphans.contains(child.txid()));
        f.accept(p2);
        assertEquals(1, orphans.processParentAccepted(p2, acceptor()).accepted().size());
        assertFalse(orphans.contains(child.txid()));
    }

    @Test
    void invalidOrphanIsDroppedAndReportedWithItsPeer() throws Exception {
        Transaction parent = f.pay(f.coinbase(3), 1_000); // P2WPKH
        Transaction child = f.pay(f.out(parent, 0), 1_000);
        // Break the child's signature.
        Transaction other = f.pay(f.out(parent, 0), 2_000);
        Transaction bad = new Transaction(2, List.of(child.inputs().get(0).withWitness(other.inputs().get(0).witness())),
                child.outputs(), 0);
        orphans.add(bad, 42);
        f.accept(parent);
        OrphanPool.Resolution r = orphans.processParentAccepted(parent, acceptor());
        assertTrue(r.accepted().isEmpty());
        assertEquals(1, r.rejected().size());
        assertEquals(42, r.rejected().get(0).peer());
        assertTrue(r.rejected().get(0).reason().rejectReason().startsWith("mandatory-script-verify-flag-failed"));
        assertEquals(0, orphans.size());
    }

    private static Transaction fakeOrphan(int i, int payloadBytes) {
        Hash256 parent = Hash256.wrap(org.jbitcoind.protocol.crypto.Hashes.sha256(new byte[] {(byte) i, (byte) (i >> 8)}));
        return new Transaction(2, List.of(new TxIn(new OutPoint(parent, 0), new byte[0], 0xffffffffL)),
                List.of(new TxOut(1_000, new byte[payloadBytes])), 0);
    }

    @Test
    void countIsBounded() {
        for (int i = 0; i < 250; i++) {
            orphans.add(fakeOrphan(i, 22), i % 5);
        }
        assertEquals(OrphanPool.DEFAULT_MAX_ORPHANS, orphans.size());
    }

    @Test
    void bytesAreBounded() {
        OrphanPool small = new OrphanPool(100, 50_000, f.clock::get, new Random(2));
        for (int i = 0; i < 30; i++) {
            small.add(fakeOrphan(i, 9_000), 1);
        }
        assertTrue(small.bytes() <= 50_000, "bytes " + small.bytes());
        assertEquals(5, small.size());
        // Larger than a standard transaction: never stored.
        assertFalse(small.add(fakeOrphan(999, 100_001), 1));
    }

    @Test
    void orphansExpireAfterTwentyMinutes() {
        orphans.add(fakeOrphan(1, 22), 1);
        f.clock.addAndGet(10 * 60);
        orphans.add(fakeOrphan(2, 22), 1);
        f.clock.addAndGet(10 * 60);
        assertEquals(1, orphans.expire());
        assertEquals(1, orphans.size());
        assertTrue(orphans.contains(fakeOrphan(2, 22).txid()));
    }

    @Test
    void peerDisconnectErasesItsOrphans() {
        List<Transaction> fromPeer1 = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Transaction t = fakeOrphan(i, 22);
            orphans.add(t, i % 2 == 0 ? 1 : 2);
            if (i % 2 == 0) {
                fromPeer1.add(t);
            }
        }
        assertEquals(3, orphans.eraseForPeer(1));
        assertEquals(3, orphans.size());
        for (Transaction t : fromPeer1) {
            assertFalse(orphans.contains(t.txid()));
        }
    }

    @Test
    void blockErasesIncludedAndConflictingOrphans() {
        Transaction a = fakeOrphan(1, 22);
        Transaction b = fakeOrphan(2, 22);
        orphans.add(a, 1);
        orphans.add(b, 1);
        // The block spends b's input with another transaction.
        Transaction rival = new Transaction(2, b.inputs(), List.of(new TxOut(5, new byte[22])), 0);
        assertEquals(2, orphans.eraseForBlock(List.of(a, rival)));
        assertEquals(0, orphans.size());
    }
}
