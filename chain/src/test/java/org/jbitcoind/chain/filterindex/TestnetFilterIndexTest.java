package org.jbitcoind.chain.filterindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.state.BlockFileImporter;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Testnet3 blocks 0-400 (blocks_iterator/blk-testnet.dat) imported into a testnet3 chain state with
 * every script checked, then indexed: every row of Core's blockfilters.json at a height the file
 * covers must come out of the index byte for byte (filter) and with the same filter header, which
 * is chained by the index from genesis, not taken from the vector.
 */
class TestnetFilterIndexTest {
    private static final int LAST_HEIGHT = 400;

    @TempDir
    static Path dir;
    private static ChainstateManager chain;
    private static BlockFilterIndex index;

    record Row(int height, Hash256 blockHash, String filter, Hash256 header, String note) {
        @Override
        public String toString() {
            return height + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    /** The rows of blockfilters.json (row 0 is the column header) at heights blk-testnet.dat holds. */
    static Stream<Row> rows() throws Exception {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("blockfilters.json")));
        List<Row> out = new ArrayList<>();
        for (int i = 1; i < root.size(); i++) {
            JsonNode r = root.get(i);
            if (r.get(0).asInt() <= LAST_HEIGHT) {
                out.add(new Row(r.get(0).asInt(), Hash256.fromHex(r.get(1).asText()), r.get(5).asText(),
                        Hash256.fromHex(r.get(6).asText()), r.get(7).asText()));
            }
        }
        return out.stream();
    }

    @BeforeAll
    static void importAndIndex() throws Exception {
        ChainstateOptions options = ChainstateOptions.defaults(ChainParams.of(Network.TESTNET3))
                .withAssumeValid(Optional.empty()).withScriptThreads(2).withCoinsCacheBytes(16 * ChainstateOptions.MIB);
        chain = ChainstateManager.open(dir, options, RegtestBlocks.dbOptions(), false);
        index = BlockFilterIndex.start(chain);
        BlockFileImporter.Result r = new BlockFileImporter(chain, () -> false)
                .importFile(SharedData.data("blocks_iterator/blk-testnet.dat"));
        assertEquals(0, r.invalid());
        assertEquals(LAST_HEIGHT, chain.activeChain().height());
        assertTrue(index.awaitSynced(Duration.ofSeconds(60)), "index catches up with the imported chain");
    }

    @AfterAll
    static void close() {
        if (index != null) {
            index.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void vectorRowsCoverGenesisAndLaterBlocks() throws Exception {
        assertEquals(List.of(0, 2, 3), rows().map(Row::height).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void indexedFilterAndHeaderEqualCore(Row row) {
        assertEquals(row.blockHash(), chain.activeChain().get(row.height()).hash());
        FilterEntry e = index.entry(row.blockHash()).orElseThrow();
        assertEquals(row.filter(), Hex.encode(e.filter()));
        assertEquals(row.header(), e.header());
    }
}
