package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Core's rpc_getblockstats.json: its 103 regtest blocks are submitted to a node with submitblock,
 * then getblockstats of each expected row (heights 101-103) must equal Core's object exactly, by
 * height and by hash, and a selection of statistics returns just those.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GetBlockStatsVectorTest {
    @TempDir
    static Path dir;
    private RpcTestNode n;
    private JsonNode root;

    @BeforeAll
    void replayCoresChain() throws Exception {
        root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("rpc_getblockstats.json")));
        n = RpcTestNode.start(dir);
        JsonNode blocks = root.get("blocks");
        for (int i = 1; i < blocks.size(); i++) {
            JsonNode result = n.call("submitblock", blocks.get(i).asText());
            assertTrue(result.isNull(), "block " + i + ": " + result);
        }
        assertEquals(blocks.size() - 1, n.call("getblockcount").asInt());
    }

    @AfterAll
    void stop() {
        if (n != null) {
            n.close();
        }
    }

    Stream<Arguments> rows() throws Exception {
        JsonNode data = new ObjectMapper().readTree(SharedData.read(SharedData.vector("rpc_getblockstats.json")));
        List<Arguments> out = new ArrayList<>();
        for (JsonNode stats : data.get("stats")) {
            out.add(Arguments.of(stats.get("height").asInt(), stats));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "height {0}")
    @MethodSource("rows")
    void statsEqualCores(int height, JsonNode expected) throws Exception {
        assertEquals(expected, n.call("getblockstats", height));
        assertEquals(expected, n.call("getblockstats", expected.get("blockhash").asText()));
        JsonNode some = n.call("getblockstats", height, List.of("minfeerate", "avgfeerate"));
        assertEquals(2, some.size());
        assertEquals(expected.get("minfeerate"), some.get("minfeerate"));
        assertEquals(-8, n.error("getblockstats", height, List.of("nosuchstat")).get("code").asInt());
    }
}
