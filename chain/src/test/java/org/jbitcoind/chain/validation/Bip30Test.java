package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.testing.SharedData;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BIP30: no block may recreate an unspent output, until BIP34 made it impossible. */
class Bip30Test {
    private static final ChainParams MAIN = ChainParams.of(Network.MAIN);
    private static ScriptCheckQueue queue;

    @BeforeAll
    static void start() {
        queue = new ScriptCheckQueue(new ScriptVerifier(), 1);
    }

    @AfterAll
    static void stop() {
        queue.close();
    }

    /** Mainnet block 1's transactions under a made-up header on top of {@code prev}. */
    private static Block block1On(BlockIndex prev) {
        Block b1 = SharedData.blkBlocks("btcd/blocks1-256.bz2").get(0);
        BlockHeader h = new BlockHeader(1, prev.hash(), b1.header().merkleRoot(), prev.time() + 600,
                0x1d00ffffL, 7);
        return new Block(h, b1.transactions());
    }

    private static MemoryCoinsView withBlock1Coinbase(Hash256 best) {
        Block b1 = SharedData.blkBlocks("btcd/blocks1-256.bz2").get(0);
        MemoryCoinsView base = new MemoryCoinsView();
        base.put(new OutPoint(b1.transactions().get(0).txid(), 0),
                new Coin(b1.transactions().get(0).outputs().get(0), 1, true));
        base.setBestBlock(best);
        return base;
    }

    @Test
    void recreatingAnUnspentCoinbaseIsRejected() {
        BlockHeader rootHeader = new BlockHeader(1, Hash256.ZERO, Hash256.ZERO, 1_300_000_000L, 0x1d00ffffL, 1);
        BlockIndex prev = BlockIndex.detachedRoot(rootHeader.hash(), rootHeader, 100_000, BigInteger.ONE);
        Block dup = block1On(prev);
        BlockIndex index = new BlockIndex(dup.header(), prev);
        CoinsViewCache view = new CoinsViewCache(withBlock1Coinbase(prev.hash()));
        ValidationException e = assertThrows(ValidationException.class,
                () -> new BlockConnector(MAIN, queue).connectBlock(dup, index, view, true));
        assertEquals("bad-txns-BIP30", e.rejectReason());
    }

    @Test
    void skippedOnceTheBip34BlockIsAnAncestor() {
        BlockHeader bip34Header = new BlockHeader(2, Hash256.ZERO, Hash256.ZERO, 1_364_000_000L, 0x1a00ffffL, 1);
        BlockIndex bip34Block = BlockIndex.detachedRoot(MAIN.bip34Hash(), bip34Header, MAIN.bip34Height(),
                BigInteger.ONE);
        Block dup = block1On(bip34Block);
        BlockIndex index = new BlockIndex(dup.header(), bip34Block);
        CoinsViewCache view = new CoinsViewCache(withBlock1Coinbase(bip34Block.hash()));
        // BIP30 is not checked, so the duplicate coinbase gets as far as the amount rule (50 BTC is too
        // much at this height), having overwritten the old coin on the way.
        ValidationException e = assertThrows(ValidationException.class,
                () -> new BlockConnector(MAIN, queue).connectBlock(dup, index, view, true));
        assertEquals("bad-cb-amount", e.rejectReason());
        Coin c = view.accessCoin(new OutPoint(dup.transactions().get(0).txid(), 0));
        assertEquals(MAIN.bip34Height() + 1, c.height());
        assertTrue(c.coinbase());
    }

    @Test
    void disconnectingAnOverwrittenCoinbaseBlockIsStillClean() {
        // Block 91722's coinbase was overwritten by block 91880's: when 91722 is disconnected its
        // coinbase output may be missing, and that is expected rather than unclean.
        Block b1 = SharedData.blkBlocks("btcd/blocks1-256.bz2").get(0);
        BlockHeader parentHeader = new BlockHeader(1, Hash256.ZERO, Hash256.ZERO, 1_290_000_000L, 0x1b04864cL, 1);
        BlockIndex parent = BlockIndex.detachedRoot(b1.header().prevBlock(), parentHeader, 91_721, BigInteger.ONE);
        BlockConnector connector = new BlockConnector(MAIN, queue);
        org.jbitcoind.storage.BlockUndo noSpends = new org.jbitcoind.storage.BlockUndo(List.of());

        BlockIndex exception = new BlockIndex(MAIN.bip30DisconnectExceptions().get(91_722), b1.header(), parent);
        CoinsViewCache empty = new CoinsViewCache(new MemoryCoinsView());
        assertEquals(BlockConnector.DisconnectResult.OK, connector.disconnectBlock(b1, exception, noSpends, empty));
        assertEquals(parent.hash(), empty.bestBlock());

        // Any other block with a missing coinbase output is unclean.
        BlockIndex ordinary = new BlockIndex(b1.header(), parent);
        assertEquals(BlockConnector.DisconnectResult.UNCLEAN,
                connector.disconnectBlock(b1, ordinary, noSpends, new CoinsViewCache(new MemoryCoinsView())));
    }
}
