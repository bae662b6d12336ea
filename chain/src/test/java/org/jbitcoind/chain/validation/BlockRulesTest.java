package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.testing.HeaderChains;
import org.jbitcoind.chain.testing.RealBlockFixture;
import org.jbitcoind.chain.testing.SyntheticAncestry;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Block rules exercised one at a time on altered real blocks and constructed headers. */
class BlockRulesTest {
    private static final ChainParams MAIN = ChainParams.of(Network.MAIN);
    private final ScriptVerifier verifier = new ScriptVerifier();

    private static RealBlockFixture fixture(int height) {
        return RealBlockFixture.all().stream().filter(f -> f.height() == height).findFirst().orElseThrow();
    }

    private static BlockIndex parentOf(RealBlockFixture f) {
        return SyntheticAncestry.indexFor(f.block().header(), f.height(), 20).prev();
    }

    private static Block withCoinbase(Block b, Transaction cb) {
        List<Transaction> txs = new ArrayList<>(b.transactions());
        txs.set(0, cb);
        return new Block(b.header(), txs);
    }

    private static String contextualFailure(Block b, BlockIndex prev, ChainParams p) {
        return assertThrows(ValidationException.class, () -> ContextualChecks.contextualCheckBlock(b, prev, p))
                .rejectReason();
    }

    @ParameterizedTest(name = "height {0}")
    @CsvSource({"0, 00", "1, 51", "16, 60", "17, 0111", "127, 017f", "128, 028000", "255, 02ff00", "256, 020001",
        "227931, 035b7a03", "866342, 0326380d", "8388607, 03ffff7f", "8388608, 0400008000"})
    void bip34HeightScript(int height, String hex) {
        assertArrayEquals(Hex.decode(hex), ContextualChecks.heightScript(height));
    }

    @Test
    void bip34CoinbaseHeightMismatch() throws ValidationException {
        RealBlockFixture f = fixture(866_342);
        BlockIndex prev = parentOf(f);
        ContextualChecks.contextualCheckBlock(f.block(), prev, MAIN);
        Transaction cb = f.block().transactions().get(0);
        byte[] sig = cb.inputs().get(0).scriptSig().clone();
        sig[1] ^= 0x01; // the height's low byte
        Transaction bad = new Transaction(cb.version(), List.of(cb.inputs().get(0).withScriptSig(sig)), cb.outputs(),
                cb.lockTime());
        assertEquals("bad-cb-height", contextualFailure(withCoinbase(f.block(), bad), prev, MAIN));
    }

    @Test
    void witnessCommitmentRules() {
        RealBlockFixture f = fixture(866_342);
        BlockIndex prev = parentOf(f);
        Transaction cb = f.block().transactions().get(0);
        TxIn in = cb.inputs().get(0);

        Block shortNonce = withCoinbase(f.block(), new Transaction(cb.version(),
                List.of(in.withWitness(List.of(new byte[31]))), cb.outputs(), cb.lockTime()));
        ValidationException e = assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlock(shortNonce, prev, MAIN));
        assertEquals("bad-witness-nonce-size", e.rejectReason());
        assertEquals(ValidationException.Result.MUTATED, e.result());

        byte[] otherNonce = in.witness().get(0).clone();
        otherNonce[0] ^= 1;
        Block wrongNonce = withCoinbase(f.block(), new Transaction(cb.version(),
                List.of(in.withWitness(List.of(otherNonce))), cb.outputs(), cb.lockTime()));
        assertEquals("bad-witness-merkle-match", contextualFailure(wrongNonce, prev, MAIN));

