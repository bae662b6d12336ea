package org.jbitcoind.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.jbitcoind.node.connmgr.P2pConfig;
import org.jbitcoind.node.p2p.FileDescriptorBudget;
import org.jbitcoind.storage.ChainDbOptions;
import org.junit.jupiter.api.Test;

/** The benchmark refuses an open-files limit under which the daemon would lower -maxconnections. */
class ManyPeersBenchTest {
    /** What the daemon reserves with one -bind: database, node reserve, listening socket, manual connections. */
    private static final int DAEMON_RESERVE = ChainDbOptions.defaults().fileDescriptors()
            + FileDescriptorBudget.NODE_RESERVE + 1 + P2pConfig.MAX_ADDNODE_CONNECTIONS;

    @Test
    void aLimitThatHoldsTheDaemonsReserveAndEveryConnectionRuns() {
        assertEquals(Optional.empty(), ManyPeersBench.openFilesProblem(20_000, 1000, 1100));
        assertEquals(Optional.empty(), ManyPeersBench.openFilesProblem(DAEMON_RESERVE + 1100, 1000, 1100));
        assertEquals(Optional.empty(), ManyPeersBench.openFilesProblem(Long.MAX_VALUE, 1000, 1100));
    }

    @Test
    void oneDescriptorShortOfTheDaemonsNeedIsRefusedNamingTheNumbers() {
        long limit = DAEMON_RESERVE + 1100 - 1;
        String problem = ManyPeersBench.openFilesProblem(limit, 1000, 1100).orElseThrow();
        assertEquals("open-files limit " + limit + " is too low for 1000 peers: the daemon reserves " + DAEMON_RESERVE
                + " descriptors (docs/operations.md \"Open files\") and would lower -maxconnections from 1100 to 1099;"
                + " it needs " + (DAEMON_RESERVE + 1100) + "; raise it (ulimit -Hn, LimitNOFILE=) and run again",
                problem);
    }

    @Test
    void theOldPeersPlus500IsNoLongerEnough() {
        // The check this replaces let 1,000 peers run under 1,501 open files; the daemon would then have
        // lowered -maxconnections to 1501 - 703 = 798.
        assertTrue(ManyPeersBench.openFilesProblem(1501, 1000, 1100).orElseThrow()
                .contains("would lower -maxconnections from 1100 to " + (1501 - DAEMON_RESERVE)));
    }

    @Test
    void tooFewForTheDaemonToStartOrForThisJvm() {
        assertTrue(ManyPeersBench.openFilesProblem(DAEMON_RESERVE + 10, 5, 105).orElseThrow()
                .contains("the daemon would not start (Not enough file descriptors available"));
        assertEquals("open-files limit 700 is too low for 1000 peers: this JVM needs 1100; raise it (ulimit -Hn,"
                + " LimitNOFILE=) and run again", ManyPeersBench.openFilesProblem(700, 1000, 1100).orElseThrow());
    }
}
