package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.crypto.Secp256k1Backend;
import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.jbitcoind.chain.crypto.SignatureCache;
import org.jbitcoind.chain.crypto.SignatureVerifier;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.testing.CountingSecp256k1;
import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.RegtestChain;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.chain.validation.BlockConnector;
import org.jbitcoind.chain.validation.BlockScriptFlags;
import org.jbitcoind.chain.validation.ScriptCheckQueue;
import org.jbitcoind.chain.validation.ScriptExecutionCache;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The script execution cache between the mempool and block connection: what the precheck and the
 * acceptance record, that a hit under the exact flags skips the scripts and any other flags do
 * not, that connectBlock skips the scripts of transactions accepted under its flags, and that the
 * precheck's coins spare the acceptance a second read while the tip stands.
 */
class ScriptExecutionCacheMempoolTest {
    private final ScriptExecutionCache cache = new ScriptExecutionCache(10_000);
    private MempoolFixture f;

    @BeforeEach
    void setUp() throws ValidationException {
        f = new MempoolFixture();
        f.pool = new TxMempool(MempoolOptions.defaults(), new ScriptVerifier(new SignatureCache(10_000), true),
                f.clock::get, cache);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** The consensus flags of the block after the fixture's tip. */
    private int nextBlockFlags() {
        BlockIndex tip = f.chain.tip();
        return BlockScriptFlags.get(new BlockIndex(new BlockHeader(tip.version(), tip.hash(), Hash256.ZERO,
                tip.time(), tip.bits(), 0), tip), RegtestChain.PARAMS);
    }

    private Transaction badSignature(int height) {
        Utxo coin = f.coinbase(height);
        return f.pay(new Utxo(coin.outpoint(), coin.output(), TestWallet.key(7)), 1_000);
    }

    @Test
    void precheckRecordsStandardAndNextBlockFlags() {
        Transaction tx = f.pay(f.coinbase(1), 1_000);
        assertTrue(f.pool.precheckScripts(tx, f.chain.context()));
        assertTrue(cache.contains(tx.wtxid(), Policy.STANDARD_SCRIPT_VERIFY_FLAGS, false));
        assertTrue(cache.contains(tx.wtxid(), nextBlockFlags(), false));
        assertFalse(cache.contains(tx.wtxid(), ScriptFlags.P2SH, false), "flags never checked");
    }

    @Test
    void anInvalidTransactionIsNeverRecorded() {
        Transaction bad = badSignature(2);
        assertFalse(f.pool.precheckScripts(bad, f.chain.context()));
        assertThrows(ValidationException.class, () -> f.accept(bad));
        assertFalse(cache.contains(bad.wtxid(), Policy.STANDARD_SCRIPT_VERIFY_FLAGS, false));
        assertFalse(cache.contains(bad.wtxid(), nextBlockFlags(), false));
    }

    @Test
    void acceptanceWithoutPrecheckRecordsBoth() throws ValidationException {
        Transaction tx = f.pay(f.coinbase(3), 1_000);
        f.accept(tx);
        assertTrue(cache.contains(tx.wtxid(), Policy.STANDARD_SCRIPT_VERIFY_FLAGS, false));
        assertTrue(cache.contains(tx.wtxid(), nextBlockFlags(), false));
    }

    @Test
    void aHitUnderBothFlagSetsSkipsTheScripts() throws ValidationException {
        // Planted entries stand for a past successful check: acceptance must trust them and run no
        // script, so even a broken signature goes through. (Only validation ever adds entries.)
        Transaction bad = badSignature(4);
        cache.add(bad.wtxid(), Policy.STANDARD_SCRIPT_VERIFY_FLAGS);
        cache.add(bad.wtxid(), nextBlockFlags());
        f.accept(bad);
        assertTrue(f.pool.contains(bad.txid()));
    }

    @Test
    void entriesUnderOtherFlagsDoNotSkipTheScripts() {
        Transaction bad = badSignature(5);
        // The standard flags alone, and the next block's flags with one rule missing: neither is enough.
        cache.add(bad.wtxid(), Policy.STANDARD_SCRIPT_VERIFY_FLAGS);
        cache.add(bad.wtxid(), nextBlockFlags() & ~ScriptFlags.TAPROOT);
        ValidationException e = assertThrows(ValidationException.class, () -> f.accept(bad));
        assertTrue(e.rejectReason().startsWith("mandatory-script-verify-flag-failed"), e.rejectReason());
        assertFalse(f.pool.contains(bad.txid()));
    }

    @Test
    void connectBlockSkipsTheScriptsOfAcceptedTransactionsUnderItsFlags() throws ValidationException {
        Transaction tx = f.pay(f.coinbase(6), 1_000);
        f.accept(tx);
        Block block = blockOnTip(List.of(tx));
        BlockIndex index = new BlockIndex(block.header(), f.chain.tip());
        AtomicInteger checks = new AtomicInteger();
        try (ScriptCheckQueue queue = countingQueue(checks)) {
            BlockConnector connector = new BlockConnector(RegtestChain.PARAMS, queue);
            connector.connectBlock(block, index, new CoinsViewCache(f.chain.coins()), true, cache);
            assertEquals(0, checks.get(), "script checks of a cached transaction");
            // The hit was used up: the same block on another view checks the scripts.
            connector.connectBlock(block, index, new CoinsViewCache(f.chain.coins()), true, cache);
            assertEquals(1, checks.get());
            // Without the cache every input is checked.
            connector.connectBlock(block, index, new CoinsViewCache(f.chain.coins()), true);
            assertEquals(2, checks.get());
        }
    }

    @Test
    void aBlockWithAnInvalidScriptCachedUnderOtherFlagsIsStillInvalid() {
        Transaction bad = badSignature(7);
        cache.add(bad.wtxid(), Policy.STANDARD_SCRIPT_VERIFY_FLAGS);
        Block block = blockOnTip(List.of(bad));
        BlockIndex index = new BlockIndex(block.header(), f.chain.tip());
        try (ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 1)) {
            ValidationException e = assertThrows(ValidationException.class, () -> new BlockConnector(
                    RegtestChain.PARAMS, queue).connectBlock(block, index, new CoinsViewCache(f.chain.coins()), true,
                    cache));
            assertTrue(e.rejectReason().startsWith("mandatory-script-verify-flag-failed"), e.rejectReason());
        }
    }

