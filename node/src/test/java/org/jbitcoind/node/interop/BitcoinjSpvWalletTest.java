package org.jbitcoind.node.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bitcoinj.base.Coin;
import org.bitcoinj.core.BlockChain;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.Peer;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.VersionMessage;
import org.bitcoinj.net.NioClient;
import org.bitcoinj.crypto.ECKey;
import org.bitcoinj.params.RegTestParams;
import org.bitcoinj.store.MemoryBlockStore;
import org.bitcoinj.wallet.Wallet;
import org.jbitcoind.chain.filterindex.FilterRequestHandler;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.sync.LightClientServing;
import org.jbitcoind.node.testing.SyncNode;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bitcoinj 0.17.1, an independent BIP37 client: an SPV wallet holding one key syncs from jbitcoind
 * (-peerbloomfilters) on regtest with filtered blocks. The chain pays that key in some blocks and
 * unrelated scripts in all of them; the wallet ends with exactly the paid amount and jbitcoind sent
 * only the paying transactions.
 */
class BitcoinjSpvWalletTest {
    private static final int PAYING_BLOCKS = 5;

    @TempDir
    Path dir;

    @Test
    void bitcoinjWalletSyncsWithBloomFilters() throws Exception {
        ECKey key = new ECKey();
        key.setCreationTime(java.time.Instant.ofEpochSecond(RegtestBlocks.START_TIME - 3600));
        byte[] script = StandardScripts.payToPubkeyHash(key.getPubKeyHash());

        // 101 empty blocks, then blocks that each spend a matured coinbase: one transaction pays
        // the wallet (in every other block), one pays OP_TRUE outputs only.
        List<Block> chain = new ArrayList<>(RegtestBlocks.chain(Tip.genesis(), 101, 3));
        long paid = 0;
        int paying = 0;
        long expectedTxBytes = 0;
        long unrelatedTxBytes = 0;
        for (int i = 0; i < 2 * PAYING_BLOCKS; i++) {
            Block mature = chain.get(i);
            long value = RegtestBlocks.coinbaseValue(mature);
            List<Transaction> txs = new ArrayList<>();
            if (i % 2 == 0) {
                long amount = 1_000_000L * (i + 1);
                txs.add(new Transaction(2, List.of(new TxIn(RegtestBlocks.coinbaseOut(mature), new byte[0],
                        TxIn.SEQUENCE_FINAL)), List.of(new TxOut(amount, script),
                        new TxOut(value - amount, RegtestBlocks.OP_TRUE)), 0));
                paid += amount;
                paying++;
                expectedTxBytes += 24 + txs.get(0).serializeWithoutWitness().length;
            } else {
                txs.add(RegtestBlocks.spend(RegtestBlocks.coinbaseOut(mature), value, 3, 0));
                unrelatedTxBytes += 24 + txs.get(0).serializeWithoutWitness().length;
            }
            chain.add(RegtestBlocks.block(RegtestBlocks.tipOf(Tip.genesis(), chain), 3, txs, 0, 0));
        }

        try (SyncNode node = SyncNode.start(dir.resolve("node"), RegtestBlocks.options(), SyncNode.TEST_SYNC,
                b -> b.services(P2pConfig.servicesFor(false, true, false)),
                c -> new LightClientServing(true, FilterRequestHandler.of(c, null)))) {
            node.feed(chain);
            NetworkParameters params = RegTestParams.get();
            Context.propagate(new Context());
            Wallet wallet = Wallet.createBasic(params.network());
            wallet.importKey(key);
            BlockChain spv = new BlockChain(params.network(), wallet, new MemoryBlockStore(params.getGenesisBlock()));
            Peer peer = new Peer(params, new VersionMessage(params, 0), PeerAddress.simple(node.address()), spv);
            NioClient client = new NioClient(node.address(), peer, Duration.ofSeconds(5));
            try {
                peer.getVersionHandshakeFuture().get(15, TimeUnit.SECONDS);
                peer.setBloomFilter(wallet.getBloomFilter(0.00001), false);
                peer.setDownloadData(true);
                // The key is older than every block: bitcoinj fetches them all, as filtered blocks.
                peer.setFastDownloadParameters(true, key.getCreationTime().orElseThrow());
                peer.startBlockChainDownload();
                int height = chain.size();
                try {
                    Waits.until(() -> spv.getBestChainHeight() >= height - 1, Duration.ofSeconds(30),
                            "bitcoinj at height " + (height - 1));
                    // bitcoinj completes a filtered block only when a message other than tx follows
                    // it; after the last one nothing does, so a ping's pong ends it (bounded retries,
                    // since the pong may overtake the merkleblock).
                    for (int i = 0; i < 20 && spv.getBestChainHeight() < height; i++) {
                        peer.sendPing().get(5, TimeUnit.SECONDS);
                        Thread.sleep(100);
                    }
                    assertEquals(height, spv.getBestChainHeight());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + " (is at " + spv.getBestChainHeight() + "; peers "
                            + node.connman().peers().stream().map(p -> p.traffic().receivedPerMessage() + " / "
                                    + p.traffic().sentPerMessage() + " " + p.disconnectReason()).toList() + ")", e);
                }
                assertEquals(node.tip().toString(), spv.getChainHead().getHeader().getHash().toString());
                long expected = paid;
                Waits.until(() -> wallet.getBalance(Wallet.BalanceType.ESTIMATED).getValue() == expected,
                        Duration.ofSeconds(20), "balance " + expected);
                assertEquals(Coin.valueOf(paid), wallet.getBalance(Wallet.BalanceType.ESTIMATED));
                assertEquals(paying, wallet.getTransactions(false).size());
                Map<String, Long> sent = node.connman().peers().get(0).traffic().sentPerMessage();
                assertTrue(sent.getOrDefault("merkleblock", 0L) > 0, "filtered blocks served: " + sent);
                assertFalse(sent.containsKey("block"), "no full blocks: " + sent);
                // Frame bytes (24-byte header + payload): every paying transaction, and of the unrelated
                // ones at most a few. A bloom filter may match an unrelated transaction by design
                // (BIP37 false positives, and bitcoinj re-requests blocks after it recalculates its
                // filter), so exact equality would fail now and then; sending all of them would not.
                long txBytes = sent.getOrDefault("tx", 0L);
                assertTrue(txBytes >= expectedTxBytes, "every paying transaction sent: " + sent);
                assertTrue(txBytes <= expectedTxBytes + unrelatedTxBytes / 2,
                        "unrelated transactions filtered out (" + unrelatedTxBytes + " bytes of them): " + sent);
            } finally {
                client.closeConnection();
            }
        }
    }
}
