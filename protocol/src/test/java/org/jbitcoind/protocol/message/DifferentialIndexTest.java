package org.jbitcoind.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.junit.jupiter.api.Test;

/** BIP152 differential indexes: found by MessageFuzzTest (a 64-bit gap wrapped the sum back into range). */
class DifferentialIndexTest {
    private static ByteWriter getBlockTxn(int count) {
        return new ByteWriter().writeHash(Hash256.ZERO).writeCompactSize(count);
    }

    @Test
    void wrappingGapIsRejected() {
        byte[] wraps = getBlockTxn(2).writeCompactSize(0).writeU8(0xff).writeI64LE(-1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("getblocktxn", wraps));
        byte[] negative = getBlockTxn(1).writeU8(0xff).writeI64LE(Long.MIN_VALUE).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("getblocktxn", negative));
    }

    @Test
    void indexesEndAt16Bits() throws DecodeException {
        byte[] last = getBlockTxn(2).writeCompactSize(1).writeCompactSize(0xffff - 2).toByteArray();
        assertEquals(List.of(1, 0xffff), ((GetBlockTxnMessage) MessageCodec.decode("getblocktxn", last)).indexes());
        byte[] past = getBlockTxn(2).writeCompactSize(1).writeCompactSize(0xffff - 1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("getblocktxn", past));
    }

    @Test
    void prefilledGapIsBoundedToo() {
        BlockHeader header = new BlockHeader(1, Hash256.ZERO, Hash256.ZERO, 0, 0, 0);
        ByteWriter w = new ByteWriter();
        header.write(w);
        byte[] payload = w.writeI64LE(0).writeCompactSize(0).writeCompactSize(1).writeU8(0xff).writeI64LE(-1).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("cmpctblock", payload));
    }
}
