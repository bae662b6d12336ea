package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every row of Core's siphash.json: SipHash-2-4 of the concatenated input blocks. */
class SipHashVectorTest {

    static Stream<Arguments> rows() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("siphash.json")));
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode row = root.get(i);
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            row.get("input").forEach(block -> input.writeBytes(Hex.decode(block.asText())));
            out.add(Arguments.of(i,
                    Long.parseUnsignedLong(row.get("key").get(0).asText(), 16),
                    Long.parseUnsignedLong(row.get("key").get(1).asText(), 16),
                    input.toByteArray(),
                    Long.parseUnsignedLong(row.get("expected").get("siphash24").asText(), 16)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "row {0}")
    @MethodSource("rows")
    void siphash24(int row, long k0, long k1, byte[] input, long expected) {
        assertEquals(Long.toHexString(expected), Long.toHexString(SipHash.hash(k0, k1, input)));
    }

    @ParameterizedTest(name = "row {0} with offset")
    @MethodSource("rows")
    void siphash24OfSlice(int row, long k0, long k1, byte[] input, long expected) {
        byte[] padded = new byte[input.length + 5];
        System.arraycopy(input, 0, padded, 3, input.length);
        assertEquals(expected, SipHash.hash(k0, k1, padded, 3, input.length));
    }
}
