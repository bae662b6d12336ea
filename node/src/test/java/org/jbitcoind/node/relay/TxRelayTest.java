package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jbitcoind.chain.mempool.OrphanPool;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.FeeFilterMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.Test;

/** {@link TxRelay} driven by hand with a manual clock and a seeded random source. */
class TxRelayTest {
    private static final long MS = 1_000_000L;
    private static final long SEC = 1000 * MS;
    private static final Hash256 TIP = Hash256.fromHex("11".repeat(32));

    private final FakeRelay.Mempool mempool = new FakeRelay.Mempool();
    private final OrphanPool orphans = new OrphanPool(100, 5_000_000, () -> 1_000_000, new Random(1));
    private long now = 1_000 * SEC;
    private boolean acceptTransactions = true;
    private boolean bloomAllowed = false;
    private boolean ibd = false;
    private TxRelay relay;

    private TxRelay relay() {
        if (relay == null) {
            relay = new TxRelay(RelayConfig.defaults(), mempool, orphans, () -> ibd, () -> TIP, acceptTransactions,
                    bloomAllowed, () -> now, () -> mempool.nowSeconds, new Random(42));
        }
        return relay;
    }

    private FakeRelay.Peer connect(long id, boolean inbound) {
        FakeRelay.Peer p = new FakeRelay.Peer(id, inbound);
        relay().peerConnected(p);
        return p;
    }

    /** Advances the clock in 100 ms ticks, running the relay's timers. */
    private void run(Duration d) {
        long end = now + d.toNanos();
        while (now < end) {
            now += 100 * MS;
            relay().tick();
        }
    }

    private void pooled(Transaction tx, long fee) {
        mempool.put(tx, fee);
        relay().transactionAdded(tx.txid(), tx.wtxid());
    }

    private static List<Hash256> hashes(List<InvItem> items) {
        return items.stream().map(InvItem::hash).toList();
    }

    @Test
    void announcementsWaitForThePoissonTimerAndUseWtxidsWhenNegotiated() {
        FakeRelay.Peer wtx = connect(1, false);
        FakeRelay.Peer legacy = connect(2, false);
        legacy.wtxidRelay = false;
        Transaction tx = FakeRelay.tx(1);
        pooled(tx, 1000);
        relay().tick();
        assertTrue(wtx.sent.isEmpty() && legacy.sent.isEmpty(), "not announced at once");
        run(Duration.ofSeconds(30));
        assertEquals(List.of(new InvItem(InvItem.MSG_WTX, tx.wtxid())), wtx.take(InventoryMessage.Kind.INV));
        assertEquals(List.of(new InvItem(InvItem.MSG_TX, tx.txid())), legacy.take(InventoryMessage.Kind.INV));
        assertFalse(tx.txid().equals(tx.wtxid()), "a witness transaction: the two ids differ");
    }

    @Test
    void inboundPeersAreAnnouncedToLessOftenThanOutbound() {
        FakeRelay.Peer out = connect(1, false);
        FakeRelay.Peer in = connect(2, true);
        int txs = 0;
        for (int i = 0; i < 2000; i++) { // 200 s of 100 ms ticks, one new transaction each
            pooled(FakeRelay.tx(new OutPoint(TIP, i), i, true), 1000);
            txs++;
            now += 100 * MS;
            relay().tick();
        }
        int outBatches = countInvs(out.sent);
        int inBatches = countInvs(in.sent);
        // Means 2 s and 5 s: about 100 and 40 batches in 200 s.
        assertTrue(outBatches >= 70 && outBatches <= 130, "outbound batches " + outBatches);
        assertTrue(inBatches >= 25 && inBatches <= 55, "inbound batches " + inBatches);
        int announced = out.take(InventoryMessage.Kind.INV).size();
        assertTrue(announced > txs - 200 && announced <= txs, "everything goes out in the end: " + announced);
    }

    private static int countInvs(List<Message> sent) {
        return (int) sent.stream().filter(m -> m instanceof InventoryMessage i
                && i.kind() == InventoryMessage.Kind.INV).count();
    }

