package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jbitcoind.chain.spv.BloomFilter;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transaction relay of an in-process node (wired as the daemon wires it) seen by hand-driven peers
 * on 127.0.0.1: inv/getdata/tx into the mempool, BIP339 wtxid relay, orphans fetching their
 * parents from their sender, BIP35 mempool requests and BIP37-filtered announcements.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TxRelayP2pTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** A txid no transaction has. */
    private static final Hash256 UNKNOWN_TXID = Hash256.fromHex("42".repeat(32));

    @TempDir
    static Path dir;
    private RelayTestNode node;
    private RelayTestNode bloomNode;
    /** Next mature coinbase to spend, by height. */
    private int nextCoinbase = 1;
    private int nextBloomCoinbase = 1;

    @BeforeAll
    void start() throws Exception {
        node = RelayTestNode.start(dir.resolve("a"));
        node.rpc.call("generatetoaddress", 110, Coins.ADDRESS);
        bloomNode = RelayTestNode.start(dir.resolve("b"), "-peerbloomfilters=1");
        bloomNode.rpc.call("generatetoaddress", 110, Coins.ADDRESS);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (bloomNode != null) {
            bloomNode.close();
        }
    }

    private Transaction freshSpend(RelayTestNode n) throws Exception {
        int height = n == node ? nextCoinbase++ : nextBloomCoinbase++;
        return Coins.spend(n.rpc, Coins.coinbase(n.rpc, height), 0, "49.999");
    }

    /** Handshake announcing BIP339 wtxid relay before verack. */
    private static RawPeer wtxidPeer(InetSocketAddress address) throws Exception {
        RawPeer p = RawPeer.connect(address);
        p.send(RawPeer.version(System.nanoTime() | 1, 0));
        p.expect(m -> m instanceof VersionMessage, RawPeer.WAIT);
        p.send(EmptyMessage.WTXIDRELAY);
        p.expect(m -> m == EmptyMessage.VERACK, RawPeer.WAIT);
        p.send(EmptyMessage.VERACK);
        return p;
    }

    /**
     * Returns once relay (on "txrelay") has registered the peer. A ping is no such barrier: the P2P
     * layer answers it itself, possibly before the dispatcher has handed the new peer to relay,
     * and a transaction pooled in between is never announced to that peer (relay announces only
     * to the peers it knows when the transaction enters the pool). A notfound for an unknown txid
     * comes from relay, which ignores a getdata from a peer it does not know, and the dispatcher
     * hands relay the connection before any of the peer's messages.
     */
    private static void awaitKnownToRelay(RawPeer p) throws IOException {
        InvItem unknown = new InvItem(InvItem.MSG_TX, UNKNOWN_TXID);
        p.send(InventoryMessage.getData(List.of(unknown)));
        p.expect(m -> m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.NOTFOUND
                && i.items().contains(unknown), WAIT);
    }

    private static boolean isInv(Message m, InvItem item) {
        return m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.INV && i.items().contains(item);
    }

    private static boolean isGetData(Message m, InvItem item) {
        return m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.GETDATA
                && i.items().contains(item);
    }

    private void awaitInMempool(RelayTestNode n, Hash256... txids) {
        for (Hash256 txid : txids) {
            Waits.until(() -> {
                try {
                    return n.rpc.mempool().contains(txid.toString());
                } catch (Exception e) {
                    return false;
                }
            }, WAIT, txid + " in the mempool");
        }
    }

    @Test
    void invGetdataTxPutsATransactionIntoTheMempool() throws Exception {
        Transaction tx = freshSpend(node);
        try (RawPeer p = RawPeer.connect(node.p2pAddress())) {
            p.handshake();
            p.send(InventoryMessage.inv(List.of(new InvItem(InvItem.MSG_TX, tx.txid()))));
            // Without wtxidrelay: asked for by txid, with witness.
            p.expect(m -> isGetData(m, new InvItem(InvItem.MSG_WITNESS_TX, tx.txid())), WAIT);
            p.send(new TxMessage(tx));
            awaitInMempool(node, tx.txid());
        }
    }

    @Test
    void wtxidRelayAnnouncesAndRequestsByWtxid() throws Exception {
        Transaction ours = freshSpend(node);
        Transaction theirs = freshSpend(node);
        try (RawPeer p = wtxidPeer(node.p2pAddress())) {
            awaitKnownToRelay(p);
            node.rpc.call("sendrawtransaction", Coins.hex(ours));
            assertEquals(1, node.rpc.call("getmempoolinfo").get("unbroadcastcount").asInt());
            InvItem wtx = new InvItem(InvItem.MSG_WTX, ours.wtxid());
            p.expect(m -> isInv(m, wtx), WAIT);
            p.send(InventoryMessage.getData(List.of(wtx)));
            TxMessage got = (TxMessage) p.expect(m -> m instanceof TxMessage, WAIT);
            assertEquals(ours, got.tx());
            assertTrue(got.withWitness());
            Waits.until(() -> unbroadcast(node) == 0, WAIT, "no longer unbroadcast once a peer asked for it");

            InvItem theirWtx = new InvItem(InvItem.MSG_WTX, theirs.wtxid());
            p.send(InventoryMessage.inv(List.of(theirWtx)));
            p.expect(m -> isGetData(m, theirWtx), WAIT);
            p.send(new TxMessage(theirs));
            awaitInMempool(node, theirs.txid());
        }
    }

    private static int unbroadcast(RelayTestNode n) {
        try {
            return n.rpc.call("getmempoolinfo").get("unbroadcastcount").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void anOrphanFetchesItsParentFromItsSender() throws Exception {
        Transaction parent = freshSpend(node);
        Transaction child = Coins.spend(node.rpc, parent.txid().toString(), 0, "49.998",
                List.of(Coins.prevout(parent, 0)));
        try (RawPeer p = RawPeer.connect(node.p2pAddress())) {
            p.handshake();
            p.send(new TxMessage(child));
            p.expect(m -> isGetData(m, new InvItem(InvItem.MSG_WITNESS_TX, parent.txid())), WAIT);
            assertTrue(!node.rpc.mempool().contains(child.txid().toString()), "the child waits as an orphan");
            p.send(new TxMessage(parent));
            awaitInMempool(node, parent.txid(), child.txid());
        }
    }

    @Test
    void mempoolRequestWithoutBloomFiltersDisconnects() throws Exception {
        try (RawPeer p = RawPeer.connect(node.p2pAddress())) {
            p.handshake();
            p.send(EmptyMessage.MEMPOOL);
            assertTrue(p.awaitClosed(WAIT), "disconnected");
        }
    }

    @Test
    void bloomFilteredMempoolAnswerAndAnnouncements() throws Exception {
        Transaction ours = freshSpend(bloomNode);
        Transaction other = Coins.spendTo(bloomNode.rpc, Coins.coinbase(bloomNode.rpc, nextBloomCoinbase++), 0,
                Coins.OTHER_ADDRESS, "49.999", List.of());
        bloomNode.rpc.call("sendrawtransaction", Coins.hex(ours));
        bloomNode.rpc.call("sendrawtransaction", Coins.hex(other));
        try (RawPeer p = RawPeer.connect(bloomNode.p2pAddress())) {
            p.handshake();
            BloomFilter filter = BloomFilter.create(10, 0.000001, 5, BloomFilter.UPDATE_NONE);
            filter.insert(org.jbitcoind.protocol.crypto.Hashes.hash160(
                    org.jbitcoind.chain.crypto.Signer.publicKey(Coins.KEY)));
            p.send(filter.toMessage());
            p.sync();
            p.send(EmptyMessage.MEMPOOL);
            InventoryMessage inv = (InventoryMessage) p.expect(m -> m instanceof InventoryMessage i
                    && i.kind() == InventoryMessage.Kind.INV && i.items().stream().anyMatch(
                            it -> it.baseType() == InvItem.MSG_TX), WAIT);
            assertEquals(List.of(new InvItem(InvItem.MSG_TX, ours.txid())), inv.items(), "only the match");

            // New transactions: the matching one is announced, the other is not.
            Transaction ours2 = freshSpend(bloomNode);
            Transaction other2 = Coins.spendTo(bloomNode.rpc, Coins.coinbase(bloomNode.rpc, nextBloomCoinbase++), 0,
                    Coins.OTHER_ADDRESS, "49.999", List.of());
            bloomNode.rpc.call("sendrawtransaction", Coins.hex(other2));
            bloomNode.rpc.call("sendrawtransaction", Coins.hex(ours2));
            InvItem match = new InvItem(InvItem.MSG_TX, ours2.txid());
            List<Message> seen = new java.util.ArrayList<>();
            p.expect(m -> {
                seen.add(m);
                return isInv(m, match);
            }, WAIT);
            p.sync();
            assertTrue(seen.stream().noneMatch(m -> isInv(m, new InvItem(InvItem.MSG_TX, other2.txid()))),
                    "non-matching transaction not announced");
            assertTrue(p.drainUntilSynced(m -> isInv(m, new InvItem(InvItem.MSG_TX, other2.txid()))).isEmpty());
        }
    }

    @Test
    void aPeerThatSaidRelayFalseGetsNoTransactionInvs() throws Exception {
        Transaction tx = freshSpend(node);
        try (RawPeer quiet = RawPeer.connect(node.p2pAddress()); RawPeer normal = RawPeer.connect(node.p2pAddress())) {
            VersionMessage v = RawPeer.version(System.nanoTime() | 1, 0);
            quiet.send(new VersionMessage(v.version(), v.services(), v.timestamp(), v.receiver(), v.sender(), v.nonce(),
                    v.userAgent(), v.startHeight(), false));
            quiet.expect(m -> m == EmptyMessage.VERACK, RawPeer.WAIT);
            quiet.send(EmptyMessage.VERACK);
            normal.handshake();
            awaitKnownToRelay(quiet);
            awaitKnownToRelay(normal);
            node.rpc.call("sendrawtransaction", Coins.hex(tx));
            InvItem inv = new InvItem(InvItem.MSG_TX, tx.txid());
            normal.expect(m -> isInv(m, inv), WAIT);
            // Both are inbound: one shared timer, so the quiet peer's turn has come too.
            assertTrue(quiet.drainUntilSynced(m -> m instanceof InventoryMessage i
                    && i.kind() == InventoryMessage.Kind.INV && i.items().stream().anyMatch(TxRelayHandler::isTransaction))
                    .isEmpty(), "no tx inv to a relay=false peer");
        }
    }

    @Test
    void blocksOnlyTellsPeersRelayFalseRefusesTheirTransactionsButSendsOurs() throws Exception {
        try (RelayTestNode blocksOnly = RelayTestNode.start(dir.resolve("blocksonly"), "-blocksonly=1")) {
            blocksOnly.rpc.call("generatetoaddress", 101, Coins.ADDRESS);
            try (RawPeer p = RawPeer.connect(blocksOnly.p2pAddress())) {
                VersionMessage theirs = p.handshake();
                assertTrue(!theirs.relay(), "relay=false in the version message");
                assertTrue(p.drainUntilSynced(m -> m instanceof org.jbitcoind.protocol.message.FeeFilterMessage)
                        .isEmpty(), "no feefilter in blocks-only mode");
                awaitKnownToRelay(p);
                Transaction ours = Coins.spend(blocksOnly.rpc, Coins.coinbase(blocksOnly.rpc, 1), 0, "49.999");
                blocksOnly.rpc.call("sendrawtransaction", Coins.hex(ours));
                p.expect(m -> isInv(m, new InvItem(InvItem.MSG_TX, ours.txid())), WAIT);
                p.send(InventoryMessage.inv(List.of(new InvItem(InvItem.MSG_TX, UNKNOWN_TXID))));
                assertTrue(p.awaitClosed(WAIT), "a tx inv in blocks-only mode disconnects");
            }
        }
    }

    @Test
    void aConsensusInvalidTransactionDisconnectsButAPolicyRejectionDoesNot() throws Exception {
        Transaction valid = freshSpend(node);
        TxIn in = valid.inputs().get(0);
        byte[] sig = in.witness().get(0).clone();
        sig[10] ^= 1; // inside r: still DER, no longer a valid signature
        Transaction badSig = new Transaction(valid.version(),
                List.of(new TxIn(in.prevout(), in.scriptSig(), in.sequence(), List.of(sig, in.witness().get(1)))),
                valid.outputs(), valid.lockTime());
        Transaction noFee = Coins.spend(node.rpc, Coins.coinbase(node.rpc, nextCoinbase++), 0, "50");
        try (RawPeer p = RawPeer.connect(node.p2pAddress())) {
            p.handshake();
            Transaction after = freshSpend(node);
            p.send(new TxMessage(noFee));
            // One peer's messages are handled in order: once the next one is in, the first was judged.
            p.send(new TxMessage(after));
            awaitInMempool(node, after.txid());
            p.sync();
            assertTrue(!p.isClosed(), "a policy rejection (min relay fee) is not punished");
            assertTrue(!node.rpc.mempool().contains(noFee.txid().toString()));
            p.send(new TxMessage(badSig));
            assertTrue(p.awaitClosed(WAIT), "mandatory-script-verify-flag-failed: misbehaviour 100, disconnected");
        }
        assertTrue(!node.rpc.mempool().contains(badSig.txid().toString()));
    }
}