        // Without any commitment output, witness data is not allowed at all.
        int pos = f.block().witnessCommitmentIndex().orElseThrow();
        List<TxOut> outs = new ArrayList<>(cb.outputs());
        outs.remove(pos);
        Block noCommitment = withCoinbase(f.block(), new Transaction(cb.version(), cb.inputs(), outs, cb.lockTime()));
        assertEquals("unexpected-witness", contextualFailure(noCommitment, prev, MAIN));
    }

    @Test
    void witnessBeforeSegwitActivationIsUnexpected() throws ValidationException {
        Block b = fixture(866_342).block();
        ContextualChecks.checkWitnessMalleation(b, true);
        ValidationException e = assertThrows(ValidationException.class,
                () -> ContextualChecks.checkWitnessMalleation(b, false));
        assertEquals("unexpected-witness", e.rejectReason());
        assertEquals(ValidationException.Result.MUTATED, e.result());
        // A block without witness data passes either way.
        ContextualChecks.checkWitnessMalleation(fixture(300_025).block(), false);
    }

    @Test
    void nonFinalTransactionInBlock() {
        RealBlockFixture f = fixture(277_647);
        BlockIndex prev = parentOf(f);
        List<Transaction> txs = new ArrayList<>(f.block().transactions());
        Transaction tx = txs.get(1);
        List<TxIn> ins = new ArrayList<>();
        for (TxIn in : tx.inputs()) {
            ins.add(new TxIn(in.prevout(), in.scriptSig(), 0));
        }
        txs.set(1, new Transaction(tx.version(), ins, tx.outputs(), f.height()));
        assertEquals("bad-txns-nonfinal", contextualFailure(new Block(f.block().header(), txs), prev, MAIN));
        // One block earlier lock height is final.
        txs.set(1, new Transaction(tx.version(), ins, tx.outputs(), f.height() - 1));
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(
                () -> ContextualChecks.contextualCheckBlock(new Block(f.block().header(), txs), prev, MAIN));
    }

    @Test
    void overweightBlockFailsAfterWitnessCheck() {
        // A block with no witness whose base size alone is over the weight limit.
        Transaction cb = new Transaction(1, List.of(new TxIn(org.jbitcoind.protocol.primitives.OutPoint.NULL,
                Hex.decode("5151"), 0xffffffffL)), List.of(new TxOut(0, new byte[1_000_010])), 0);
        Block b = new Block(new BlockHeader(4, Hash256.ZERO, Hash256.ZERO, 0, 0, 0), List.of(cb));
        ChainParams reg = ChainParams.of(Network.REGTEST);
        BlockIndex genesis = new BlockIndex(reg.genesisBlock().header(), null);
        assertEquals("bad-blk-weight", contextualFailure(b, genesis, reg));
        ValidationException e = assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(b, reg, verifier, false, false));
        assertEquals("bad-blk-length", e.rejectReason());
    }

    @Test
    void checkBlockStructureRules() throws ValidationException {
        RealBlockFixture f = fixture(300_025);
        Block b = f.block();
        BlockChecks.checkBlock(b, MAIN, verifier);
        List<Transaction> txs = new ArrayList<>(b.transactions());
        txs.remove(0);
        assertEquals("bad-cb-missing", assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(new Block(b.header(), txs), MAIN, verifier, true, false)).rejectReason());
        List<Transaction> two = new ArrayList<>(b.transactions());
        two.add(1, b.transactions().get(0));
        assertEquals("bad-cb-multiple", assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(new Block(b.header(), two), MAIN, verifier, true, false)).rejectReason());
        assertEquals("bad-blk-length", assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(new Block(b.header(), List.of()), MAIN, verifier, true, false))
                .rejectReason());
        // A CheckTransaction failure keeps its reason.
        Transaction tx = b.transactions().get(1);
        List<TxIn> dup = new ArrayList<>(tx.inputs());
        dup.add(tx.inputs().get(0));
        List<Transaction> withDup = new ArrayList<>(b.transactions());
        withDup.set(1, new Transaction(tx.version(), dup, tx.outputs(), tx.lockTime()));
        assertEquals("bad-txns-inputs-duplicate", assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(new Block(b.header(), withDup), MAIN, verifier, true, false))
                .rejectReason());
        // Legacy sigops: 20,001 OP_CHECKSIGs in the coinbase outputs exceed 80,000 / 4.
        Transaction cb = b.transactions().get(0);
        List<TxOut> outs = new ArrayList<>(cb.outputs());
        byte[] checksigs = new byte[20_001 - 0];
        java.util.Arrays.fill(checksigs, (byte) 0xac);
        outs.add(new TxOut(0, checksigs));
        List<Transaction> heavy = new ArrayList<>(b.transactions());
        heavy.set(0, new Transaction(cb.version(), cb.inputs(), outs, cb.lockTime()));
        assertEquals("bad-blk-sigops", assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(new Block(b.header(), heavy), MAIN, verifier, true, false))
                .rejectReason());
    }

    @Test
    void outdatedVersionsRejectedByHeight() throws ValidationException {
        long bits = 0x1d00ffffL;
        BlockIndex beforeBip34 = HeaderChains.extend(HeaderChains.root(MAIN.bip34Height() - 20, 1_350_000_000L, bits),
                18, 600, bits);
        assertEquals(MAIN.bip34Height() - 2, beforeBip34.height());
        long t = beforeBip34.time() + 600;
        long now = t;
        // Block bip34Height - 1 may still be version 1.
        ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(beforeBip34, t, bits, 1), beforeBip34, MAIN,
                now);
        BlockIndex last = HeaderChains.child(beforeBip34, t, bits);
        ValidationException e = assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(last, t + 600, bits, 1), last,
                        MAIN, now + 600));
        assertEquals("bad-version(0x00000001)", e.rejectReason());
        ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(last, t + 600, bits, 2), last, MAIN, now);

        BlockIndex atBip65 = HeaderChains.root(MAIN.bip65Height() - 1, 1_450_000_000L, bits);
        assertEquals("bad-version(0x00000003)", assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(atBip65, 1_450_000_600L, bits, 3),
                        atBip65, MAIN, 1_450_000_600L)).rejectReason());
        assertEquals("bad-version(0xffffffff)", assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(atBip65, 1_450_000_600L, bits, -1),
                        atBip65, MAIN, 1_450_000_600L)).rejectReason());
        ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(atBip65, 1_450_000_600L, bits, 0x20000000),
                atBip65, MAIN, 1_450_000_600L);
    }

    @Test
    void scriptFlagsByHeightAndExceptions() {
        int base = ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.TAPROOT;
        assertEquals(base, flagsAt(MAIN.bip66Height() - 1));
        assertEquals(base | ScriptFlags.DERSIG, flagsAt(MAIN.bip66Height()));
        assertEquals(base | ScriptFlags.DERSIG | ScriptFlags.CHECKLOCKTIMEVERIFY, flagsAt(MAIN.bip65Height()));
        assertEquals(base | ScriptFlags.DERSIG | ScriptFlags.CHECKLOCKTIMEVERIFY | ScriptFlags.CHECKSEQUENCEVERIFY,
                flagsAt(MAIN.csvHeight()));
        assertEquals(base | ScriptFlags.DERSIG | ScriptFlags.CHECKLOCKTIMEVERIFY | ScriptFlags.CHECKSEQUENCEVERIFY
                | ScriptFlags.NULLDUMMY, flagsAt(MAIN.segwitHeight()));

        // The BIP16 exception block (height 170060) runs with no script flags at all.
        Hash256 bip16 = Hash256.fromHex("00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22");
        assertEquals(ScriptFlags.NONE, BlockScriptFlags.get(indexWithHash(bip16, 170_060), MAIN));
        Hash256 taproot = Hash256.fromHex("0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad");
        assertEquals(ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.DERSIG | ScriptFlags.CHECKLOCKTIMEVERIFY
                | ScriptFlags.CHECKSEQUENCEVERIFY | ScriptFlags.NULLDUMMY,
                BlockScriptFlags.get(indexWithHash(taproot, 692_261), MAIN));
        // The mainnet exception hashes mean nothing on testnet.
        assertEquals(base | ScriptFlags.DERSIG | ScriptFlags.CHECKLOCKTIMEVERIFY | ScriptFlags.CHECKSEQUENCEVERIFY
                | ScriptFlags.NULLDUMMY, BlockScriptFlags.get(indexWithHash(taproot, 2_000_000),
                        ChainParams.of(Network.TESTNET3)));
        // Regtest: segwit from genesis, the rest from height 1.
        ChainParams reg = ChainParams.of(Network.REGTEST);
        assertEquals(base | ScriptFlags.NULLDUMMY, BlockScriptFlags.get(indexWithHash(Hash256.ZERO, 0), reg));
    }

    private static int flagsAt(int height) {
        return BlockScriptFlags.get(HeaderChains.root(height, 1_500_000_000L, 0x1d00ffffL), MAIN);
    }

    private static BlockIndex indexWithHash(Hash256 hash, int height) {
        BlockHeader h = new BlockHeader(4, Hash256.ZERO, Hash256.ZERO, 1_500_000_000L, 0x1d00ffffL, 0);
        return BlockIndex.detachedRoot(hash, h, height, java.math.BigInteger.ZERO);
    }
}