    @Test
    void sameSeedSameSchedule() {
        List<Long> a = firstAnnouncementTimes();
        relay = null;
        now = 1_000 * SEC;
        List<Long> b = firstAnnouncementTimes();
        assertEquals(a, b);
        assertEquals(5, a.size());
    }

    private List<Long> firstAnnouncementTimes() {
        FakeRelay.Peer out = connect(1, false);
        List<Long> times = new ArrayList<>();
        for (int i = 0; times.size() < 5 && i < 10_000; i++) {
            pooled(FakeRelay.tx(new OutPoint(TIP, i), i, true), 1000);
            now += 100 * MS;
            relay().tick();
            if (!out.sent.isEmpty()) {
                out.sent.clear();
                times.add(now);
            }
        }
        return times;
    }

    @Test
    void feeFilterIsHonoured() {
        FakeRelay.Peer p = connect(1, false);
        p.feeFilter = 5_000; // sat/kvB
        Transaction cheap = FakeRelay.tx(1);
        Transaction rich = FakeRelay.tx(2);
        pooled(cheap, cheap.vsize() * 4L); // 4 sat/vB = 4000 sat/kvB
        pooled(rich, rich.vsize() * 6L);
        run(Duration.ofSeconds(30));
        assertEquals(List.of(rich.wtxid()), hashes(p.take(InventoryMessage.Kind.INV)));
    }

    @Test
    void nothingIsAnnouncedTwiceNorToAPeerThatAnnouncedIt() {
        FakeRelay.Peer a = connect(1, false);
        FakeRelay.Peer b = connect(2, false);
        Transaction tx = FakeRelay.tx(1);
        relay().onInv(1, List.of(new InvItem(InvItem.MSG_WTX, tx.wtxid())));
        a.sent.clear();
        pooled(tx, 1000);
        run(Duration.ofSeconds(30));
        assertEquals(List.of(), a.take(InventoryMessage.Kind.INV), "peer 1 announced it to us");
        assertEquals(List.of(tx.wtxid()), hashes(b.take(InventoryMessage.Kind.INV)));
        relay().transactionAdded(tx.txid(), tx.wtxid());
        run(Duration.ofSeconds(30));
        assertEquals(List.of(), b.take(InventoryMessage.Kind.INV), "known: not again");
    }

    @Test
    void blockRelayOnlyAndRelayFalsePeersGetNoTransactions() {
        FakeRelay.Peer blockOnly = connect(1, false);
        blockOnly.txRelayConnection = false;
        FakeRelay.Peer noRelay = connect(2, true);
        noRelay.relayTxs = false;
        FakeRelay.Peer normal = connect(3, false);
        pooled(FakeRelay.tx(1), 1000);
        run(Duration.ofSeconds(30));
        assertEquals(List.of(), blockOnly.take(InventoryMessage.Kind.INV));
        assertEquals(List.of(), noRelay.take(InventoryMessage.Kind.INV));
        assertEquals(1, normal.take(InventoryMessage.Kind.INV).size());
    }

    @Test
    void aBloomFilterLimitsAnnouncementsToMatches() {
        Transaction match = FakeRelay.tx(1);
        Transaction other = FakeRelay.tx(2);
        FakeRelay.Peer spv = connect(1, true);
        spv.filter = tx -> tx.equals(match);
        pooled(match, 1000);
        pooled(other, 1000);
        run(Duration.ofSeconds(60));
        assertEquals(List.of(match.wtxid()), hashes(spv.take(InventoryMessage.Kind.INV)));
    }

    @Test
    void blockRelayOnlyPeerSendingTransactionsIsDisconnected() {
        FakeRelay.Peer p = connect(1, false);
        p.txRelayConnection = false;
        relay().onInv(1, List.of(new InvItem(InvItem.MSG_WTX, FakeRelay.tx(1).wtxid())));
        assertEquals("transaction inv sent in violation of protocol", p.disconnected);
        FakeRelay.Peer q = connect(2, false);
        q.txRelayConnection = false;
        relay().onTx(2, FakeRelay.tx(2));
        assertEquals("transaction sent in violation of protocol", q.disconnected);
        assertTrue(mempool.pool.isEmpty());
    }

