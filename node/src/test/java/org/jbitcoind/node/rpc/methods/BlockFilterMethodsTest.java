package org.jbitcoind.node.rpc.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.filterindex.BlockFilterIndex;
import org.jbitcoind.chain.filterindex.FilterEntry;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.HeadersResult;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.node.rpc.Json;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** getblockfilter over a regtest chain with the index running: the result and each of Core's errors. */
class BlockFilterMethodsTest {
    @TempDir
    Path dir;
    private ChainstateManager chain;
    private BlockFilterIndex index;
    private RpcRegistry registry;
    private RpcRegistry withoutIndex;
    private List<Block> blocks;

    @BeforeEach
    void setUp() throws Exception {
        chain = RegtestBlocks.open(dir);
        index = BlockFilterIndex.start(chain);
        blocks = RegtestBlocks.chain(Tip.genesis(), 3, 0);
        RegtestBlocks.feed(chain, blocks);
        assertTrue(index.awaitSynced(Duration.ofSeconds(30)));
        registry = new RpcRegistry();
        BlockFilterMethods.register(registry, () -> chain, () -> Optional.of(index));
        withoutIndex = new RpcRegistry();
        BlockFilterMethods.register(withoutIndex, () -> chain, Optional::empty);
    }

    @AfterEach
    void tearDown() {
        index.close();
        chain.close();
    }

    private JsonNode call(RpcRegistry r, String params) throws Exception {
        return r.execute("getblockfilter", Json.parse(params), "tester");
    }

    private void fails(RpcRegistry r, String params, int code, String message) {
        RpcException e = assertThrows(RpcException.class, () -> call(r, params));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    @Test
    void genesisFilterAndHeader() throws Exception {
        String genesis = chain.activeChain().genesis().hash().toString();
        JsonNode r = call(registry, "[\"" + genesis + "\"]");
        assertEquals("014756c0", r.get("filter").asText());
        assertEquals("485e301e4509d7f0d954bf5b529f3ecef68c5191fd0e635f775c1d0266dc5a2b", r.get("header").asText());
        assertEquals(2, r.size());
    }

    @Test
    void minedBlockWithExplicitBasicTypeIsTheIndexEntry() throws Exception {
        Block b = blocks.get(2);
        FilterEntry e = index.entry(b.hash()).orElseThrow();
        JsonNode r = call(registry, "[\"" + b.hash() + "\", \"basic\"]");
        assertEquals(Hex.encode(e.filter()), r.get("filter").asText());
        assertEquals(e.header().toString(), r.get("header").asText());
    }

    @Test
    void coreErrors() throws Exception {
        String tip = blocks.get(2).hash().toString();
        fails(registry, "[\"" + tip + "\", \"extended\"]", RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Unknown filtertype");
        fails(withoutIndex, "[\"" + tip + "\"]", RpcErrorCode.MISC_ERROR, "Index is not enabled for filtertype basic");
        fails(registry, "[\"" + "11".repeat(32) + "\"]", RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found");
        RpcException bad = assertThrows(RpcException.class, () -> call(registry, "[\"xyz\"]"));
        assertEquals(RpcErrorCode.INVALID_PARAMETER, bad.code());
    }

    @Test
    void blockBeyondAStuckIndexIsStillBeingIndexed(@TempDir Path prunedDir) throws Exception {
        // An index started after pruning cannot get past the pruned blocks: it never catches up.
        List<Block> longChain = RegtestBlocks.chain(Tip.genesis(), 300, 1);
        try (ChainstateManager pruned = RegtestBlocks.open(prunedDir,
                RegtestBlocks.options().withPruneTargetBytes(ChainstateOptions.PRUNE_MANUAL))) {
            RegtestBlocks.feed(pruned, longChain);
            pruned.pruneBlockchain(5);
            try (BlockFilterIndex stuck = BlockFilterIndex.start(pruned)) {
                assertFalse(stuck.awaitSynced(Duration.ofSeconds(30)));
                RpcRegistry r = new RpcRegistry();
                BlockFilterMethods.register(r, () -> pruned, () -> Optional.of(stuck));
                fails(r, "[\"" + longChain.get(299).hash() + "\"]", RpcErrorCode.MISC_ERROR,
                        "Filter not found. Block filters are still in the process of being indexed.");
            }
        }
    }

    @Test
    void headerOnlyBlockWasNotConnected() throws Exception {
        Block next = RegtestBlocks.block(RegtestBlocks.tipOf(Tip.genesis(), blocks), 0);
        assertEquals(HeadersResult.Status.ACCEPTED, chain.processNewBlockHeaders(List.of(next.header())).status());
        fails(registry, "[\"" + next.hash() + "\"]", RpcErrorCode.INVALID_ADDRESS_OR_KEY,
                "Filter not found. Block was not connected to active chain.");
    }
}
