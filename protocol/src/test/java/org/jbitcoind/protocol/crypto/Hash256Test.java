package org.jbitcoind.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;

import org.jbitcoind.protocol.codec.Hex;
import org.junit.jupiter.api.Test;

/** Hash256's accessors, ordering and equality against the plain byte-array meaning of each. */
class Hash256Test {

    @Test
    void accessorsAgreeWithTheBytes() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            Hash256 h = Hash256.wrap(b.clone());
            assertArrayEquals(b, h.bytes());
            for (int i = 0; i < 32; i++) {
                assertEquals(b[i], h.byteAt(i));
            }
            byte[] reversed = new byte[32];
            for (int i = 0; i < 32; i++) {
                reversed[i] = b[31 - i];
            }
            assertArrayEquals(reversed, h.reversedBytes());
            assertEquals(Hex.encode(reversed), h.toString());
            assertEquals(h, Hash256.fromHex(h.toString()));
            assertEquals(new BigInteger(1, reversed), h.toBigInteger());
            int expectedHash = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
            assertEquals(expectedHash, h.hashCode());
            byte[] padded = new byte[40];
            System.arraycopy(b, 0, padded, 5, 32);
            assertEquals(h, Hash256.of(padded, 5));
            byte[] out = new byte[34];
            h.copyTo(out, 1);
            assertArrayEquals(b, java.util.Arrays.copyOfRange(out, 1, 33));
        }
    }

    @Test
    void ordersAsLittleEndianNumbersAndEqualsByEveryByte() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            byte[] a = new byte[32];
            random.nextBytes(a);
            byte[] b = a.clone();
            int at = random.nextInt(32);
            b[at] = (byte) random.nextInt(256);
            Hash256 ha = Hash256.wrap(a);
            Hash256 hb = Hash256.wrap(b);
            int expected = Integer.signum(new BigInteger(1, ha.reversedBytes()).compareTo(new BigInteger(1, hb.reversedBytes())));
            assertEquals(expected, Integer.signum(ha.compareTo(hb)), "byte " + at);
            assertEquals(expected == 0, ha.equals(hb));
        }
        byte[] high = new byte[32];
        high[31] = (byte) 0x80; // the sign bit of the last long: still the largest, unsigned
        assertTrue(Hash256.wrap(high).compareTo(Hash256.ZERO) > 0);
        assertNotEquals(Hash256.ZERO, Hash256.wrap(high));
        assertTrue(Hash256.ZERO.isZero());
        assertFalse(Hash256.wrap(high).isZero());
    }

    @Test
    void wrongLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Hash256.wrap(new byte[31]));
        assertThrows(IndexOutOfBoundsException.class, () -> Hash256.of(new byte[40], 9));
        assertThrows(IndexOutOfBoundsException.class, () -> Hash256.ZERO.byteAt(32));
    }
}
