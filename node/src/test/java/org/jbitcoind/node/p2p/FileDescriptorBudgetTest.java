package org.jbitcoind.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.storage.ChainDbOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileDescriptorBudgetTest {
    /** The daemon's database share: 512 table-cache files + 32 of RocksDB's own. */
    private static final int DB = ChainDbOptions.defaults().fileDescriptors();
    /** DB + node reserve + one listening socket + 8 manual connections. */
    private static final int RESERVED = DB + FileDescriptorBudget.NODE_RESERVE + 1 + P2pConfig.MAX_ADDNODE_CONNECTIONS;

    @Test
    void reserveIsTheDocumentedSum() throws Exception {
        assertEquals(544, DB);
        assertEquals(703, RESERVED);
        assertEquals(RESERVED, FileDescriptorBudget.plan(100_000, 125, DB, 1).reserved());
        // No -bind still counts one listening socket (Core's max(nBind, 1)); each further -bind one more.
        assertEquals(RESERVED, FileDescriptorBudget.plan(100_000, 125, DB, 0).reserved());
        assertEquals(RESERVED + 2, FileDescriptorBudget.plan(100_000, 125, DB, 3).reserved());
    }

    @ParameterizedTest(name = "limit {0}, -maxconnections {1} -> {2}")
    @CsvSource({
            // plenty: as configured
            "20000, 125, 125",
            "1024, 125, 125",
            "828, 125, 125",
            // one short: lowered by one
            "827, 125, 124",
            // inbound slots go first, down to the outbound slots alone
            "760, 125, 57",
            "714, 125, 11",
            // an operator's low -maxconnections needs only itself
            "705, 2, 2",
            "703, 0, 0",
            // a huge limit (unlimited on some systems) is no overflow
            "9223372036854775807, 100000, 100000",
    })
    void effectiveConnections(long limit, int requested, int effective) throws Exception {
        FileDescriptorBudget b = FileDescriptorBudget.plan(limit, requested, DB, 1);
        assertEquals(effective, b.effective());
        assertEquals(effective < requested, b.lowered());
    }

    @ParameterizedTest(name = "limit {0}, -maxconnections {1}: refused")
    @CsvSource({"713, 125", "600, 125", "256, 125", "704, 2", "0, 125"})
    void tooFewForTheOutboundSlotsStopsStartUp(long limit, int requested) {
        var e = assertThrows(FileDescriptorBudget.NotEnoughFileDescriptors.class,
                () -> FileDescriptorBudget.plan(limit, requested, DB, 1));
        long needed = RESERVED + P2pConfig.defaultOutboundSlots(requested);
        assertEquals("Not enough file descriptors available: the open-files limit is " + limit
                + ", jbitcoind needs at least " + needed + " (703 for the database and the node, "
                + Math.min(requested, 11) + " for outbound connections); raise it (ulimit -n, LimitNOFILE= in systemd)",
                e.getMessage());
    }

    @Test
    void warningNamesBothNumbersAndTheLimit() throws Exception {
        FileDescriptorBudget b = FileDescriptorBudget.plan(760, 125, DB, 1);
        assertTrue(b.lowered());
        assertEquals("Reducing -maxconnections from 125 to 57, because of system limitations: the open-files limit"
                + " is 760 and 703 descriptors are reserved for the database and the node; raise the limit"
                + " (ulimit -n, LimitNOFILE= in systemd) to at least 828 to keep 125", b.warning());
        assertFalse(FileDescriptorBudget.plan(828, 125, DB, 1).lowered());
    }

    @Test
    void loweredLimitKeepsTheOutboundSlotsAndCutsInbound() throws Exception {
        FileDescriptorBudget b = FileDescriptorBudget.plan(760, 125, DB, 1);
        P2pConfig config = P2pConfig.builder(org.jbitcoind.config.Network.REGTEST, java.nio.file.Path.of("unused"))
                .maxConnections(b.effective()).build();
        assertEquals(8, config.maxOutboundFullRelay());
        assertEquals(2, config.maxBlockRelayOnly());
        assertEquals(57 - 11, config.maxInbound());
    }

    /** At the tightest limit that starts, the lowered -maxconnections still gives every outbound slot, no inbound. */
    @ParameterizedTest(name = "-maxconnections {0}: needs {1} beyond the reserve")
    @CsvSource({"0, 0", "1, 1", "8, 8", "10, 10", "11, 11", "125, 11"})
    void tightestLimitKeepsTheOutboundSlotsOfTheRequestedLimit(int requested, int outbound) throws Exception {
        assertEquals(outbound, FileDescriptorBudget.minimumConnections(requested));
        FileDescriptorBudget b = FileDescriptorBudget.plan(RESERVED + outbound, requested, DB, 1);
        assertEquals(outbound, b.effective());
        P2pConfig asked = P2pConfig.builder(org.jbitcoind.config.Network.REGTEST, java.nio.file.Path.of("unused"))
                .maxConnections(requested).build();
        P2pConfig fitted = P2pConfig.builder(org.jbitcoind.config.Network.REGTEST, java.nio.file.Path.of("unused"))
                .maxConnections(b.effective()).build();
        assertEquals(asked.maxOutboundFullRelay(), fitted.maxOutboundFullRelay());
        assertEquals(asked.maxBlockRelayOnly(), fitted.maxBlockRelayOnly());
        assertEquals(asked.maxFeeler(), fitted.maxFeeler());
        assertEquals(0, fitted.maxInbound());
        if (outbound > 0) {
            assertThrows(FileDescriptorBudget.NotEnoughFileDescriptors.class,
                    () -> FileDescriptorBudget.plan(RESERVED + outbound - 1, requested, DB, 1));
        }
    }

    @Test
    void thisJvmReportsItsLimit() {
        // Linux (CI and this machine): the Unix bean is there and reports a positive limit.
        assertTrue(OpenFilesLimit.current().orElseThrow() > 0);
    }
}
