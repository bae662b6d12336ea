package org.jbitcoind.protocol.primitives;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The "compact" nBits encoding of a 256-bit target: one exponent byte and a 23-bit mantissa
 * with a sign bit, as Core's arith_uint256::SetCompact/GetCompact define it.
 */
public final class CompactTarget {
    private CompactTarget() {
    }

    /** Decodes nBits; empty when the value is negative, zero-with-sign or overflows 256 bits. */
    public static Optional<BigInteger> decode(long bits) {
        int size = (int) (bits >>> 24) & 0xff;
        long word = bits & 0x007fffffL;
        BigInteger value;
        if (size <= 3) {
            value = BigInteger.valueOf(word >>> (8 * (3 - size)));
        } else {
            value = BigInteger.valueOf(word).shiftLeft(8 * (size - 3));
        }
        boolean negative = word != 0 && (bits & 0x00800000L) != 0;
        boolean overflow = word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
        if (negative || overflow) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** Encodes a non-negative target into nBits (Core's GetCompact). */
    public static long encode(BigInteger target) {
        int size = (target.bitLength() + 7) / 8;
        long compact;
        if (size <= 3) {
            compact = target.longValue() << (8 * (3 - size));
        } else {
            compact = target.shiftRight(8 * (size - 3)).longValue();
        }
        if ((compact & 0x00800000L) != 0) {
            compact >>>= 8;
            size++;
        }
        return (compact | ((long) size << 24)) & 0xffffffffL;
    }

    /** Work a block of this target represents: 2^256 / (target + 1). */
    public static BigInteger work(BigInteger target) {
        return BigInteger.ONE.shiftLeft(256).divide(target.add(BigInteger.ONE));
    }
}