    @Test
    void blocksOnlyRefusesPeersTransactionsButAnnouncesOurOwn() {
        acceptTransactions = false;
        FakeRelay.Peer p = connect(1, false);
        pooled(FakeRelay.tx(1), 1000); // e.g. from sendrawtransaction
        run(Duration.ofSeconds(30));
        assertEquals(1, p.take(InventoryMessage.Kind.INV).size());
        relay().onInv(1, List.of(new InvItem(InvItem.MSG_WTX, FakeRelay.tx(2).wtxid())));
        assertNotNull(p.disconnected);
    }

    @Test
    void getdataIsServedOnlyForWhatWeAnnouncedToThatPeer() {
        FakeRelay.Peer p = connect(1, false);
        Transaction tx = FakeRelay.tx(1);
        mempool.put(tx, 1000); // pooled but not announced yet
        InvItem ask = new InvItem(InvItem.MSG_WTX, tx.wtxid());
        relay().onGetData(1, List.of(ask));
        assertEquals(List.of(ask), p.take(InventoryMessage.Kind.NOTFOUND));
        relay().transactionAdded(tx.txid(), tx.wtxid());
        run(Duration.ofSeconds(30));
        p.sent.clear();
        relay().onGetData(1, List.of(ask, new InvItem(InvItem.MSG_TX, tx.txid())));
        assertEquals(2, p.sent.size());
        TxMessage withWitness = (TxMessage) p.sent.get(0);
        TxMessage stripped = (TxMessage) p.sent.get(1);
        assertEquals(tx, withWitness.tx());
        assertTrue(withWitness.withWitness());
        assertFalse(stripped.withWitness(), "MSG_TX asks for the serialization without witness");
        assertEquals(List.of(tx.txid(), tx.txid()), mempool.requested);
    }

    @Test
    void aTransactionIsRequestedFromOnePeerThenTheNextOnNotFound() {
        FakeRelay.Peer a = connect(1, false);
        FakeRelay.Peer b = connect(2, false);
        Transaction tx = FakeRelay.tx(1);
        InvItem inv = new InvItem(InvItem.MSG_WTX, tx.wtxid());
        relay().onInv(1, List.of(inv));
        relay().onInv(2, List.of(inv));
        assertEquals(List.of(inv), a.take(InventoryMessage.Kind.GETDATA));
        assertEquals(List.of(), b.take(InventoryMessage.Kind.GETDATA), "one peer at a time");
        relay().onNotFound(1, List.of(inv));
        relay().tick();
        assertEquals(List.of(inv), b.take(InventoryMessage.Kind.GETDATA));
        relay().onTx(2, tx);
        assertTrue(mempool.contains(tx.txid()));
    }

    @Test
    void anUnansweredRequestTimesOutToTheNextPeer() {
        FakeRelay.Peer a = connect(1, false);
        FakeRelay.Peer b = connect(2, false);
        Transaction tx = FakeRelay.tx(1);
        InvItem inv = new InvItem(InvItem.MSG_WTX, tx.wtxid());
        relay().onInv(1, List.of(inv));
        relay().onInv(2, List.of(inv));
        a.take(InventoryMessage.Kind.GETDATA);
        run(Duration.ofSeconds(59));
        assertEquals(List.of(), b.take(InventoryMessage.Kind.GETDATA));
        run(Duration.ofSeconds(2));
        assertEquals(List.of(inv), b.take(InventoryMessage.Kind.GETDATA));
    }

    @Test
    void legacyPeerIsAskedByTxidWithWitnessAndItsWtxInvsAreIgnored() {
        FakeRelay.Peer p = connect(1, false);
        p.wtxidRelay = false;
        Transaction tx = FakeRelay.tx(1);
        relay().onInv(1, List.of(new InvItem(InvItem.MSG_WTX, tx.wtxid())));
        assertEquals(List.of(), p.take(InventoryMessage.Kind.GETDATA), "MSG_WTX without wtxidrelay is ignored");
        relay().onInv(1, List.of(new InvItem(InvItem.MSG_TX, tx.txid())));
        assertEquals(List.of(new InvItem(InvItem.MSG_WITNESS_TX, tx.txid())), p.take(InventoryMessage.Kind.GETDATA));
    }

