package org.jbitcoind.node.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.TxMessage;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.testkit.DaemonProcess;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses daemons = DaemonProcesses.listeningOnLoopback();

    @Test
    void threeDaemonsRelayReplaceResolveOrphansAndMine() throws Exception {
        // Started together (they start in parallel), then linked: B dials A, C dials B.
        DaemonProcess a = launch("a");
        DaemonProcess b = launch("b");
        DaemonProcess c = launch("c");
        List<DaemonProcess> all = List.of(a, b, c);
        for (DaemonProcess d : all) {
            d.awaitStarted();
        }
        b.rpc().call("addnode", "127.0.0.1:" + a.p2pAddress().getPort(), "onetry");
        c.rpc().call("addnode", "127.0.0.1:" + b.p2pAddress().getPort(), "onetry");
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
        try (RawPeer p = RawPeer.connect(c.p2pAddress())) {
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

        for (DaemonProcess d : List.of(c, b, a)) {
            d.stopCleanly();
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean test(DaemonProcess d) throws Exception;
    }

    private static void awaitAll(List<DaemonProcess> daemons, Check check, String what) {
        for (DaemonProcess d : daemons) {
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

    private DaemonProcess launch(String name) throws Exception {
        return daemons.launch(dir.resolve(name), "-persistmempool=0", "-txannounceinterval=100");
    }
}
