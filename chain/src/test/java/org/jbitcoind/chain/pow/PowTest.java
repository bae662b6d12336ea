package org.jbitcoind.chain.pow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.testing.HeaderChains;
import org.jbitcoind.chain.validation.ContextualChecks;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.CompactTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PowTest {
    private static final ChainParams MAIN = ChainParams.of(Network.MAIN);
    private static final long NOW = 4_000_000_000L;

    /** Core's pow_tests: retarget from (last height, last time, last bits, first time) on mainnet. */
    @ParameterizedTest(name = "height {0}")
    @CsvSource({
        "32255, 1262152739, 1d00ffff, 1261130161, 1d00d86a", // real retarget at 32256
        "2015, 1233061996, 1d00ffff, 1231006505, 1d00ffff",  // slower than target: stays at powLimit
        "68543, 1279297671, 1c05a3f4, 1279008237, 1c0168fd", // too fast: clamped to a quarter
        "46367, 1269211443, 1c387f6f, 1263163443, 1d00e1fd", // too slow: clamped to four times
    })
    void calculateNextWorkRequiredMatchesCore(int height, long time, String bits, long firstTime, String expected) {
        BlockIndex last = HeaderChains.root(height, time, Long.parseLong(bits, 16));
        assertEquals(Long.parseLong(expected, 16), Pow.calculateNextWorkRequired(last, firstTime, MAIN));
    }

    @Test
    void mainnetRetargetUsesTheBlock2015Back() {
        // Period of 2016 blocks ten minutes apart except that the first interval gap is measured
        // from the block 2015 back: the expected timespan is exactly two weeks minus one gap.
        BlockIndex first = HeaderChains.root(2016 * 10, 1_300_000_000L, 0x1c0fffffL);
        BlockIndex last = HeaderChains.extend(first, 2015, 300, 0x1c0fffffL);
        long timespan = last.time() - first.time();
        assertEquals(2015 * 300, timespan);
        BigInteger expected = CompactTarget.decode(0x1c0fffffL).orElseThrow()
                .multiply(BigInteger.valueOf(timespan)).divide(BigInteger.valueOf(MAIN.powTargetTimespan()));
        BlockHeader next = HeaderChains.header(last, last.time() + 600, 0, 4);
        assertEquals(CompactTarget.encode(expected), Pow.getNextWorkRequired(last, next, MAIN));
        // Between retargets the bits just carry over.
        BlockIndex mid = HeaderChains.extend(first, 100, 600, 0x1c0fffffL);
        assertEquals(0x1c0fffffL, Pow.getNextWorkRequired(mid, HeaderChains.header(mid, mid.time() + 99_999, 0, 4),
                MAIN));
    }

    @Test
    void checkProofOfWorkRejectsBadTargets() {
        Hash256 zeroHash = Hash256.ZERO;
        assertTrue(Pow.checkProofOfWork(zeroHash, 0x1d00ffffL, MAIN));
        assertFalse(Pow.checkProofOfWork(zeroHash, 0x01800000L | 0x1d000000L, MAIN), "negative");
        assertFalse(Pow.checkProofOfWork(zeroHash, 0xff123456L, MAIN), "overflow");
        assertFalse(Pow.checkProofOfWork(zeroHash, 0x1d01fffeL, MAIN), "easier than powLimit");
        assertFalse(Pow.checkProofOfWork(zeroHash, 0L, MAIN), "zero target");
        Hash256 big = Hash256.fromHex("00000001" + "00".repeat(28));
        assertFalse(Pow.checkProofOfWork(big, 0x1d00ffffL, MAIN), "hash above target");
        Hash256 atTarget = Hash256.fromHex("00000000ffff" + "00".repeat(26));
        assertTrue(Pow.checkProofOfWork(atTarget, 0x1d00ffffL, MAIN), "hash equal to target");
    }

    @Test
    void blockProof() {
        assertEquals(BigInteger.valueOf(0x100010001L), Pow.getBlockProof(0x1d00ffffL));
        assertEquals(BigInteger.ZERO, Pow.getBlockProof(0));
        assertEquals(BigInteger.ZERO, Pow.getBlockProof(0x04923456L), "negative");
        assertEquals(BigInteger.TWO, Pow.getBlockProof(0x207fffffL), "regtest");
    }

    @Test
    void testnet3TwentyMinuteRuleAndWalkBack() throws ValidationException {
        ChainParams test = ChainParams.of(Network.TESTNET3);
        long hard = 0x1c0fffffL;
        long min = test.powLimitBits();
        assertEquals(0x1d00ffffL, min);
        BlockIndex start = HeaderChains.root(2016 * 3, 1_400_000_000L, hard);
        BlockIndex normal = HeaderChains.extend(start, 10, 600, hard);
        // Two min-difficulty blocks, each more than 20 minutes after its parent.
        BlockIndex m1 = HeaderChains.child(normal, normal.time() + 1201, min);
        BlockIndex m2 = HeaderChains.child(m1, m1.time() + 1500, min);

        // Late again: min difficulty allowed.
        assertEquals(min, Pow.getNextWorkRequired(m2, HeaderChains.header(m2, m2.time() + 1201, 0, 4), test));
        // Exactly 20 minutes is not late: back to the last real difficulty, skipping both min blocks.
        assertEquals(hard, Pow.getNextWorkRequired(m2, HeaderChains.header(m2, m2.time() + 1200, 0, 4), test));
        // Mainnet never allows it.
        assertEquals(min, Pow.getNextWorkRequired(m2, HeaderChains.header(m2, m2.time() + 1201, 0, 4), MAIN));

        // The walk stops at a period boundary even when that block has min difficulty.
        BlockIndex boundaryMin = HeaderChains.root(2016 * 4, 1_400_000_000L, min);
        BlockIndex after = HeaderChains.child(boundaryMin, boundaryMin.time() + 1300, min);
        assertEquals(min, Pow.getNextWorkRequired(after, HeaderChains.header(after, after.time() + 60, 0, 4), test));

        // Through the header check: wrong bits is bad-diffbits.
        BlockHeader wrong = HeaderChains.header(m2, m2.time() + 60, min, 4);
        assertEquals("bad-diffbits", assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlockHeader(wrong, m2, test, NOW)).rejectReason());
        ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(m2, m2.time() + 60, hard, 4), m2, test, NOW);
    }

    /** A full testnet period: real difficulty at the start, a min-difficulty block at the end. */
    private static BlockIndex periodEndingInMinDifficulty(ChainParams params, long hard, BlockIndex[] firstOut) {
        BlockIndex first = HeaderChains.root(2016 * 5, 1_700_000_000L, hard);
        firstOut[0] = first;
        BlockIndex beforeLast = HeaderChains.extend(first, 2014, 600, hard);
        return HeaderChains.child(beforeLast, beforeLast.time() + 1201, params.powLimitBits());
    }

    @Test
    void testnet4Bip94RetargetsFromFirstBlockOfPeriod() {
        ChainParams t4 = ChainParams.of(Network.TESTNET4);
        ChainParams t3 = ChainParams.of(Network.TESTNET3);
        assertTrue(t4.enforceBip94());
        long hard = 0x1c0fffffL;
        BlockIndex[] first = new BlockIndex[1];
        BlockIndex last = periodEndingInMinDifficulty(t4, hard, first);
        assertEquals(2016 * 6 - 1, last.height());
        assertEquals(t4.powTargetTimespan() + 1, last.time() - first[0].time());
        BlockHeader next = HeaderChains.header(last, last.time() + 600, 0, 4);
        // BIP94 scales the first block's target: a timespan of two weeks and one second keeps it.
        assertEquals(hard, Pow.getNextWorkRequired(last, next, t4));
        // testnet3 scales the last block's (minimum) difficulty, staying at the minimum.
        assertEquals(t3.powLimitBits(), Pow.getNextWorkRequired(last, next, t3));
    }

    @Test
    void testnet4TimewarpRuleOnFirstBlockOfPeriod() throws ValidationException {
        ChainParams t4 = ChainParams.of(Network.TESTNET4);
        ChainParams t3 = ChainParams.of(Network.TESTNET3);
        long hard = 0x1c0fffffL;
        BlockIndex[] first = new BlockIndex[1];
        BlockIndex last = periodEndingInMinDifficulty(t4, hard, first);

        BlockHeader ok = HeaderChains.header(last, last.time() - 600, hard, 4);
        ContextualChecks.contextualCheckBlockHeader(ok, last, t4, NOW);
        BlockHeader warped = HeaderChains.header(last, last.time() - 601, hard, 4);
        ValidationException e = assertThrows(ValidationException.class,
                () -> ContextualChecks.contextualCheckBlockHeader(warped, last, t4, NOW));
        assertEquals("time-timewarp-attack", e.rejectReason());
        assertEquals(ValidationException.Result.INVALID_HEADER, e.result());
        // testnet3 has no such rule (its bits here are the minimum, see above).
        ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(last, last.time() - 601,
                t3.powLimitBits(), 4), last, t3, NOW);
        // Not the first block of a period: no timewarp rule, only median time past.
        BlockIndex mid = HeaderChains.extend(first[0], 20, 600, hard);
        ContextualChecks.contextualCheckBlockHeader(HeaderChains.header(mid, mid.time() - 601, hard, 4), mid, t4,
                NOW);
    }

    @Test
    void regtestNeverRetargets() {
        ChainParams reg = ChainParams.of(Network.REGTEST);
        assertEquals(144, reg.difficultyAdjustmentInterval());
        // Bits other than the limit survive a retarget height however fast the period was.
        BlockIndex first = HeaderChains.root(144 * 3, 1_600_000_000L, 0x1c0fffffL);
        BlockIndex last = HeaderChains.extend(first, 143, 1, 0x1c0fffffL);
        assertEquals(144 * 4 - 1, last.height());
        assertEquals(0x1c0fffffL, Pow.getNextWorkRequired(last, HeaderChains.header(last, last.time() + 1, 0, 4), reg));
        // The same chain under mainnet rules would retarget to a quarter.
        BigInteger quarter = CompactTarget.decode(0x1c0fffffL).orElseThrow().divide(BigInteger.valueOf(4));
        assertEquals(CompactTarget.encode(quarter), Pow.calculateNextWorkRequired(last, first.time(),
                ChainParams.of(Network.MAIN)));
        assertEquals(0x207fffffL, reg.powLimitBits());
    }

    @Test
    void permittedDifficultyTransition() {
        assertTrue(Pow.permittedDifficultyTransition(MAIN, 32256, 0x1d00ffffL, 0x1d00d86aL));
        assertFalse(Pow.permittedDifficultyTransition(MAIN, 32255, 0x1d00ffffL, 0x1d00d86aL));
        assertFalse(Pow.permittedDifficultyTransition(MAIN, 68544, 0x1c05a3f4L, 0x1c0168fcL), "below a quarter");
        assertTrue(Pow.permittedDifficultyTransition(MAIN, 68544, 0x1c05a3f4L, 0x1c0168fdL));
        assertTrue(Pow.permittedDifficultyTransition(ChainParams.of(Network.TESTNET3), 5, 0x1c05a3f4L, 0x1d00ffffL));
    }
}