    @Test
    void acceptedTransactionIsRelayedToOthersNotBackToItsSender() {
        FakeRelay.Peer from = connect(1, false);
        FakeRelay.Peer other = connect(2, true);
        Transaction tx = FakeRelay.tx(1);
        relay().onTx(1, tx);
        assertTrue(mempool.contains(tx.txid()));
        relay().transactionAdded(tx.txid(), tx.wtxid()); // what the mempool listener does
        run(Duration.ofSeconds(60));
        assertEquals(List.of(), from.take(InventoryMessage.Kind.INV));
        assertEquals(List.of(tx.wtxid()), hashes(other.take(InventoryMessage.Kind.INV)));
    }

    @Test
    void consensusInvalidScoresPolicyRejectionDoesNotAndNeitherIsAskedForAgain() {
        FakeRelay.Peer p = connect(1, false);
        Transaction bad = FakeRelay.tx(1);
        Transaction odd = FakeRelay.tx(2);
        mempool.invalid.add(bad.txid());
        mempool.nonStandard.add(odd.txid());
        relay().onTx(1, odd);
        assertEquals(0, p.misbehaviour, "policy: no score");
        relay().onTx(1, bad);
        assertEquals(TxRelay.SCORE_INVALID_TX, p.misbehaviour);
        FakeRelay.Peer q = connect(2, false);
        relay().onInv(2, List.of(new InvItem(InvItem.MSG_WTX, odd.wtxid()), new InvItem(InvItem.MSG_WTX, bad.wtxid())));
        assertEquals(List.of(), q.take(InventoryMessage.Kind.GETDATA), "recently rejected");
    }

    @Test
    void orphanParentsAreRequestedFromItsSenderAndResolveOnArrival() {
        FakeRelay.Peer p = connect(1, true);
        FakeRelay.Peer other = connect(2, false);
        Transaction parent = FakeRelay.tx(1);
        Transaction child = FakeRelay.tx(new OutPoint(parent.txid(), 0), 9, true);
        mempool.pendingParents.add(parent.txid());
        relay().onTx(1, child);
        assertFalse(mempool.contains(child.txid()));
        assertEquals(1, relay().orphanCount());
        assertEquals(List.of(new InvItem(InvItem.MSG_WITNESS_TX, parent.txid())), p.take(InventoryMessage.Kind.GETDATA),
                "the parent, by txid, from the orphan's sender, at once even though it is inbound");
        relay().onTx(1, parent);
        assertTrue(mempool.contains(parent.txid()));
        assertTrue(mempool.contains(child.txid()), "orphan resolved");
        assertEquals(0, relay().orphanCount());
        assertEquals(List.of(parent, child), mempool.added);
        mempool.added.forEach(t -> relay().transactionAdded(t.txid(), t.wtxid()));
        run(Duration.ofSeconds(30));
        assertEquals(List.of(parent.wtxid(), child.wtxid()), hashes(other.take(InventoryMessage.Kind.INV)),
                "both relayed, parent first");
    }

    @Test
    void aPeersOrphansGoWithIt() {
        connect(1, false);
        Transaction parent = FakeRelay.tx(1);
        mempool.pendingParents.add(parent.txid());
        relay().onTx(1, FakeRelay.tx(new OutPoint(parent.txid(), 0), 9, true));
        assertEquals(1, relay().orphanCount());
        relay().peerDisconnected(1);
        assertEquals(0, relay().orphanCount());
    }

    @Test
    void mempoolMessageDisconnectsWithoutBloomFilters() {
        FakeRelay.Peer p = connect(1, true);
        relay().onMempoolRequest(1);
        assertEquals("mempool request with bloom filters disabled", p.disconnected);
    }

    @Test
    void mempoolMessageIsAnsweredWithMatchingTransactionsWhenAllowed() {
        bloomAllowed = true;
        Transaction match = FakeRelay.tx(1);
        Transaction other = FakeRelay.tx(2);
        Transaction cheap = FakeRelay.tx(3);
        mempool.put(match, 100_000);
        mempool.put(other, 100_000);
        mempool.put(cheap, 1);
        FakeRelay.Peer p = connect(1, true);
        p.feeFilter = 1000;
        p.filter = tx -> !tx.equals(other);
        relay().onMempoolRequest(1);
        assertNull(p.disconnected);
        run(Duration.ofSeconds(30));
        assertEquals(List.of(match.wtxid()), hashes(p.take(InventoryMessage.Kind.INV)));
        relay().onGetData(1, List.of(new InvItem(InvItem.MSG_WTX, match.wtxid())));
        assertTrue(p.sent.get(0) instanceof TxMessage t && t.tx().equals(match), "announced, so served");
    }

