package org.jbitcoind.node.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bitcoinj.core.BlockChain;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.Peer;
import org.bitcoinj.core.VersionMessage;
import org.bitcoinj.net.NioClient;
import org.bitcoinj.params.RegTestParams;
import org.bitcoinj.store.MemoryBlockStore;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.primitives.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bitcoinj 0.17.1, an independent implementation, downloads every block header from jbitcoind on regtest. */
class BitcoinjHeadersSyncTest {
    private static final int BLOCKS = 500;

    @TempDir
    Path dir;

    @Test
    void bitcoinjDownloadsAllHeaders() throws Exception {
        List<Block> chain = RegtestBlocks.spendingChain(BLOCKS);
        try (SyncNode node = SyncNode.start(dir.resolve("node"))) {
            node.feed(chain);
            NetworkParameters params = RegTestParams.get();
            Context.propagate(new Context());
            BlockChain spv = new BlockChain(params.network(), new MemoryBlockStore(params.getGenesisBlock()));
            Peer peer = new Peer(params, new VersionMessage(params, 0), PeerAddress.simple(node.address()), spv);
            NioClient client = new NioClient(node.address(), peer, Duration.ofSeconds(5));
            try {
                peer.getVersionHandshakeFuture().get(15, TimeUnit.SECONDS);
                // Every block is older than this: bitcoinj asks for headers only (getheaders).
                peer.setFastDownloadParameters(false, Instant.now().plus(Duration.ofDays(1)));
                peer.startBlockChainDownload();
                Waits.until(() -> spv.getBestChainHeight() == BLOCKS, Duration.ofSeconds(60),
                        "bitcoinj at height " + BLOCKS + " (is at " + spv.getBestChainHeight() + ")");
                assertEquals(node.tip().toString(), spv.getChainHead().getHeader().getHash().toString());
                var sent = node.connman().peers().get(0).traffic().sentPerMessage();
                assertTrue(sent.getOrDefault("headers", 0L) > BLOCKS * 80L, "served as headers: " + sent);
                assertFalse(sent.containsKey("block"), "no block bodies: " + sent);
            } finally {
                client.closeConnection();
            }
        }
    }
}
