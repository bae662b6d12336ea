package org.jbitcoind.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Core's VARINT (serialize.h), checked against the bit patterns of Core's serialize_tests. */
class VarIntTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 00",
        "7f, 7f",
        "80, 8000",
        "1234, a334",
        "ffff, 82fe7f",
        "123456, c7e756",
        "80123456, 86ffc7e756",
        "ffffffff, 8efefefe7f",
        "7fffffffffffffff, fefefefefefefefe7f",
        "ffffffffffffffff, 80fefefefefefefefe7f",
    })
    void corePatterns(String valueHex, String encodingHex) throws DecodeException {
        long v = Long.parseUnsignedLong(valueHex, 16);
        byte[] enc = new ByteWriter().writeVarInt(v).toByteArray();
        assertEquals(encodingHex, Hex.encode(enc));
        assertEquals(enc.length, ByteWriter.varIntLength(v));
        ByteReader r = new ByteReader(enc);
        assertEquals(v, r.readVarInt());
        assertTrue(!r.hasRemaining());
    }

    @Test
    void roundTripsCoreRanges() throws DecodeException {
        ByteWriter w = new ByteWriter();
        for (long i = 0; i < 100_000; i++) {
            w.writeVarInt(i);
        }
        for (long i = 0; i < 100_000_000_000L; i += 999_999_937) {
            w.writeVarInt(i);
        }
        ByteReader r = new ByteReader(w.toByteArray());
        for (long i = 0; i < 100_000; i++) {
            assertEquals(i, r.readVarInt());
        }
        for (long i = 0; i < 100_000_000_000L; i += 999_999_937) {
            assertEquals(i, r.readVarInt());
        }
        r.expectEnd("varints");
    }

    @Test
    void rejectsOverflowAndTruncation() {
        // Eleven bytes cannot fit 64 bits.
        byte[] tooBig = Hex.decode("ffffffffffffffffffff7f");
        assertThrows(DecodeException.class, () -> new ByteReader(tooBig).readVarInt());
        // 2^32 does not fit a uint32 VARINT.
        byte[] over32 = new ByteWriter().writeVarInt(0x1_0000_0000L).toByteArray();
        assertThrows(DecodeException.class, () -> new ByteReader(over32).readVarInt32());
        byte[] max32 = new ByteWriter().writeVarInt(0xffffffffL).toByteArray();
        assertEquals(0xffffffffL, assertDoesNotThrow32(max32));
        assertThrows(DecodeException.class, () -> new ByteReader(Hex.decode("8080")).readVarInt());
    }

    private static long assertDoesNotThrow32(byte[] b) {
        try {
            return new ByteReader(b).readVarInt32();
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }
}
