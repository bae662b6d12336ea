package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.testing.HeaderChains;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TxVerifyTest {
    private static final byte[] P2PKH = org.jbitcoind.protocol.codec.Hex.decode(
            "76a914000000000000000000000000000000000000000088ac");

    private static OutPoint outpoint(int n) {
        return new OutPoint(Hash256.wrap(Hashes.sha256(new byte[] {(byte) n, 1})), n);
    }

    private static Transaction tx(int version, long lockTime, long... sequences) {
        List<TxIn> ins = new ArrayList<>();
        for (int i = 0; i < sequences.length; i++) {
            ins.add(new TxIn(outpoint(i), new byte[0], sequences[i]));
        }
        return new Transaction(version, ins, List.of(new TxOut(1000, P2PKH)), lockTime);
    }

    @ParameterizedTest(name = "locktime {0} at height {1} time {2}, seq {3}: {4}")
    @CsvSource({
        "0, 100, 1600000000, 0, true",                    // no lock time
        "99, 100, 1600000000, 0, true",                   // height lock below block height
        "100, 100, 1600000000, 0, false",                 // height lock equal to block height: not yet
        "100, 101, 1600000000, 0, true",
        "100, 100, 1600000000, 4294967295, true",         // all inputs final: lock ignored
        "100, 100, 1600000000, 4294967294, false",
        "499999999, 499999999, 1600000000, 0, false",     // still a height: compares with the height
        "499999999, 500000000, 0, 0, true",
        "500000000, 100, 500000001, 0, true",             // a time: compares with the block time
        "1600000000, 900000, 1600000000, 0, false",       // time equal: not yet
        "1599999999, 900000, 1600000000, 0, true",
        "4294967295, 900000, 1600000000, 0, false",       // largest lock time
    })
    void isFinalTx(long lockTime, int height, long time, long sequence, boolean expected) {
        assertEquals(expected, TxVerify.isFinalTx(tx(1, lockTime, sequence), height, time));
    }

    @Test
    void isFinalTxNeedsEveryInputFinal() {
        assertFalse(TxVerify.isFinalTx(tx(1, 100, 0xffffffffL, 0xfffffffeL), 50, 0));
        assertTrue(TxVerify.isFinalTx(tx(1, 100, 0xffffffffL, 0xffffffffL), 50, 0));
    }

    /** A chain with block times 600 s apart from height 1000 to 1100; MTP(h) = time(h-5). */
    private static BlockIndex chain() {
        BlockIndex root = HeaderChains.root(1000, 1_500_000_000L, 0x1d00ffffL);
        return HeaderChains.extend(root, 100, 600, 0x1d00ffffL);
    }

    @Test
    void bip68HeightLocks() {
        BlockIndex tip = chain();                     // height 1100, the block being checked
        int flags = TxVerify.LOCKTIME_VERIFY_SEQUENCE;
        // Coin at 1090 with a relative lock of 10 blocks: the earliest block is 1100.
        SequenceLocks locks = TxVerify.calculateSequenceLocks(tx(2, 0, 10), flags, new int[] {1090}, tip);
        assertEquals(new SequenceLocks(1099, -1), locks);
        assertTrue(TxVerify.evaluateSequenceLocks(tip, locks));
        assertFalse(TxVerify.sequenceLocks(tx(2, 0, 11), flags, new int[] {1090}, tip));
        // The largest requirement over the inputs wins.
        assertEquals(new SequenceLocks(1100, -1),
                TxVerify.calculateSequenceLocks(tx(2, 0, 5, 11), flags, new int[] {1090, 1090}, tip));
    }

    @Test
    void bip68TimeLocks() {
        BlockIndex tip = chain();
        int flags = TxVerify.LOCKTIME_VERIFY_SEQUENCE;
        // Time locks count from the MTP of the block before the coin's block, in 512 s units.
        long seq = TxVerify.SEQUENCE_LOCKTIME_TYPE_FLAG | 3;
        BlockIndex coinParent = tip.getAncestor(1089);
        SequenceLocks locks = TxVerify.calculateSequenceLocks(tx(2, 0, seq), flags, new int[] {1090}, tip);
        assertEquals(new SequenceLocks(-1, coinParent.medianTimePast() + 3 * 512 - 1), locks);
        assertTrue(TxVerify.evaluateSequenceLocks(tip, locks));
        // Parent MTP minus coin-parent MTP is 10 blocks * 600 s = 6000 s: 11 units (5632) pass, 12 (6144) fail.
        assertTrue(TxVerify.sequenceLocks(tx(2, 0, TxVerify.SEQUENCE_LOCKTIME_TYPE_FLAG | 11), flags,
                new int[] {1090}, tip));
        assertFalse(TxVerify.sequenceLocks(tx(2, 0, TxVerify.SEQUENCE_LOCKTIME_TYPE_FLAG | 12), flags,
                new int[] {1090}, tip));
        // Bits outside the type flag and the 16-bit value carry no meaning.
        assertTrue(TxVerify.sequenceLocks(tx(2, 0, TxVerify.SEQUENCE_LOCKTIME_TYPE_FLAG | (1L << 16) | 11), flags,
                new int[] {1090}, tip));
    }

    @Test
    void bip68NotEnforcedForVersion1DisabledInputsOrWithoutFlag() {
        BlockIndex tip = chain();
        int flags = TxVerify.LOCKTIME_VERIFY_SEQUENCE;
        assertEquals(SequenceLocks.NONE, TxVerify.calculateSequenceLocks(tx(1, 0, 50), flags, new int[] {1090}, tip));
        assertEquals(SequenceLocks.NONE, TxVerify.calculateSequenceLocks(tx(2, 0, 50), 0, new int[] {1090}, tip));
        assertEquals(SequenceLocks.NONE, TxVerify.calculateSequenceLocks(
                tx(2, 0, TxVerify.SEQUENCE_LOCKTIME_DISABLE_FLAG | 50), flags, new int[] {1090}, tip));
        // Version compares unsigned: -1 is a huge version and enforces.
        assertEquals(new SequenceLocks(1139, -1),
                TxVerify.calculateSequenceLocks(tx(-1, 0, 50), flags, new int[] {1090}, tip));
    }

    private static CoinsViewCache view(Coin... coins) {
        MemoryCoinsView base = new MemoryCoinsView();
        for (int i = 0; i < coins.length; i++) {
            base.put(outpoint(i), coins[i]);
        }
        return new CoinsViewCache(base);
    }

    private static Coin coin(long value, int height, boolean coinbase) {
        return new Coin(new TxOut(value, P2PKH), height, coinbase);
    }

    @Test
    void checkTxInputsFee() throws ValidationException {
        assertEquals(1000, TxVerify.checkTxInputs(tx(1, 0, 0, 0), view(coin(1500, 5, false), coin(500, 5, false)),
                200));
        assertEquals(0, TxVerify.checkTxInputs(tx(1, 0, 0), view(coin(1000, 5, false)), 200));
    }

    @Test
    void checkTxInputsFailures() {
        ValidationException missing = assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0, 0), view(coin(5000, 5, false)), 200));
        assertEquals("bad-txns-inputs-missingorspent", missing.rejectReason());
        assertEquals(ValidationException.Result.MISSING_INPUTS, missing.result());

        ValidationException premature = assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0), view(coin(5000, 101, true)), 200));
        assertEquals("bad-txns-premature-spend-of-coinbase", premature.rejectReason());
        assertEquals(ValidationException.Result.PREMATURE_SPEND, premature.result());
        assertDoesNotThrowFee(() -> TxVerify.checkTxInputs(tx(1, 0, 0), view(coin(5000, 100, true)), 200));

        assertEquals("bad-txns-in-belowout", assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0), view(coin(999, 5, false)), 200)).rejectReason());
        assertEquals("bad-txns-inputvalues-outofrange", assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0), view(coin(Consensus.MAX_MONEY + 1, 5, false)), 200))
                .rejectReason());
        assertEquals("bad-txns-inputvalues-outofrange", assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0, 0),
                        view(coin(Consensus.MAX_MONEY, 5, false), coin(1, 5, false)), 200)).rejectReason());
        assertEquals("bad-txns-inputvalues-outofrange", assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0), view(coin(-1, 5, false)), 200)).rejectReason());
    }

    /** The overload connectBlock uses, on coins already looked up (null: missing or spent). */
    @Test
    void checkTxInputsOnLookedUpCoins() throws ValidationException {
        assertEquals(1000, TxVerify.checkTxInputs(tx(1, 0, 0, 0),
                new Coin[] {coin(1500, 5, false), coin(500, 5, false)}, 200));

        ValidationException missing = assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0, 0), new Coin[] {coin(5000, 5, false), null}, 200));
        assertEquals("bad-txns-inputs-missingorspent", missing.rejectReason());
        assertEquals(ValidationException.Result.MISSING_INPUTS, missing.result());
        // A missing input is reported before an earlier input's premature coinbase spend, as Core does.
        assertEquals(ValidationException.Result.MISSING_INPUTS, assertThrows(ValidationException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0, 0), new Coin[] {coin(5000, 199, true), null}, 200))
                .result());
        assertThrows(IllegalArgumentException.class,
                () -> TxVerify.checkTxInputs(tx(1, 0, 0, 0), new Coin[] {coin(5000, 5, false)}, 200));
    }

    /** Coinbase maturity is exactly 100 blocks; other coins may be spent in the next block. */
    @ParameterizedTest(name = "coin at {0}, coinbase {1}, spent at 200: premature {2}")
    @CsvSource({
        "101, true, true",      // depth 99
        "100, true, false",     // depth 100
        "0, true, false",       // genesis-deep coinbase
        "199, true, true",      // depth 1
        "199, false, false",    // young but not a coinbase
        "101, false, false",
    })
    void coinbaseMaturity(int coinHeight, boolean coinbase, boolean premature) {
        Coin[] coins = {coin(5000, coinHeight, coinbase)};
        if (premature) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> TxVerify.checkTxInputs(tx(1, 0, 0), coins, 200));
            assertEquals("bad-txns-premature-spend-of-coinbase", e.rejectReason());
            assertEquals(ValidationException.Result.PREMATURE_SPEND, e.result());
        } else {
            assertDoesNotThrowFee(() -> TxVerify.checkTxInputs(tx(1, 0, 0), coins, 200));
        }
    }

    private interface FeeCall {
        long run() throws ValidationException;
    }

    private static void assertDoesNotThrowFee(FeeCall c) {
        try {
            assertEquals(4000, c.run());
        } catch (ValidationException e) {
            throw new AssertionError(e);
        }
    }
}
