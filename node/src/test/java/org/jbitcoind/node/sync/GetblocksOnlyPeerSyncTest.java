package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.BlockMessage;
import org.jbitcoind.protocol.message.EmptyMessage;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.LocatorMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jbitcoind syncs from a peer that ignores getheaders and only speaks the classic exchange:
 * getblocks, an inv of up to 500 hashes, getdata, and the inv of its tip after each batch.
 */
class GetblocksOnlyPeerSyncTest {
    private static final int BLOCKS = 700;

    @TempDir
    Path dir;

    @Test
    void syncsFromAPeerThatAnswersOnlyGetblocks() throws Exception {
        List<Block> chain = RegtestBlocks.spendingChain(BLOCKS);
        Map<Hash256, Integer> heightOf = new HashMap<>();
        heightOf.put(RegtestBlocks.PARAMS.genesisBlock().hash(), 0);
        for (int i = 0; i < chain.size(); i++) {
            heightOf.put(chain.get(i).hash(), i + 1);
        }
        Hash256 tip = chain.get(BLOCKS - 1).hash();
        try (SyncNode b = SyncNode.start(dir.resolve("b"));
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            b.connectTo(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
            try (Socket s = server.accept(); RawPeer old = RawPeer.wrap(s)) {
                old.expect(m -> m instanceof VersionMessage, RawPeer.WAIT);
                old.send(RawPeer.version(System.nanoTime() | 1, BLOCKS));
                old.send(EmptyMessage.VERACK);
                int getheadersIgnored = 0;
                List<Integer> invSizes = new ArrayList<>();
                Hash256 hashContinue = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!b.tip().equals(tip) && System.nanoTime() < deadline) {
                    Optional<Message> next = old.poll(m -> true, Duration.ofMillis(100));
                    if (next.isEmpty()) {
                        continue;
                    }
                    Message m = next.get();
                    if (m instanceof LocatorMessage l && l.kind() == LocatorMessage.Kind.GETHEADERS) {
                        getheadersIgnored++;
                    } else if (m instanceof LocatorMessage l) {
                        int from = 0;
                        for (Hash256 h : l.locator()) {
                            if (heightOf.containsKey(h)) {
                                from = heightOf.get(h);
                                break;
                            }
                        }
                        List<InvItem> inv = new ArrayList<>();
                        for (int i = from; i < BLOCKS && inv.size() < 500; i++) {
                            inv.add(new InvItem(InvItem.MSG_BLOCK, chain.get(i).hash()));
                        }
                        if (!inv.isEmpty()) {
                            invSizes.add(inv.size());
                            hashContinue = inv.size() == 500 ? inv.get(499).hash() : null;
                            old.send(InventoryMessage.inv(inv));
                        }
                    } else if (m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.GETDATA) {
                        for (InvItem item : i.items()) {
                            old.send(new BlockMessage(chain.get(heightOf.get(item.hash()) - 1), item.wantsWitness()));
                            if (item.hash().equals(hashContinue)) {
                                old.send(InventoryMessage.inv(List.of(new InvItem(InvItem.MSG_BLOCK, tip))));
                            }
                        }
                    }
                }
                assertEquals(tip, b.tip());
                assertTrue(getheadersIgnored >= 1, "the node tried headers first");
                assertEquals(List.of(500, BLOCKS - 500), invSizes, "two getblocks batches");
            }
        }
    }
}
