package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Core's rpc_decodescript.json: decodescript's whole result object, field by field, one case per row (regtest). */
class DecodeScriptVectorTest {

    static Stream<Arguments> rows() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("rpc_decodescript.json")));
        List<Arguments> out = new ArrayList<>();
        for (JsonNode row : root) {
            out.add(Arguments.of(row.get(0).asText(), row.get(1)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decodesAsCore(String hex, JsonNode expected) {
        JsonNode actual = ScriptJson.decodeScript(Hex.decode(hex), Network.REGTEST);
        // Compared as JSON trees: the same fields with the same values, in any order.
        assertEquals(new ObjectMapper().valueToTree(expected), actual);
    }
}
