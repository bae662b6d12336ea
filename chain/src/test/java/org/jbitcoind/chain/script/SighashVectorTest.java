package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every row of Core's sighash.json (legacy signature hash). */
class SighashVectorTest {
    static Stream<Arguments> rows() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("sighash.json")));
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode row = root.get(i);
            if (row.size() == 1) {
                continue;
            }
            out.add(Arguments.of(i, row.get(0).asText(), row.get(1).asText(), row.get(2).asInt(), row.get(3).asInt(),
                    row.get(4).asText()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "[{0}] in={3} type={4}")
    @MethodSource("rows")
    void row(int index, String txHex, String scriptHex, int nIn, int hashType, String expected) throws Exception {
        Transaction tx = Transaction.deserialize(Hex.decode(txHex));
        byte[] hash = SignatureHash.legacy(tx, nIn, Hex.decode(scriptHex), hashType);
        assertEquals(expected, Hash256.wrap(hash).toString());
    }
}
