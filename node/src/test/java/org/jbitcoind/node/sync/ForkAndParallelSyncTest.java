package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.primitives.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Competing branches resolve to the most work; blocks come from several peers at once. */
class ForkAndParallelSyncTest {
    private static final Duration SYNC = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void nodesMiningApartEndOnTheMostWorkBranchOnceConnected() throws Exception {
        List<Block> common = RegtestBlocks.chain(Tip.genesis(), 20, 0);
        Tip fork = RegtestBlocks.tipOf(Tip.genesis(), common);
        List<Block> shortBranch = RegtestBlocks.chain(fork, 30, 1);
        List<Block> longBranch = RegtestBlocks.chain(fork, 45, 2);
        try (SyncNode a = SyncNode.start(dir.resolve("a")); SyncNode b = SyncNode.start(dir.resolve("b"))) {
            a.feed(common);
            a.feed(shortBranch);
            b.feed(common);
            b.feed(longBranch);
            assertNotEquals(a.tip(), b.tip());
            // The node on the weaker branch dials: it must reorganise onto what it is told.
            a.connectTo(b.address());
            a.awaitTip(b.tip(), SYNC);
            assertEquals(65, a.height());
            assertEquals(b.utxoHash(), a.utxoHash());
            assertTrue(a.chain().getBlockIndex(shortBranch.get(29).hash()).isPresent(), "the old branch is still indexed");

            // Then B falls behind by mining less than A does on the winning branch plus a new side:
            // A extends the long branch by 3, B builds a competing 2 on its tip; A's work wins for both.
            Tip bTip = RegtestBlocks.tipOf(fork, longBranch);
            List<Block> aMore = RegtestBlocks.chain(bTip, 3, 3);
            List<Block> bMore = RegtestBlocks.chain(bTip, 2, 4);
            b.feed(bMore);
            a.feed(aMore);
            b.awaitTip(aMore.get(2).hash(), SYNC);
            a.awaitTip(aMore.get(2).hash(), SYNC);
            assertEquals(a.utxoHash(), b.utxoHash());
        }
    }

    @Test
    void initialDownloadFetchesBlocksFromSeveralPeers() throws Exception {
        List<Block> chain = RegtestBlocks.spendingChain(400);
        try (SyncNode a1 = SyncNode.start(dir.resolve("a1")); SyncNode a2 = SyncNode.start(dir.resolve("a2"));
                SyncNode b = SyncNode.start(dir.resolve("b"))) {
            a1.feed(chain);
            a2.feed(chain);
            b.connectTo(a1.address());
            b.connectTo(a2.address());
            Waits.until(() -> b.connman().peers().size() == 2
                    && b.connman().peers().stream().allMatch(Peer::isEstablished), SYNC, "two peers");
            b.awaitTip(a1.tip(), SYNC);
            assertEquals(a1.utxoHash(), b.utxoHash());
            for (Peer p : b.connman().peers()) {
                long blockBytes = p.traffic().receivedPerMessage().getOrDefault("block", 0L);
                assertTrue(blockBytes > 0, "blocks were downloaded from peer " + p.id() + " too: "
                        + p.traffic().receivedPerMessage());
            }
        }
    }
}
