package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every test case of Core's blockfilters.json (BIP158 basic filters on testnet3 blocks): the
 * filter bytes, the header chained from the previous header, and that every element matches.
 * Row 0 is the column header.
 */
class BlockFilterVectorTest {

    record Case(int height, Hash256 blockHash, Block block, List<byte[]> prevScripts, Hash256 prevHeader,
            byte[] filter, Hash256 header, String note) {
        @Override
        public String toString() {
            return height + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    static Stream<Arguments> cases() throws IOException, DecodeException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("blockfilters.json")));
        List<Arguments> out = new ArrayList<>();
        for (int i = 1; i < root.size(); i++) {
            JsonNode r = root.get(i);
            List<byte[]> prev = new ArrayList<>();
            r.get(3).forEach(s -> prev.add(Hex.decode(s.asText())));
            out.add(Arguments.of(new Case(r.get(0).asInt(), Hash256.fromHex(r.get(1).asText()),
                    Block.deserialize(Hex.decode(r.get(2).asText())), prev, Hash256.fromHex(r.get(4).asText()),
                    Hex.decode(r.get(5).asText()), Hash256.fromHex(r.get(6).asText()), r.get(7).asText())));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filterBytesMatchCore(Case c) {
        assertEquals(c.blockHash(), c.block().hash());
        BlockFilter f = BlockFilter.buildBasic(c.block(), c.prevScripts());
        assertEquals(Hex.encode(c.filter()), Hex.encode(f.encoded()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void headerChainsFromPrevious(Case c) {
        BlockFilter f = BlockFilter.buildBasic(c.block(), c.prevScripts());
        assertEquals(Hashes.hash256Of(c.filter()), f.filterHash());
        assertEquals(c.header(), f.header(c.prevHeader()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyElementMatchesDecodedFilter(Case c) throws DecodeException {
        BlockFilter decoded = BlockFilter.decodeBasic(c.blockHash(), c.filter());
        assertArrayEquals(c.filter(), decoded.encoded());
        List<byte[]> elements = BlockFilter.basicElements(c.block(), c.prevScripts());
        for (byte[] e : elements) {
            assertTrue(decoded.match(e), () -> "element " + Hex.encode(e) + " must match");
            assertTrue(decoded.matchAny(List.of(new byte[] {0x55, 0x66}, e)));
        }
        // A 40-byte script that is in no block: with N*784931 slots a hit is a 1-in-784931 accident.
        byte[] absent = Hex.decode("6a26" + "ee".repeat(38));
        assertFalse(decoded.match(absent));
        assertFalse(decoded.matchAny(List.of(absent, new byte[] {0x01})));
        assertFalse(decoded.matchAny(List.of()));
    }
}
