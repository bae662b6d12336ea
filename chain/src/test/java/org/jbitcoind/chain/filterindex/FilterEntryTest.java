package org.jbitcoind.chain.filterindex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.junit.jupiter.api.Test;

/** The stored form of an index entry, and that damage to it is caught. */
class FilterEntryTest {
    private static final FilterEntry GENESIS = FilterEntry.of(
            BlockFilter.buildBasic(RegtestBlocks.PARAMS.genesisBlock(), List.of()), Hash256.ZERO);

    @Test
    void layoutIsHeaderThenFilterHashThenFilter() throws Exception {
        byte[] stored = GENESIS.encode();
        assertEquals(64 + 4, stored.length);
        assertArrayEquals(GENESIS.header().bytes(), Arrays.copyOfRange(stored, 0, 32));
        assertArrayEquals(GENESIS.filterHash().bytes(), Arrays.copyOfRange(stored, 32, 64));
        assertEquals("014756c0", Hex.encode(Arrays.copyOfRange(stored, 64, 68)));
        assertEquals(GENESIS, FilterEntry.decode(stored));
    }

    @Test
    void damagedEntriesAreRejected() {
        byte[] flipped = GENESIS.encode();
        flipped[66] ^= 1;
        DecodeException e = assertThrows(DecodeException.class, () -> FilterEntry.decode(flipped));
        assertTrue(e.getMessage().contains("filter hash does not match"), e.getMessage());
        byte[] truncated = Arrays.copyOf(GENESIS.encode(), 40);
        assertThrows(DecodeException.class, () -> FilterEntry.decode(truncated));
    }

    @Test
    void filterBytesAreCopiedInAndOut() {
        byte[] f = GENESIS.filter();
        f[0] = 0x7f;
        assertEquals("014756c0", Hex.encode(GENESIS.filter()));
    }
}
