package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.node.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * getblockfilter through the daemon's RPC wiring: with -blockfilterindex the filter and header of
 * mined blocks equal ones recomputed from the blocks (coinbase-only blocks spend nothing); without
 * it the method says the index is off.
 */
class GetBlockFilterRpcTest {
    @TempDir
    Path dir;

    @Test
    void filtersOfMinedBlocksMatchARecomputation() throws Exception {
        try (RpcTestNode n = RpcTestNode.start(Files.createDirectories(dir.resolve("on")), "-blockfilterindex=1")) {
            JsonNode hashes = n.call("generatetodescriptor", 3, "raw(51)");
            Hash256 header = Hash256.ZERO;
            for (int h = 0; h <= 3; h++) {
                String hash = n.call("getblockhash", h).asText();
                Block block = Block.deserialize(Hex.decode(n.call("getblock", hash, 0).asText()));
                BlockFilter expected = BlockFilter.buildBasic(block, List.of());
                header = expected.header(header);
                Waits.until(() -> answered(n, hash), Duration.ofSeconds(20), "filter index caught up");
                JsonNode filter = n.call("getblockfilter", hash);
                assertEquals(Hex.encode(expected.encoded()), filter.get("filter").asText(), "height " + h);
                assertEquals(header.toString(), filter.get("header").asText(), "height " + h);
            }
            assertEquals(3, hashes.size());
        }
        try (RpcTestNode off = RpcTestNode.start(Files.createDirectories(dir.resolve("off")))) {
            String genesis = off.call("getblockhash", 0).asText();
            assertEquals(-1, off.error("getblockfilter", genesis).get("code").asInt());
        }
    }

    private static boolean answered(RpcTestNode n, String hash) {
        try {
            return !n.reply("getblockfilter", hash).get("result").isNull();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
