package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.jbitcoind.chain.coins.CoinsBatch;
import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.testing.RealBlockFixture;
import org.jbitcoind.chain.testing.SyntheticAncestry;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full validation, every script included, of the real blocks whose spent outputs are in the test
 * data, and of mainnet 0-4312 connected from genesis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealBlockValidationTest {
    /** Ancestors made up below single blocks: more than the assumed coin depth, so time locks resolve. */
    private static final int SYNTHETIC_DEPTH = RealBlockFixture.ASSUMED_COIN_DEPTH + 20;

    private final ScriptVerifier verifier = new ScriptVerifier();
    private ScriptCheckQueue queue;
    private List<RealBlockFixture> fixtures;

    @BeforeAll
    void setUp() {
        queue = ScriptCheckQueue.sizedToCores(verifier);
        fixtures = RealBlockFixture.all();
    }

    @AfterAll
    void tearDown() {
        queue.close();
    }

    Stream<RealBlockFixture> blocks() {
        return RealBlockFixture.all().stream();
    }


    private BlockIndex indexOf(RealBlockFixture f, Block block) {
        return SyntheticAncestry.indexFor(block.header(), f.height(), Math.min(SYNTHETIC_DEPTH, f.height()));
    }

    private BlockUndo connect(RealBlockFixture f, Block block, CoinsViewCache view) throws ValidationException {
        ChainParams params = ChainParams.of(f.network());
        BlockConnector connector = new BlockConnector(params, queue);
        return connector.connectBlock(block, indexOf(f, f.block()), view, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void blockPassesFullValidationAndCoinbaseEqualsSubsidyPlusFees(RealBlockFixture f) throws Exception {
        ChainParams params = ChainParams.of(f.network());
        Block block = f.block();
        assertEquals(f.inputCount(), f.spent().size(), "one spent coin per input");
        BlockIndex index = indexOf(f, block);

        BlockChecks.checkBlock(block, params, verifier);
        ContextualChecks.contextualCheckBlock(block, index.prev(), params);

        MemoryCoinsView base = f.baseView();
        CoinsViewCache view = new CoinsViewCache(base);
        BlockUndo undo = new BlockConnector(params, queue).connectBlock(block, index, view, true);

        assertEquals(block.transactions().size() - 1, undo.txUndos().size());
        assertEquals(f.inputCount(), undo.spentCount());
        assertEquals(index.hash(), view.bestBlock());

        // Fees computed independently from the data file's coins.
        long in = 0;
        long out = 0;
        for (Coin c : f.spent()) {
            in += c.output().value();
        }
        for (Transaction tx : block.transactions().subList(1, block.transactions().size())) {
            for (TxOut o : tx.outputs()) {
                out += o.value();
            }
        }
        long coinbase = 0;
        for (TxOut o : block.transactions().get(0).outputs()) {
            coinbase += o.value();
        }
        assertEquals(Subsidy.getBlockSubsidy(f.height(), params) + (in - out), coinbase);
    }

    /** Inputs whose signature we can find and whose failure we can predict, one per script kind. */
    private record SigTarget(int txIndex, int inputIndex, boolean inWitness, ScriptError expected, String kind) {
    }

    private static List<SigTarget> sigTargets(RealBlockFixture f) {
        Map<OutPoint, Coin> spent = f.spentByOutpoint();
        Set<Hash256> spentInBlock = new HashSet<>();
        for (Transaction tx : f.block().transactions()) {
            for (TxIn in : tx.inputs()) {
                spentInBlock.add(in.prevout().txid());
            }
        }
        List<SigTarget> targets = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        List<Transaction> txs = f.block().transactions();
        for (int t = 1; t < txs.size(); t++) {
            Transaction tx = txs.get(t);
            for (int i = 0; i < tx.inputs().size(); i++) {
                TxIn in = tx.inputs().get(i);
                byte[] spk = spent.get(in.prevout()).output().scriptPubKey();
                String kind = null;
                boolean witness = false;
                ScriptError expected = ScriptError.EVAL_FALSE;
                if (spk.length == 22 && spk[0] == 0 && spk[1] == 20 && in.witness().size() == 2) {
                    kind = "p2wpkh";
                    witness = true;
                } else if (spk.length == 34 && spk[0] == 0x51 && spk[1] == 32 && in.witness().size() == 1
                        && (in.witness().get(0).length == 64 || in.witness().get(0).length == 65)) {
                    kind = "p2tr-keypath";
                    witness = true;
                    expected = ScriptError.SCHNORR_SIG;
                } else if (spk.length == 25 && (spk[0] & 0xff) == 0x76 && (spk[1] & 0xff) == 0xa9
                        && in.witness().isEmpty() && !spentInBlock.contains(tx.txid())) {
                    kind = "p2pkh";
                } else if ((spk.length == 35 || spk.length == 67) && (spk[spk.length - 1] & 0xff) == 0xac
                        && in.witness().isEmpty() && !spentInBlock.contains(tx.txid())) {
                    kind = "p2pk";
                }
                if (kind != null && kinds.add(kind)) {
                    targets.add(new SigTarget(t, i, witness, expected, kind));
                }
            }
        }
        return targets;
    }

    private static Block flipSignatureByte(Block block, SigTarget target) {
        List<Transaction> txs = new ArrayList<>(block.transactions());
        Transaction tx = txs.get(target.txIndex());
        List<TxIn> ins = new ArrayList<>(tx.inputs());
        TxIn in = ins.get(target.inputIndex());
        if (target.inWitness()) {
            List<byte[]> w = new ArrayList<>(in.witness());
            byte[] sig = w.get(0).clone();
            sig[10] ^= 0x01;
            w.set(0, sig);
            ins.set(target.inputIndex(), in.withWitness(w));
        } else {
            // scriptSig starts with a direct push of the signature: its bytes start at offset 1.
            byte[] s = in.scriptSig().clone();
            s[1 + 10] ^= 0x01;
            ins.set(target.inputIndex(), in.withScriptSig(s));
        }
        txs.set(target.txIndex(), new Transaction(tx.version(), ins, tx.outputs(), tx.lockTime()));
        return new Block(block.header(), txs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void flippedSignatureByteFailsWithScriptError(RealBlockFixture f) {
        List<SigTarget> targets = sigTargets(f);
        assertFalse(targets.isEmpty(), "no signature found to corrupt");
        for (SigTarget target : targets) {
            Block bad = flipSignatureByte(f.block(), target);
            ValidationException e = assertThrows(ValidationException.class,
                    () -> connect(f, bad, new CoinsViewCache(f.baseView())), target.kind());
            assertEquals("mandatory-script-verify-flag-failed (" + target.expected().description() + ")",
                    e.rejectReason(), target.kind());
            assertEquals(ValidationException.Result.CONSENSUS, e.result());
        }
    }

    private static Block raiseOutput(Block block, int txIndex) {
        List<Transaction> txs = new ArrayList<>(block.transactions());
        Transaction tx = txs.get(txIndex);
        List<TxOut> outs = new ArrayList<>(tx.outputs());
        TxOut first = outs.get(0);
        outs.set(0, new TxOut(first.value() + 1, first.scriptPubKey()));
        txs.set(txIndex, new Transaction(tx.version(), tx.inputs(), outs, tx.lockTime()));
        return new Block(block.header(), txs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void coinbaseOneSatoshiTooHighFailsBadCbAmount(RealBlockFixture f) {
        Block bad = raiseOutput(f.block(), 0);
        ValidationException e = assertThrows(ValidationException.class,
                () -> connect(f, bad, new CoinsViewCache(f.baseView())));
        assertEquals("bad-cb-amount", e.rejectReason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void spendOneSatoshiMoreFailsBadCbAmount(RealBlockFixture f) {
        // A transaction that pays a fee and whose outputs the block does not spend (so its new txid is
        // harmless): its fee drops by one, so the exactly-full coinbase now pays one too many.
        int target = lastFeePayingUnspentTx(f);
        Block bad = raiseOutput(f.block(), target);
        ValidationException e = assertThrows(ValidationException.class,
                () -> connect(f, bad, new CoinsViewCache(f.baseView())));
        assertEquals("bad-cb-amount", e.rejectReason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void spendingMoreThanInputsFailsInBelowOut(RealBlockFixture f) {
        int target = lastFeePayingUnspentTx(f);
        Transaction tx = f.block().transactions().get(target);
        long fee = feeOf(f, tx);
        List<Transaction> txs = new ArrayList<>(f.block().transactions());
        List<TxOut> outs = new ArrayList<>(tx.outputs());
        outs.set(0, new TxOut(outs.get(0).value() + fee + 1, outs.get(0).scriptPubKey()));
        txs.set(target, new Transaction(tx.version(), tx.inputs(), outs, tx.lockTime()));
        Block bad = new Block(f.block().header(), txs);
        ValidationException e = assertThrows(ValidationException.class,
                () -> connect(f, bad, new CoinsViewCache(f.baseView())));
        assertEquals("bad-txns-in-belowout", e.rejectReason());
    }

    private static long feeOf(RealBlockFixture f, Transaction tx) {
        Map<OutPoint, Coin> spent = f.spentByOutpoint();
        long in = 0;
        for (TxIn i : tx.inputs()) {
            in += spent.get(i.prevout()).output().value();
        }
        return in - valueOut(tx);
    }

    private static int lastFeePayingUnspentTx(RealBlockFixture f) {
        Set<Hash256> spentInBlock = new HashSet<>();
        List<Transaction> txs = f.block().transactions();
        for (Transaction tx : txs) {
            for (TxIn in : tx.inputs()) {
                spentInBlock.add(in.prevout().txid());
            }
        }
        for (int t = txs.size() - 1; t > 0; t--) {
            if (!spentInBlock.contains(txs.get(t).txid()) && feeOf(f, txs.get(t)) > 0) {
                return t;
            }
        }
        throw new IllegalStateException("no fee-paying transaction in " + f);
    }

    @Test
    void missingAndImmatureInputsFail() throws Exception {
        RealBlockFixture f = fixtures.stream().filter(x -> x.height() == 866_342).findFirst().orElseThrow();
        ChainParams params = ChainParams.of(f.network());
        BlockConnector connector = new BlockConnector(params, queue);
        BlockIndex index = indexOf(f, f.block());
        OutPoint firstSpend = f.block().transactions().get(1).inputs().get(0).prevout();

        MemoryCoinsView missing = f.baseView();
        missing.batchWrite(new CoinsBatch(List.of(new CoinsBatch.Change(firstSpend, null, false)),
                missing.bestBlock()));
        ValidationException e = assertThrows(ValidationException.class,
                () -> connector.connectBlock(f.block(), index, new CoinsViewCache(missing), false));
        assertEquals("bad-txns-inputs-missingorspent", e.rejectReason());
        assertEquals(ValidationException.Result.CONSENSUS, e.result());

        // The same coin as a coinbase output 99 blocks deep has not matured; 100 deep has.
        Coin real = f.spentByOutpoint().get(firstSpend);
        MemoryCoinsView immature = f.baseView();
        immature.put(firstSpend, new Coin(real.output(), f.height() - 99, true));
        assertEquals("bad-txns-premature-spend-of-coinbase", assertThrows(ValidationException.class,
                () -> connector.connectBlock(f.block(), index, new CoinsViewCache(immature), false)).rejectReason());
        MemoryCoinsView mature = f.baseView();
        mature.put(firstSpend, new Coin(real.output(), f.height() - 100, true));
        connector.connectBlock(f.block(), index, new CoinsViewCache(mature), false);
    }

    @Test
    void connectThenDisconnectRestoresExactCoinSet() throws Exception {
        RealBlockFixture f = fixtures.stream().filter(x -> x.height() == 277_647).findFirst().orElseThrow();
        MemoryCoinsView base = f.baseView();
        Map<OutPoint, Coin> before = base.snapshot();
        Hash256 bestBefore = base.bestBlock();

        CoinsViewCache view = new CoinsViewCache(base);
        BlockIndex index = indexOf(f, f.block());
        BlockConnector connector = new BlockConnector(ChainParams.of(f.network()), queue);
        BlockUndo undo = connector.connectBlock(f.block(), index, view, true);
        view.flush();
        assertEquals(index.hash(), base.bestBlock());
        assertFalse(base.snapshot().equals(before));

        CoinsViewCache view2 = new CoinsViewCache(base);
        assertEquals(BlockConnector.DisconnectResult.OK, connector.disconnectBlock(f.block(), index, undo, view2));
        view2.flush();
        assertEquals(before, base.snapshot());
        assertEquals(bestBefore, base.bestBlock());
    }

    @Test
    void disconnectOnWrongStateIsUnclean() throws Exception {
        RealBlockFixture f = fixtures.stream().filter(x -> x.height() == 300_025).findFirst().orElseThrow();
        MemoryCoinsView base = f.baseView();
        CoinsViewCache view = new CoinsViewCache(base);
        BlockIndex index = indexOf(f, f.block());
        BlockConnector connector = new BlockConnector(ChainParams.of(f.network()), queue);
        BlockUndo undo = connector.connectBlock(f.block(), index, view, true);
        // Spend one of the block's new outputs behind the block's back: the disconnect cannot match it.
        Transaction lastTx = f.block().transactions().get(f.block().transactions().size() - 1);
        view.spendCoin(new OutPoint(lastTx.txid(), 0));
        assertEquals(BlockConnector.DisconnectResult.UNCLEAN, connector.disconnectBlock(f.block(), index, undo, view));
        // Undo data for another block does not fit at all.
        assertEquals(BlockConnector.DisconnectResult.FAILED,
                connector.disconnectBlock(f.block(), index, new BlockUndo(List.of()), new CoinsViewCache(base)));
    }

    @Test
    void mainnetFirst4313BlocksFromGenesis() throws Exception {
        ChainParams params = ChainParams.of(Network.MAIN);
        List<Block> blocks = SharedData.blkBlocks("jeffchan-blockchain-parser/blk00000.dat");
        assertEquals(4313, blocks.size());
        MemoryCoinsView base = new MemoryCoinsView();
        CoinsViewCache view = new CoinsViewCache(base);
        BlockConnector connector = new BlockConnector(params, queue);
        long now = System.currentTimeMillis() / 1000;
        BlockIndex prev = null;
        long scriptInputs = 0;
        for (Block block : blocks) {
            BlockIndex index = new BlockIndex(block.header(), prev);
            BlockChecks.checkBlock(block, params, verifier);
            if (prev != null) {
                ContextualChecks.contextualCheckBlockHeader(block.header(), prev, params, now);
            }
            ContextualChecks.contextualCheckBlock(block, prev, params);
            long fees = feesOf(block, view);
            connector.connectBlock(block, index, view, true);
            if (index.height() > 0) {
                assertEquals(Subsidy.getBlockSubsidy(index.height(), params) + fees,
                        valueOut(block.transactions().get(0)), "coinbase of " + index.height());
            }
            for (Transaction tx : block.transactions()) {
                scriptInputs += tx.isCoinbase() ? 0 : tx.inputs().size();
            }
            if (index.height() % 1000 == 999) {
                view.flush(); // exercise flushing mid-run
            }
            prev = index;
        }
        view.flush();
        assertEquals(4312, prev.height());
        assertEquals("00000000a9da635727dce622d78361b153ce3334e6a60d4377fad529abfc7863", prev.hash().toString());
        assertEquals(247, scriptInputs);
        assertEquals(prev.hash(), base.bestBlock());
        assertEquals(4149, base.size());
        long total = 0;
        for (Coin c : base.snapshot().values()) {
            total += c.output().value();
        }
        assertEquals(21_560_000_000_000L, total);
    }

    @Test
    void mainnetChainDisconnectedBackToGenesisRestoresEveryEarlierState() throws Exception {
        ChainParams params = ChainParams.of(Network.MAIN);
        List<Block> blocks = SharedData.blkBlocks("jeffchan-blockchain-parser/blk00000.dat");
        MemoryCoinsView base = new MemoryCoinsView();
        BlockConnector connector = new BlockConnector(params, queue);
        List<BlockIndex> indexes = new ArrayList<>();
        List<BlockUndo> undos = new ArrayList<>();
        Map<Integer, Map<OutPoint, Coin>> snapshots = new java.util.HashMap<>();
        BlockIndex prev = null;
        CoinsViewCache view = new CoinsViewCache(base);
        for (Block block : blocks) {
            BlockIndex index = new BlockIndex(block.header(), prev);
            undos.add(connector.connectBlock(block, index, view, false));
            indexes.add(index);
            if (index.height() % 500 == 0 || index.height() == 169 || index.height() == 170) {
                view.flush();
                snapshots.put(index.height(), base.snapshot());
            }
            prev = index;
        }
        view.flush();
        for (int h = blocks.size() - 1; h >= 1; h--) {
            CoinsViewCache v = new CoinsViewCache(base);
            assertEquals(BlockConnector.DisconnectResult.OK,
                    connector.disconnectBlock(blocks.get(h), indexes.get(h), undos.get(h), v), "height " + h);
            v.flush();
            Map<OutPoint, Coin> expected = snapshots.get(h - 1);
            if (expected != null) {
                assertEquals(expected, base.snapshot(), "state after disconnecting to " + (h - 1));
            }
            assertEquals(indexes.get(h - 1).hash(), base.bestBlock());
        }
        assertEquals(0, base.size());
    }

    @Test
    void mainnetBlock170WithCorruptSignatureOrOverpayingCoinbaseFails() throws Exception {
        ChainParams params = ChainParams.of(Network.MAIN);
        List<Block> blocks = SharedData.blkBlocks("jeffchan-blockchain-parser/blk00000.dat").subList(0, 171);
        MemoryCoinsView base = new MemoryCoinsView();
        CoinsViewCache view = new CoinsViewCache(base);
        BlockConnector connector = new BlockConnector(params, queue);
        BlockIndex prev = null;
        for (Block block : blocks.subList(0, 170)) {
            BlockIndex index = new BlockIndex(block.header(), prev);
            connector.connectBlock(block, index, view, true);
            prev = index;
        }
        view.flush();
        Block b170 = blocks.get(170);
        BlockIndex index = new BlockIndex(b170.header(), prev);

        Block badSig = flipSignatureByte(b170, new SigTarget(1, 0, false, ScriptError.EVAL_FALSE, "p2pk"));
        ValidationException e = assertThrows(ValidationException.class,
                () -> connector.connectBlock(badSig, index, new CoinsViewCache(base), true));
        assertEquals("mandatory-script-verify-flag-failed (" + ScriptError.EVAL_FALSE.description() + ")",
                e.rejectReason());

        ValidationException e2 = assertThrows(ValidationException.class,
                () -> connector.connectBlock(raiseOutput(b170, 0), index, new CoinsViewCache(base), true));
        assertEquals("bad-cb-amount", e2.rejectReason());

        // Skipping scripts (assumed valid) accepts the corrupted signature.
        connector.connectBlock(badSig, index, new CoinsViewCache(base), false);
        // And the real block passes.
        CoinsViewCache ok = new CoinsViewCache(base);
        connector.connectBlock(b170, index, ok, true);
        assertTrue(ok.haveCoin(new OutPoint(b170.transactions().get(1).txid(), 0)));
    }

    private static long feesOf(Block block, CoinsViewCache view) {
        // Inputs may spend outputs of the same block, so collect those first.
        Map<OutPoint, TxOut> inBlock = new java.util.HashMap<>();
        for (Transaction tx : block.transactions()) {
            for (int i = 0; i < tx.outputs().size(); i++) {
                inBlock.put(new OutPoint(tx.txid(), i), tx.outputs().get(i));
            }
        }
        long fees = 0;
        for (Transaction tx : block.transactions()) {
            if (tx.isCoinbase()) {
                continue;
            }
            long in = 0;
            for (TxIn i : tx.inputs()) {
                TxOut o = inBlock.get(i.prevout());
                in += o != null ? o.value() : view.getCoin(i.prevout()).orElseThrow().output().value();
            }
            fees += in - valueOut(tx);
        }
        return fees;
    }

    private static long valueOut(Transaction tx) {
        long v = 0;
        for (TxOut o : tx.outputs()) {
            v += o.value();
        }
        return v;
    }
}