    private static List<Long> feeFilters(FakeRelay.Peer p) {
        List<Long> out = p.sent.stream().filter(m -> m instanceof FeeFilterMessage)
                .map(m -> ((FeeFilterMessage) m).feeRate()).toList();
        p.sent.clear();
        return out;
    }

    @Test
    void feeFilterFollowsOurMinimumFee() {
        FakeRelay.Peer p = connect(1, false);
        FakeRelay.Peer blockOnly = connect(2, false);
        blockOnly.txRelayConnection = false;
        run(Duration.ofMinutes(30));
        assertEquals(List.of(), feeFilters(p), "the handshake's -minrelaytxfee is still right");
        mempool.minFee = 5000; // the pool filled up and evicted
        run(Duration.ofMinutes(5));
        assertEquals(List.of(5000L), feeFilters(p), "a large change goes out within 5 minutes");
        mempool.minFee = 4500; // a small change waits for the regular timer (mean 10 minutes)
        run(Duration.ofMinutes(90));
        assertEquals(List.of(4500L), feeFilters(p));
        assertEquals(List.of(), feeFilters(blockOnly), "no feefilter on block-relay-only connections");
    }

    @Test
    void duringInitialDownloadTheFeeFilterSaysSendNothing() {
        ibd = true;
        FakeRelay.Peer p = connect(1, true);
        relay().tick();
        assertEquals(List.of(TxRelay.MAX_FEEFILTER), feeFilters(p));
        ibd = false;
        relay().tick();
        assertEquals(List.of(1000L), feeFilters(p), "the real rate once out of initial download");
    }

    @Test
    void blocksOnlySendsNoFeeFilterUpdates() {
        acceptTransactions = false;
        ibd = true;
        FakeRelay.Peer p = connect(1, false);
        run(Duration.ofMinutes(30));
        assertEquals(List.of(), feeFilters(p));
    }

    @Test
    void unbroadcastTransactionsAreAnnouncedAgainEveryTenToFifteenMinutes() {
        Transaction ours = FakeRelay.tx(1);
        mempool.put(ours, 1000);
        mempool.unbroadcast.add(ours.txid());
        relay().transactionAdded(ours.txid(), ours.wtxid()); // nobody connected yet: lost
        FakeRelay.Peer late = connect(1, false);
        run(Duration.ofMinutes(9));
        assertEquals(List.of(), late.take(InventoryMessage.Kind.INV));
        run(Duration.ofMinutes(7));
        assertEquals(List.of(ours.wtxid()), hashes(late.take(InventoryMessage.Kind.INV)));
        mempool.unbroadcast.clear(); // a peer asked for it
        run(Duration.ofMinutes(20));
        assertEquals(List.of(), late.take(InventoryMessage.Kind.INV), "known to the peer, no longer unbroadcast");
    }

    @Test
    void aTransactionPooledForTwoMinutesIsServedEvenIfNeverAnnouncedToThatPeer() {
        FakeRelay.Peer p = connect(1, false);
        Transaction old = FakeRelay.tx(1);
        Transaction recent = FakeRelay.tx(2);
        mempool.putAt(old, 1000, mempool.nowSeconds - 120);
        mempool.putAt(recent, 1000, mempool.nowSeconds - 119);
        relay().onGetData(1, List.of(new InvItem(InvItem.MSG_WITNESS_TX, old.txid()),
                new InvItem(InvItem.MSG_WTX, recent.wtxid())));
        assertTrue(p.sent.get(0) instanceof TxMessage t && t.tx().equals(old), "an orphan's parent, say");
        assertEquals(List.of(new InvItem(InvItem.MSG_WTX, recent.wtxid())), p.take(InventoryMessage.Kind.NOTFOUND),
                "too recent: serving it would reveal us as its source");
    }
}