    @Test
    void acceptanceUsesThePrecheckCoinsWhileTheTipStands() throws ValidationException {
        CountingCoins counting = new CountingCoins(f.chain.coins());
        ChainContext ctx = new ChainContext(counting, f.chain.tip(), RegtestChain.PARAMS);
        Transaction tx = f.pay(f.coinbase(8), 1_000);
        TxMempool.Precheck p = f.pool.precheck(tx, ctx);
        assertTrue(p.scriptsPassed());
        assertEquals(1, counting.reads.get(), "the precheck reads all inputs in one step");
        f.pool.accept(tx, ctx, p);
        assertEquals(1, counting.reads.get(), "the acceptance read nothing more");

        Transaction other = f.pay(f.coinbase(9), 1_000);
        TxMempool.Precheck stale = f.pool.precheck(other, ctx);
        f.chain.mine(List.of(), 0, f.minerKey.script(TestWallet.Kind.P2WPKH));
        ChainContext moved = new ChainContext(counting, f.chain.tip(), RegtestChain.PARAMS);
        int before = counting.reads.get();
        f.pool.accept(other, moved, stale);
        assertEquals(before + 1, counting.reads.get(), "a new tip: the coins are read again");
        assertTrue(f.pool.contains(other.txid()));
    }

    private Block blockOnTip(List<Transaction> txs) {
        BlockIndex tip = f.chain.tip();
        int height = tip.height() + 1;
        long time = f.chain.nextTime();
        long bits = Pow.getNextWorkRequired(tip, new BlockHeader(0, tip.hash(), Hash256.ZERO, time, 0, 0),
                RegtestChain.PARAMS);
        return BlockMaker.mine(RegtestChain.PARAMS, tip.hash(), height, time, bits, new BlockMaker.CoinbaseSpec(
                f.minerKey.script(TestWallet.Kind.P2WPKH), Subsidy.getBlockSubsidy(height, RegtestChain.PARAMS),
                new byte[] {(byte) height, 0x43}), txs, true);
    }

    /** A one-thread check queue whose (uncached) verifier counts the signatures it verifies. */
    private static ScriptCheckQueue countingQueue(AtomicInteger checks) {
        Secp256k1Backend counting = new CountingSecp256k1(Secp256k1Provider.get(), checks);
        return new ScriptCheckQueue(new ScriptVerifier(new SignatureVerifier(counting, null), false), 1);
    }

    /** Counts reads of the chain's coins: single lookups and whole-transaction reads. */
    private static final class CountingCoins implements CoinsView {
        final AtomicInteger reads = new AtomicInteger();
        private final CoinsView base;

        CountingCoins(CoinsView base) {
            this.base = base;
        }

        @Override
        public Optional<Coin> getCoin(OutPoint outpoint) {
            reads.incrementAndGet();
            return base.getCoin(outpoint);
        }

        @Override
        public Read readCoins(List<OutPoint> outpoints) {
            reads.incrementAndGet();
            Read r = CoinsView.super.readCoins(outpoints);
            reads.addAndGet(-outpoints.size()); // counted once, not per input
            return r;
        }

        @Override
        public Hash256 bestBlock() {
            return base.bestBlock();
        }
    }
}
