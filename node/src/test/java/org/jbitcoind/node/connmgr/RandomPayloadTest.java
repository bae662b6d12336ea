package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Well-framed messages of every known command with random payloads, after a completed handshake:
 * each is either accepted or costs the sender its connection with a protocol reason, never an
 * internal error, and the node keeps serving an honest peer throughout.
 */
class RandomPayloadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> COMMANDS = List.of("version", "verack", "ping", "pong", "addr", "addrv2",
            "getaddr", "inv", "getdata", "notfound", "getblocks", "getheaders", "headers", "block", "tx", "mempool",
            "sendheaders", "feefilter", "sendcmpct", "cmpctblock", "getblocktxn", "blocktxn", "filterload",
            "filteradd", "filterclear", "merkleblock", "getcfilters", "cfilter", "getcfheaders", "cfheaders",
            "getcfcheckpt", "cfcheckpt", "sendaddrv2", "wtxidrelay", "reject", "alert");

    @TempDir
    static Path dir;
    private static ConnectionManager node;
    private static RawPeer honest;

    @BeforeAll
    static void start() throws Exception {
        node = new ConnectionManager(TestNodes.regtest(dir).maxConnections(50).build(), () -> 0,
                MessageHandler.IGNORE);
        node.start();
        honest = RawPeer.connect(node.listenAddresses().get(0)).answerPings(true);
        honest.handshake();
    }

    @AfterAll
    static void stop() {
        honest.close();
        node.close();
    }

    static Stream<String> commands() {
        return COMMANDS.stream();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void randomPayloadIsAcceptedOrPunishedNeverACrash(String command) throws Exception {
        Random random = new Random(command.hashCode());
        for (int round = 0; round < 2; round++) {
            byte[] payload = new byte[round == 0 ? 0 : random.nextInt(300)];
            random.nextBytes(payload);
            try (RawPeer p = RawPeer.connect(node.listenAddresses().get(0))) {
                p.handshake();
                Waits.until(() -> node.peers().stream().filter(Peer::isEstablished).count() == 2, WAIT,
                        "fuzz peer established");
                long newest = node.peers().stream().mapToLong(Peer::id).max().orElseThrow();
                Peer fuzzPeer = node.peer(newest).orElseThrow();
                p.send(new UnknownMessage(command, payload));
                boolean alive;
                try {
                    p.sync();
                    alive = true;
                } catch (AssertionError closed) {
                    alive = false;
                }
                if (!alive) {
                    assertTrue(p.awaitClosed(WAIT));
                    String reason = fuzzPeer.disconnectReason().orElseThrow();
                    assertTrue(reason.startsWith("misbehaving") || reason.endsWith("after verack"),
                            command + ": " + reason);
                    assertFalse(reason.contains("internal error") || reason.contains("undecodable"), reason);
                }
            }
            Waits.until(() -> node.peers().size() == 1, WAIT, "fuzz peer gone");
        }
        honest.sync();
        assertEquals(1, node.peers().size());
    }
}
