package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BIP158 sets beyond Core's vectors: real blocks with undo data, duplicates, and hostile encodings. */
class GolombCodedSetTest {
    static final GolombCodedSet.Params PARAMS = new GolombCodedSet.Params(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 19, 784_931);

    /** Spent scriptPubKeys from a bcoin undo file: value, then a var-length script, per input. */
    static List<byte[]> undoScripts(String path) throws DecodeException {
        ByteReader r = new ByteReader(SharedData.readData(path));
        List<byte[]> scripts = new ArrayList<>();
        while (r.hasRemaining()) {
            r.readI64LE();
            scripts.add(r.readVarBytes(r.remaining(), "undo script"));
        }
        return scripts;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"block300025", "block928828", "block1087400"})
    void realBlockFilterRoundTripsAndMatchesEveryElement(String name) throws Exception {
        Block block = SharedData.decodeBlock(SharedData.readData("bcoin/" + name + ".raw"));
        List<byte[]> spent = undoScripts("bcoin/" + name + "-undo.raw");
        BlockFilter built = BlockFilter.buildBasic(block, spent);
        BlockFilter decoded = BlockFilter.decodeBasic(block.hash(), built.encoded());
        assertArrayEquals(built.encoded(), decoded.encoded());
        assertEquals(built.size(), decoded.size());
        assertEquals(built.filterHash(), decoded.filterHash());
        List<byte[]> elements = BlockFilter.basicElements(block, spent);
        assertTrue(built.size() <= elements.size());
        for (byte[] e : elements) {
            assertTrue(decoded.match(e));
        }
        assertTrue(decoded.matchAny(elements));
        // The same elements under another block's key hash elsewhere: the key must matter.
        BlockFilter otherKey = BlockFilter.decodeBasic(Hash256.fromHex("11".repeat(32)), built.encoded());
        long hits = elements.stream().filter(otherKey::match).count();
        assertTrue(hits < elements.size() / 10, hits + " of " + elements.size() + " matched under a wrong key");
    }

    @Test
    void duplicatesCountOnce() throws DecodeException {
        byte[] a = Hex.decode("0011");
        GolombCodedSet set = GolombCodedSet.build(PARAMS, List.of(a, a.clone(), Hex.decode("22"), Hex.decode("0011")));
        assertEquals(2, set.size());
        assertEquals(2, new ByteReader(set.encoded()).readCompactSize());
        assertTrue(set.match(a));
    }

    @Test
    void emptySetIsOneZeroByte() throws DecodeException {
        GolombCodedSet set = GolombCodedSet.build(PARAMS, List.of());
        assertEquals("00", Hex.encode(set.encoded()));
        assertFalse(set.match(new byte[] {1}));
        assertFalse(set.matchAny(List.of(new byte[] {1})));
        assertEquals(0, GolombCodedSet.decode(PARAMS, new byte[] {0}).size());
    }

    @Test
    void rejectsHostileEncodings() throws DecodeException {
        byte[] good = GolombCodedSet.build(PARAMS, List.of(Hex.decode("01"), Hex.decode("02"), Hex.decode("03"))).encoded();
        assertEquals(3, GolombCodedSet.decode(PARAMS, good).size());

        assertThrows(DecodeException.class, () -> GolombCodedSet.decode(PARAMS, new byte[0]));
        assertThrows(DecodeException.class, () -> GolombCodedSet.decode(PARAMS, Arrays.copyOf(good, good.length - 1)));
        DecodeException trailing = assertThrows(DecodeException.class,
                () -> GolombCodedSet.decode(PARAMS, Arrays.copyOf(good, good.length + 1)));
        assertTrue(trailing.getMessage().contains("trailing"));
        // N = 2^32: refused before any allocation.
        assertThrows(DecodeException.class, () -> GolombCodedSet.decode(PARAMS, Hex.decode("ff0000000001000000")));
        // N = 2^32 - 1 with 3 bytes of data: cannot hold that many 20-bit codes.
        assertThrows(DecodeException.class, () -> GolombCodedSet.decode(PARAMS, Hex.decode("feffffffffaabbcc")));
        // One element whose unary quotient never ends.
        assertThrows(DecodeException.class, () -> GolombCodedSet.decode(PARAMS, Hex.decode("01ffffffffff")));
    }

    @Test
    void headerDependsOnFilterAndPrevious() {
        Block genesis = SharedData.blkBlocks("jeffchan-blockchain-parser/blk00000.dat").get(0);
        BlockFilter f = BlockFilter.buildBasic(genesis, List.of());
        assertEquals(1, f.size());
        assertTrue(f.match(genesis.transactions().get(0).outputs().get(0).scriptPubKey()));
        Hash256 h0 = f.header(Hash256.ZERO);
        assertFalse(h0.equals(f.header(h0)));
        assertFalse(h0.equals(f.filterHash()));
        assertEquals(BlockFilter.TYPE_BASIC, f.filterType());
    }
}
