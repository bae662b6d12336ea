package org.jbitcoind.chain.pow;

import java.math.BigInteger;
import java.util.Optional;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.CompactTarget;

/** Proof of work and difficulty adjustment, as Core's pow.cpp. */
public final class Pow {
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    private Pow() {
    }

    /**
     * The nBits the block after {@code last} must carry (Core's GetNextWorkRequired). {@code next}
     * supplies the new block's time for testnet's 20-minute minimum-difficulty rule.
     */
    public static long getNextWorkRequired(BlockIndex last, BlockHeader next, ChainParams params) {
        long powLimitBits = params.powLimitBits();
        int interval = params.difficultyAdjustmentInterval();

        if ((last.height() + 1) % interval != 0) {
            if (params.powAllowMinDifficultyBlocks()) {
                // Testnet: a block more than twice the target spacing after its parent may be
                // mined at minimum difficulty.
                if (next.time() > last.time() + params.powTargetSpacing() * 2) {
                    return powLimitBits;
                }
                // Otherwise the difficulty is that of the last block not mined under that rule.
                BlockIndex b = last;
                while (b.prev() != null && b.height() % interval != 0 && b.bits() == powLimitBits) {
                    b = b.prev();
                }
                return b.bits();
            }
            return last.bits();
        }

        // Retarget over the last interval-1 block gaps (the historical off-by-one: the first block
        // of the period is the one interval-1 blocks back, not interval).
        int firstHeight = last.height() - (interval - 1);
        BlockIndex first = last.getAncestor(firstHeight);
        if (first == null) {
            throw new IllegalStateException("ancestor at height " + firstHeight + " of " + last + " not known");
        }
        return calculateNextWorkRequired(last, first.time(), params);
    }

    /** Core's CalculateNextWorkRequired: scale the target by actual / expected timespan, clamped to 4x. */
    public static long calculateNextWorkRequired(BlockIndex last, long firstBlockTime, ChainParams params) {
        if (params.powNoRetargeting()) {
            return last.bits();
        }
        long timespan = last.time() - firstBlockTime;
        long target = params.powTargetTimespan();
        timespan = Math.max(timespan, target / 4);
        timespan = Math.min(timespan, target * 4);

        long baseBits = last.bits();
        if (params.enforceBip94()) {
            // BIP94: scale from the first block of the period, which can never be a
            // minimum-difficulty block, so a min-difficulty tail cannot drag the target down.
            int firstHeight = last.height() - (params.difficultyAdjustmentInterval() - 1);
            BlockIndex first = last.getAncestor(firstHeight);
            if (first == null) {
                throw new IllegalStateException("ancestor at height " + firstHeight + " of " + last + " not known");
            }
            baseBits = first.bits();
        }
        BigInteger next = decodeUnchecked(baseBits)
                .multiply(BigInteger.valueOf(timespan)).mod(TWO_256) // arith_uint256 wraps at 256 bits
                .divide(BigInteger.valueOf(target));
        if (next.compareTo(params.powLimit()) > 0) {
            next = params.powLimit();
        }
        return CompactTarget.encode(next);
    }

    /** Whether {@code hash} meets the target encoded in {@code bits}, which must be valid and within powLimit. */
    public static boolean checkProofOfWork(Hash256 hash, long bits, ChainParams params) {
        Optional<BigInteger> target = CompactTarget.decode(bits);
        if (target.isEmpty() || target.get().signum() == 0 || target.get().compareTo(params.powLimit()) > 0) {
            return false;
        }
        return hash.toBigInteger().compareTo(target.get()) <= 0;
    }

    /** Expected number of hashes for a block with these bits (Core's GetBlockProof); 0 for invalid bits. */
    public static BigInteger getBlockProof(long bits) {
        return BlockIndex.blockProof(bits);
    }

    /**
     * Core's PermittedDifficultyTransition: whether a header chain could move from {@code oldBits}
     * to {@code newBits} at {@code height}, used to sanity-check headers before their ancestors are
     * fully known. Networks with minimum-difficulty blocks allow anything.
     */
    public static boolean permittedDifficultyTransition(ChainParams params, int height, long oldBits, long newBits) {
        if (params.powAllowMinDifficultyBlocks()) {
            return true;
        }
        if (height % params.difficultyAdjustmentInterval() == 0) {
            long target = params.powTargetTimespan();
            BigInteger old = decodeUnchecked(oldBits);
            BigInteger largest = clampToLimit(old.multiply(BigInteger.valueOf(target * 4)).mod(TWO_256)
                    .divide(BigInteger.valueOf(target)), params);
            BigInteger smallest = clampToLimit(old.multiply(BigInteger.valueOf(target / 4)).mod(TWO_256)
                    .divide(BigInteger.valueOf(target)), params);
            // Compare in compact form, as the new bits were rounded to it.
            BigInteger observed = decodeUnchecked(newBits);
            return observed.compareTo(decodeUnchecked(CompactTarget.encode(largest))) <= 0
                    && observed.compareTo(decodeUnchecked(CompactTarget.encode(smallest))) >= 0;
        }
        return oldBits == newBits;
    }

    private static BigInteger clampToLimit(BigInteger t, ChainParams params) {
        return t.compareTo(params.powLimit()) > 0 ? params.powLimit() : t;
    }

    /** SetCompact ignoring the negative/overflow flags, as the retarget code does for stored bits. */
    private static BigInteger decodeUnchecked(long bits) {
        int size = (int) (bits >>> 24) & 0xff;
        long word = bits & 0x007fffffL;
        BigInteger v = size <= 3 ? BigInteger.valueOf(word >>> (8 * (3 - size)))
                : BigInteger.valueOf(word).shiftLeft(8 * (size - 3));
        return v.mod(TWO_256);
    }
}
