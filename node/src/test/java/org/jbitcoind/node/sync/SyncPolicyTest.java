package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -minimumchainwork keeps weak chains out of the block index and holds back their download; a pruned node serves what it still has. */
class SyncPolicyTest {
    @TempDir
    Path dir;

    @Test
    void noBlocksAreDownloadedForAHeaderChainBelowMinimumChainWork() throws Exception {
        List<Block> chain = RegtestBlocks.chain(Tip.genesis(), 200, 3);
        // Regtest blocks carry 2 units of work each: 151 blocks (plus genesis) reach the minimum.
        ChainstateOptions options = RegtestBlocks.options().withMinimumChainWork(BigInteger.valueOf(2 * 152));
        try (SyncNode a = SyncNode.start(dir.resolve("a"));
                SyncNode b = SyncNode.start(dir.resolve("b"), options, SyncNode.TEST_SYNC, UnaryOperator.identity())) {
            a.feed(chain.subList(0, 100));
            b.connectTo(a.address());
            Waits.until(() -> b.connman().peers().size() == 1 && b.connman().peers().get(0).traffic()
                    .receivedPerMessage().getOrDefault("headers", 0L) > 0, Duration.ofSeconds(20), "headers received");
            Thread.sleep(500); // several sync ticks: still nothing may be fetched
            // Core 24+ (headers presync): a chain below the anti-DoS threshold is not even stored.
            assertEquals(0, b.chain().bestHeader().height(), "no header of a chain below -minimumchainwork");
            assertEquals(0, b.height(), "no block of a chain below -minimumchainwork");
            assertEquals(0, b.sync().blocksInFlight());
            a.feed(chain.subList(100, 200));
            b.awaitTip(a.tip(), Duration.ofSeconds(30));
        }
    }

    @Test
    void prunedNodeServesOnlyTheBlocksItKept() throws Exception {
        List<Block> chain = RegtestBlocks.chain(Tip.genesis(), 400, 4);
        ChainstateOptions pruned = RegtestBlocks.options().withPruneTargetBytes(ChainstateOptions.PRUNE_MANUAL);
        try (SyncNode a = SyncNode.start(dir.resolve("a"), pruned, SyncNode.TEST_SYNC, UnaryOperator.identity())) {
            a.feed(chain);
            int prunedTo = a.chain().pruneBlockchain(100);
            assertTrue(prunedTo >= 50, "pruned to " + prunedTo);
            try (RawPeer c = RawPeer.connect(a.address())) {
                c.handshake();
                Hash256 gone = chain.get(prunedTo - 1).hash();
                Hash256 kept = chain.get(350).hash();
                c.send(InventoryMessage.getData(List.of(new InvItem(InvItem.MSG_WITNESS_BLOCK, gone),
                        new InvItem(InvItem.MSG_WITNESS_BLOCK, kept))));
                BlockMessage b = (BlockMessage) c.expect(m -> m instanceof BlockMessage, RawPeer.WAIT);
                assertEquals(kept, b.block().hash());
                InventoryMessage nf = (InventoryMessage) c.expect(m -> m instanceof InventoryMessage i
                        && i.kind() == InventoryMessage.Kind.NOTFOUND, RawPeer.WAIT);
                assertEquals(List.of(new InvItem(InvItem.MSG_WITNESS_BLOCK, gone)), nf.items());
                // getblocks from below the pruned range lists nothing it could not deliver;
                // from a kept block on, the hashes follow.
                c.send(new LocatorMessage(LocatorMessage.Kind.GETBLOCKS, ProtocolVersions.PROTOCOL_VERSION,
                        List.of(chain.get(300).hash()), Hash256.ZERO));
                InventoryMessage inv = (InventoryMessage) c.expect(SyncPolicyTest::inv, RawPeer.WAIT);
                List<Hash256> expected = new ArrayList<>();
                for (int i = 301; i < 400; i++) {
                    expected.add(chain.get(i).hash());
                }
                assertEquals(expected, inv.items().stream().map(InvItem::hash).toList());
                c.send(new LocatorMessage(LocatorMessage.Kind.GETBLOCKS, ProtocolVersions.PROTOCOL_VERSION,
                        List.of(RegtestBlocks.PARAMS.genesisBlock().hash()), Hash256.ZERO));
                assertTrue(c.drainUntilSynced(SyncPolicyTest::inv).isEmpty() && c.poll(SyncPolicyTest::inv,
                        Duration.ofMillis(500)).isEmpty(), "no inv of pruned blocks");
            }
        }
    }

    @Test
    void aBlockAnnouncedByInvIsFetchedHeadersFirst() throws Exception {
        List<Block> chain = RegtestBlocks.chain(Tip.genesis(), 21, 6);
        try (SyncNode b = SyncNode.start(dir.resolve("b"))) {
            b.feed(chain.subList(0, 20));
            Block next = chain.get(20);
            try (RawPeer peer = RawPeer.connect(b.address())) {
                peer.handshake();
                peer.send(InventoryMessage.inv(List.of(new InvItem(InvItem.MSG_BLOCK, next.hash()))));
                LocatorMessage gh = (LocatorMessage) peer.expect(m -> m instanceof LocatorMessage l
                        && l.kind() == LocatorMessage.Kind.GETHEADERS && l.stopHash().equals(next.hash()), RawPeer.WAIT);
                assertEquals(chain.get(19).hash(), gh.locator().get(0), "locator from our best header");
                peer.send(new org.jbitcoind.protocol.message.HeadersMessage(List.of(next.header())));
                InventoryMessage getdata = (InventoryMessage) peer.expect(m -> m instanceof InventoryMessage i
                        && i.kind() == InventoryMessage.Kind.GETDATA, RawPeer.WAIT);
                assertEquals(List.of(new InvItem(InvItem.MSG_WITNESS_BLOCK, next.hash())), getdata.items());
                peer.send(new BlockMessage(next));
                b.awaitTip(next.hash(), Duration.ofSeconds(10));
            }
        }
    }

    private static boolean inv(Message m) {
        return m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.INV;
    }
}
