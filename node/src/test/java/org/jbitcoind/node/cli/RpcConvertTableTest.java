package org.jbitcoind.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument conversion for the node methods: JSON where Core's table says so, hash-or-height either way. */
class RpcConvertTableTest {
    private static final String HASH = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";

    @Test
    void hashOrHeightIsANumberOrAString() throws CliException {
        ArrayNode byHeight = RpcConvertTable.positional("getblockstats", List.of("101", "[\"txs\"]"));
        assertTrue(byHeight.get(0).isNumber());
        assertTrue(byHeight.get(1).isArray());
        ArrayNode byHash = RpcConvertTable.positional("getblockstats", List.of(HASH));
        assertEquals(HASH, byHash.get(0).textValue());
        ObjectNode named = RpcConvertTable.named("gettxoutsetinfo", List.of("hash_type=muhash",
                "hash_or_height=" + HASH));
        assertEquals(HASH, named.get("hash_or_height").textValue());
        assertEquals("muhash", named.get("hash_type").textValue());
    }

    @Test
    void otherJsonArgumentsStillRefuseNonJson() {
        assertThrows(CliException.class, () -> RpcConvertTable.positional("getblockhash", List.of("tip")));
        assertThrows(CliException.class, () -> RpcConvertTable.positional("generatetoaddress", List.of("x", "addr")));
    }
}
