package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Core's rpc_decodescript.json rows: the asm text and the script type of each script. */
class ScriptAsmVectorTest {
    static Stream<Arguments> rows() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("rpc_decodescript.json")));
        List<Arguments> out = new ArrayList<>();
        for (JsonNode row : root) {
            out.add(Arguments.of(row.get(0).asText(), row.get(1).get("asm").asText(), row.get(1).get("type").asText()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void asmAndType(String hex, String asm, String type) {
        byte[] script = Hex.decode(hex);
        assertEquals(asm, ScriptAsm.toAsm(script, false));
        assertEquals(type, StandardScripts.classify(script).rpcName());
    }

    @Test
    void scriptSigSighashDecoding() {
        // A strict-DER signature with SIGHASH_ALL|ANYONECANPAY, then a compressed key.
        String sig = "3044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb81";
        String key = "038282263212c609d9ea2a6e3e172de238d8c39cabd5ac1ca10646e23fd5f51508";
        byte[] scriptSig = Hex.decode("47" + sig + "21" + key);
        assertEquals(sig.substring(0, sig.length() - 2) + "[ALL|ANYONECANPAY] " + key,
                ScriptAsm.toAsm(scriptSig, true));
        assertEquals(sig + " " + key, ScriptAsm.toAsm(scriptSig, false));
    }
}
