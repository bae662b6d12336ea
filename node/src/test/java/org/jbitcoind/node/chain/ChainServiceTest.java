package org.jbitcoind.node.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.filterindex.BlockFilterIndex;
import org.jbitcoind.chain.filterindex.FilterRequestHandler;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.ChainstateOptions;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.jbitcoind.node.StartupException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.CFHeadersMessage;
import org.jbitcoind.protocol.message.GetCFCheckptMessage;
import org.jbitcoind.protocol.message.GetCFHeadersMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the settings become chain-state options, and the service's start and close. */
class ChainServiceTest {
    @TempDir
    Path dir;

    private Settings settings(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-datadir=" + dir));
        args.addAll(List.of(extra));
        return SettingsLoader.load(args);
    }

    @Test
    void defaultsAreCoreDefaults() throws Exception {
        ChainstateOptions o = ChainService.options(settings(), ChainParams.of(Network.MAIN));
        assertEquals(ChainstateOptions.coinsCacheForDbCache(450), o.coinsCacheBytes());
        assertEquals(0, o.pruneTargetBytes());
        assertFalse(o.txIndex());
        assertEquals(Optional.of(ChainParams.of(Network.MAIN).defaultAssumeValid()), o.assumeValid());
        assertEquals(ChainParams.of(Network.MAIN).minimumChainWork(), o.minimumChainWork());
        assertEquals(86_400, o.maxTipAgeSeconds(), "Core's DEFAULT_MAX_TIP_AGE");
        ChainstateOptions regtest = ChainService.options(settings("-regtest"), ChainParams.of(Network.REGTEST));
        assertEquals(Optional.empty(), regtest.assumeValid(), "no assumed-valid block on regtest");
    }

    @Test
    void keysMapToOptions() throws Exception {
        String hash = "00000000a9da635727dce622d78361b153ce3334e6a60d4377fad529abfc7863";
        ChainstateOptions o = ChainService.options(settings("-dbcache=100", "-prune=600", "-assumevalid=" + hash,
                "-minimumchainwork=ff", "-par=1", "-maxtipage=2000000000"), ChainParams.of(Network.MAIN));
        assertEquals(100 * ChainstateOptions.MIB - 12_800 * 1024, o.coinsCacheBytes(), "an eighth goes to RocksDB");
        assertEquals(600 * ChainstateOptions.MIB, o.pruneTargetBytes());
        assertTrue(o.pruneAutomatic());
        assertEquals(Optional.of(Hash256.fromHex(hash)), o.assumeValid());
        assertEquals(BigInteger.valueOf(255), o.minimumChainWork());
        assertEquals(1, o.scriptThreads());
        assertEquals(2_000_000_000L, o.maxTipAgeSeconds());
        assertEquals(Optional.empty(), ChainService.options(settings("-assumevalid=0"),
                ChainParams.of(Network.MAIN)).assumeValid());
        ChainstateOptions manual = ChainService.options(settings("-prune=1"), ChainParams.of(Network.MAIN));
        assertTrue(manual.pruneEnabled());
        assertFalse(manual.pruneAutomatic());
        assertTrue(ChainService.options(settings("-txindex"), ChainParams.of(Network.MAIN)).txIndex());
    }

    @Test
    void parLeavesCoresFreeButKeepsOneThread() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.min(cores, 15), ChainService.scriptThreads(0));
        assertEquals(1, ChainService.scriptThreads(-256));
        assertEquals(15, ChainService.scriptThreads(15));
    }

    @Test
    void opensTheDatabaseInTheNetworkFolderAndCloses() throws Exception {
        ChainService service = new ChainService(settings("-regtest", "-dbcache=8"));
        service.start();
        try {
            assertEquals(0, service.chainstate().activeChain().height());
            assertTrue(Files.exists(dir.resolve("regtest").resolve(ChainService.FOLDER).resolve("CURRENT")));
        } finally {
            service.close();
        }
        assertThrows(IllegalStateException.class, service::chainstate);
    }

    @Test
    void blockFilterIndexRunsWithTheSettingAndServesWithPeerBlockFilters() throws Exception {
        ChainService service = new ChainService(settings("-regtest", "-dbcache=8", "-blockfilterindex=basic",
                "-peerblockfilters"));
        service.start();
        try {
            ChainstateManager chain = service.chainstate();
            RegtestBlocks.feed(chain, RegtestBlocks.chain(RegtestBlocks.Tip.genesis(), 5, 0));
            BlockFilterIndex index = service.blockFilterIndex().orElseThrow();
            assertTrue(index.awaitSynced(Duration.ofSeconds(30)));
            Hash256 tip = chain.activeChain().tip().hash();
            FilterRequestHandler.Outcome o = service.filterRequests().handle(
                    new GetCFHeadersMessage(BlockFilter.TYPE_BASIC, 0, tip));
            CFHeadersMessage m = (CFHeadersMessage) ((FilterRequestHandler.Reply) o).messages().get(0);
            assertEquals(6, m.filterHashes().size());
            assertEquals(index.entry(tip).orElseThrow().filterHash(), m.filterHashes().get(5));
        } finally {
            service.close();
        }
        assertTrue(service.blockFilterIndex().isEmpty());
    }

    @Test
    void withoutPeerBlockFiltersRequestsAreRefusedAndWithoutTheIndexThereIsNone() throws Exception {
        ChainService indexOnly = new ChainService(settings("-regtest", "-dbcache=8", "-blockfilterindex=1"));
        indexOnly.start();
        try {
            assertTrue(indexOnly.blockFilterIndex().isPresent());
            Hash256 genesis = indexOnly.chainstate().activeChain().genesis().hash();
            assertInstanceOf(FilterRequestHandler.Disconnect.class, indexOnly.filterRequests().handle(
                    new GetCFCheckptMessage(BlockFilter.TYPE_BASIC, genesis)));
        } finally {
            indexOnly.close();
        }
        ChainService none = new ChainService(settings("-regtest", "-dbcache=8"));
        none.start();
        try {
            assertTrue(none.blockFilterIndex().isEmpty());
        } finally {
            none.close();
        }
    }

    @Test
    void aDatabaseOfAnotherNetworkStopsStartUp() throws Exception {
        ChainService main = new ChainService(settings("-dbcache=8"));
        main.start();
        main.close();
        // Point testnet's folder at the mainnet database.
        Files.createDirectories(dir.resolve("testnet3"));
        Files.move(dir.resolve(ChainService.FOLDER), dir.resolve("testnet3").resolve(ChainService.FOLDER));
        ChainService test = new ChainService(settings("-testnet", "-dbcache=8"));
        StartupException e = assertThrows(StartupException.class, test::start);
        assertTrue(e.getMessage().contains("is for network main, not test"), e.getMessage());
    }
}
