package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jbitcoind.node.testing.RawPeer;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay proof with three real daemons on 127.0.0.1, connected in a line A - B - C (B dials A,
 * C dials B): a transaction sent to A reaches B and C; a double spend is refused with Core's
 * reason; a full-RBF replacement paying more replaces the original on all three; an orphan held by
 * C resolves when its parent arrives through the network; a block mined on C confirms everything
 * on all three and empties their mempools; a block from generateblock on B is accepted by A and C.
 * Every daemon is stopped by its PID.
 */
class TxRelayDaemonProcessTest {
    private static final long TIMEOUT_MS = 60_000;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern P2P_PORT = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    private static final Pattern RPC_PORT = Pattern.compile("Binding RPC on address 127\\.0\\.0\\.1 port (\\d+)");

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> consoles = new ArrayList<>();

    private record Daemon(Process process, int p2pPort, RpcClient rpc, String name) {
    }

    @AfterEach
    void stopEveryProcessThisTestStarted() throws Exception {
        for (Process p : processes) {
            if (p.isAlive()) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void threeDaemonsRelayReplaceResolveOrphansAndMine() throws Exception {
        // Started together (they start in parallel), then linked: B dials A, C dials B.
        Process pa = launch("a");
        Process pb = launch("b");
        Process pc = launch("c");
        Daemon a = ready(pa, "a");
        Daemon b = ready(pb, "b");
        Daemon c = ready(pc, "c");
        List<Daemon> all = List.of(a, b, c);
        b.rpc().call("addnode", "127.0.0.1:" + a.p2pPort(), "onetry");
        c.rpc().call("addnode", "127.0.0.1:" + b.p2pPort(), "onetry");
        awaitAll(List.of(a, c), d -> d.rpc().call("getconnectioncount").asInt() == 1, "one peer");
        awaitAll(List.of(b), d -> d.rpc().call("getconnectioncount").asInt() == 2, "two peers");

        JsonNode mined = a.rpc().call("generatetoaddress", 104, Coins.ADDRESS);
        String tip = mined.get(mined.size() - 1).asText();
        awaitAll(all, d -> tip.equals(d.rpc().call("getbestblockhash").asText()), "A's 104 blocks everywhere");

        // 1. Sent to A, in every mempool.
        String coin = Coins.coinbase(a.rpc(), 1);
        Transaction original = Coins.spend(a.rpc(), coin, 0, "49.9999");
        a.rpc().call("sendrawtransaction", Coins.hex(original));
        awaitAll(all, d -> d.rpc().mempool().contains(original.txid().toString()), "the transaction in every mempool");

        // 2. A double spend paying no more is refused, here at C, with Core's reason.
        Transaction doubleSpend = Coins.spendTo(c.rpc(), coin, 0, Coins.OTHER_ADDRESS, "49.9999", List.of());
        JsonNode refused = c.rpc().error("sendrawtransaction", Coins.hex(doubleSpend));
        assertEquals(-26, refused.get("code").asInt(), refused.toString());
        assertTrue(refused.get("message").asText().startsWith("insufficient fee"), refused.toString());

        // 3. Full RBF: a replacement paying more, sent to C, replaces the original on all three.
        Transaction replacement = Coins.spendTo(c.rpc(), coin, 0, Coins.OTHER_ADDRESS, "49.99", List.of());
        c.rpc().call("sendrawtransaction", Coins.hex(replacement));
        awaitAll(all, d -> {
            List<String> pool = d.rpc().mempool();
            return pool.contains(replacement.txid().toString()) && !pool.contains(original.txid().toString());
        }, "the replacement everywhere, the original nowhere");

        // 4. An orphan: C gets a child whose parent nobody has; the parent then arrives from A.
        Transaction parent = Coins.spend(a.rpc(), Coins.coinbase(a.rpc(), 2), 0, "49.9999");
        Transaction child = Coins.spend(a.rpc(), parent.txid().toString(), 0, "49.9998",
                List.of(Coins.prevout(parent, 0)));
        try (RawPeer p = RawPeer.connect(new InetSocketAddress("127.0.0.1", c.p2pPort()))) {
            p.handshake();
            p.send(new TxMessage(child));
            // C asks the orphan's sender for the parent; we do not give it.
            p.expect(m -> m instanceof InventoryMessage i && i.kind() == InventoryMessage.Kind.GETDATA
                    && i.items().contains(new InvItem(InvItem.MSG_WITNESS_TX, parent.txid())), WAIT);
            assertFalse(c.rpc().mempool().contains(child.txid().toString()), "the child waits as an orphan");
            a.rpc().call("sendrawtransaction", Coins.hex(parent));
            awaitAll(all, d -> {
                List<String> pool = d.rpc().mempool();
                return pool.contains(parent.txid().toString()) && pool.contains(child.txid().toString());
            }, "parent and resolved orphan everywhere");
        }

        // 5. C mines: every node has the block with all three transactions, and empty mempools.
        String block = c.rpc().call("generatetoaddress", 1, Coins.ADDRESS).get(0).asText();
        awaitAll(all, d -> block.equals(d.rpc().call("getbestblockhash").asText())
                && d.rpc().mempool().isEmpty(), "C's block everywhere, mempools empty");
        List<String> confirmed = new ArrayList<>();
        a.rpc().call("getblock", block).get("tx").forEach(t -> confirmed.add(t.asText()));
        assertTrue(confirmed.containsAll(List.of(replacement.txid().toString(), parent.txid().toString(),
                child.txid().toString())), confirmed.toString());

        // 6. generateblock on B: accepted by A and C.
        Transaction last = Coins.spend(b.rpc(), Coins.coinbase(b.rpc(), 3), 0, "49.9999");
        String generated = b.rpc().call("generateblock", Coins.ADDRESS, List.of(Coins.hex(last))).get("hash")
                .asText();
        awaitAll(all, d -> generated.equals(d.rpc().call("getbestblockhash").asText()), "B's generated block");
        List<String> inBlock = new ArrayList<>();
        c.rpc().call("getblock", generated).get("tx").forEach(t -> inBlock.add(t.asText()));
        assertEquals(List.of(last.txid().toString()), inBlock.subList(1, inBlock.size()));

        for (Daemon d : List.of(c, b, a)) {
            stopByPid(d.process());
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean test(Daemon d) throws Exception;
    }

    private static void awaitAll(List<Daemon> daemons, Check check, String what) {
        for (Daemon d : daemons) {
            BooleanSupplier ok = () -> {
                try {
                    return check.test(d);
                } catch (Exception e) {
                    return false;
                }
            };
            Waits.until(ok, WAIT, what + " (node " + d.name() + ")");
        }
    }

    private Process launch(String name, String... extra) throws Exception {
        Path datadir = dir.resolve(name);
        Files.createDirectories(datadir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Duser.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-regtest", "-datadir=" + datadir, "-dnsseed=0", "-fixedseeds=0",
                "-listen=1", "-port=0", "-bind=127.0.0.1", "-dbcache=16", "-rpcport=0", "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1", "-printtoconsole", "-persistmempool=0", "-txannounceinterval=100"));
        command.addAll(List.of(extra));
        Path out = datadir.resolve("console.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        processes.add(p);
        consoles.add(out);
        return p;
    }

    private Daemon ready(Process p, String name) throws Exception {
        Path datadir = dir.resolve(name);
        Path out = datadir.resolve("console.txt");
        int p2p = Integer.parseInt(awaitLine(p, out, P2P_PORT).group(1));
        int rpc = Integer.parseInt(awaitLine(p, out, RPC_PORT).group(1));
        awaitLine(p, out, Pattern.compile(Pattern.quote("started on regtest")));
        return new Daemon(p, p2p, new RpcClient(rpc, datadir.resolve("regtest").resolve(".cookie")), name);
    }

    private static Matcher awaitLine(Process p, Path out, Pattern pattern) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            String s = Files.exists(out) ? Files.readString(out) : "";
            Matcher m = pattern.matcher(s);
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                throw new AssertionError("daemon exited with " + p.exitValue() + " before '" + pattern + "':\n" + s);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + pattern + "' within " + TIMEOUT_MS + " ms:\n" + Files.readString(out));
    }

    /** SIGTERM by the process's own PID, then an orderly exit with status 0. */
    private static void stopByPid(Process p) throws Exception {
        ProcessHandle.of(p.pid()).orElseThrow().destroy();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "daemon did not stop");
        assertEquals(0, p.exitValue());
    }
}
