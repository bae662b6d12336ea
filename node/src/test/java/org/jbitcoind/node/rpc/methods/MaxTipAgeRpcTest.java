package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -maxtipage reaches getblockchaininfo: regtest's genesis block (2011) is an old tip. */
class MaxTipAgeRpcTest {
    @TempDir
    Path dir;

    @Test
    void anOldTipIsInitialDownloadByDefault() throws Exception {
        try (RpcTestNode n = RpcTestNode.start(dir)) {
            JsonNode info = n.call("getblockchaininfo");
            assertEquals(0, info.get("blocks").asInt());
            assertTrue(info.get("initialblockdownload").asBoolean());
        }
    }

    @Test
    void aLargeMaxTipAgeEndsInitialDownloadOnTheSameTip() throws Exception {
        try (RpcTestNode n = RpcTestNode.start(dir, "-maxtipage=4294967295")) {
            JsonNode info = n.call("getblockchaininfo");
            assertEquals(0, info.get("blocks").asInt());
            assertFalse(info.get("initialblockdownload").asBoolean());
        }
    }
}
