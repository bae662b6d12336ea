package org.jbitcoind.chain.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.TestWallet;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.testing.TestWallet.Utxo;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** removeForBlock (confirmed and conflicting) and the reorganisation path back into the pool. */
class BlockUpdateTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();

    @Test
    void connectedBlockRemovesConfirmedAndKeepsChildren() throws Exception {
        Transaction parent = f.pay(f.coinbase(1), 1_000);
        Transaction child = f.pay(f.out(parent, 0), 2_000);
        Transaction other = f.pay(f.coinbase(2), 1_500);
        for (Transaction t : List.of(parent, child, other)) {
            f.accept(t);
        }
        Block b = f.chain.mine(List.of(parent), 1_000, f.minerScript());
        f.pool.removeForBlock(b.transactions());
        assertEquals(Set.of(child.txid(), other.txid()), Set.copyOf(f.pool.txids()));
        EntryInfo c = f.pool.entry(child.txid()).orElseThrow();
        assertEquals(1, c.ancestorCount(), "parent confirmed: child has no mempool ancestors left");
        assertEquals(2_000, c.ancestorFees());
        assertTrue(c.depends().isEmpty());
        assertEquals(child.vsize() + other.vsize(), f.pool.totalVsize());
    }

    @Test
    void connectedBlockRemovesConflictsWithDescendants() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction ours = f.pay(in, 1_000);
        Transaction ourChild = f.pay(f.out(ours, 0), 1_000);
        f.accept(ours);
        f.accept(ourChild);
        // A different spend of the same coin gets mined.
        Transaction theirs = TestWallet.spend(List.of(in), List.of(new TxOut(in.output().value() - 3_000,
                f.minerKey.script(Kind.P2TR))));
        List<String> reasons = new ArrayList<>();
        f.pool.addListener(new MempoolListener() {
            @Override
            public void transactionRemoved(Transaction tx, RemovalReason reason) {
                reasons.add(reason.name());
            }
        });
        Block b = f.chain.mine(List.of(theirs), 3_000, f.minerScript());
        f.pool.removeForBlock(b.transactions());
        assertEquals(0, f.pool.size());
        assertEquals(List.of("CONFLICT", "CONFLICT"), reasons);
    }

    @Test
    void connectedBlockClearsPrioritisationOfItsTransactionsAlsoWhenThePoolIsEmpty() throws Exception {
        Transaction mined = f.pay(f.coinbase(1), 1_000);
        Transaction notMined = f.pay(f.coinbase(2), 1_000);
        f.pool.prioritise(mined.txid(), 5_000);
        f.pool.prioritise(notMined.txid(), 7_000);
        Block b = f.chain.mine(List.of(mined), 1_000, f.minerScript());
        assertEquals(0, f.pool.size());
        f.pool.removeForBlock(b.transactions());
        assertEquals(Map.of(notMined.txid(), 7_000L), f.pool.deltas());
    }

    @Test
    void reorgPutsTransactionsBack() throws Exception {
        Transaction a = f.pay(f.coinbase(1), 1_000);
        Transaction b = f.pay(f.coinbase(2), 2_000);
        f.accept(a);
        f.accept(b);
        Block block = f.chain.mine(List.of(a, b), 3_000, f.minerScript());
        f.pool.removeForBlock(block.transactions());
        // A child of a, accepted while a is confirmed.
        Transaction child = f.pay(f.out(a, 0), 4_000);
        f.accept(child);
        assertEquals(1, f.pool.size());

        DisconnectedBlockTransactions disconnected = new DisconnectedBlockTransactions();
        disconnected.addForBlock(f.chain.disconnectTip());
        int back = f.pool.updateForReorg(disconnected, f.chain.context());
        assertEquals(2, back);
        assertTrue(disconnected.isEmpty());
        assertEquals(Set.of(a.txid(), b.txid(), child.txid()), Set.copyOf(f.pool.txids()));
        // The child is linked to its returned parent again.
        EntryInfo c = f.pool.entry(child.txid()).orElseThrow();
        assertEquals(2, c.ancestorCount());
        assertEquals(List.of(a.txid()), c.depends());
        assertEquals(2, f.pool.entry(a.txid()).orElseThrow().descendantCount());
        assertEquals(7_000, f.pool.totalFees());
    }

    @Test
    void reorgDropsWhatTheNewChainMakesInvalid() throws Exception {
        Transaction a = f.pay(f.coinbase(1), 1_000);
        Block block = f.chain.mine(List.of(a), 1_000, f.minerScript());
        f.pool.removeForBlock(block.transactions());
        // Spends the coinbase of block 22, spendable in block 122 but not in 121 (after the reorg).
        Block tip = block;
        Utxo young = f.coinbase(22);
        Transaction spendYoung = f.pay(young, 1_000);
        f.accept(spendYoung);
        assertTrue(f.pool.contains(spendYoung.txid()));

        DisconnectedBlockTransactions disconnected = new DisconnectedBlockTransactions();
        disconnected.addForBlock(f.chain.disconnectTip());
        f.pool.updateForReorg(disconnected, f.chain.context());
        assertTrue(f.pool.contains(a.txid()));
        assertFalse(f.pool.contains(spendYoung.txid()), "coinbase of 22 is immature at height 121");
        assertEquals(tip.transactions().get(1), a);
    }

    @Test
    void reorgToAChainWithAConflictKeepsTheConfirmedOne() throws Exception {
        Utxo in = f.coinbase(1);
        Transaction a = f.pay(in, 1_000);
        Block old = f.chain.mine(List.of(a), 1_000, f.minerScript());
        f.pool.removeForBlock(old.transactions());

        DisconnectedBlockTransactions disconnected = new DisconnectedBlockTransactions();
        disconnected.addForBlock(f.chain.disconnectTip());
        Transaction rival = TestWallet.spend(List.of(in), List.of(new TxOut(in.output().value() - 9_000,
                f.minerScript())));
        Block replacementBlock = f.chain.mine(List.of(rival), 9_000, f.minerKey.script(Kind.P2TR));
        f.pool.removeForBlock(replacementBlock.transactions());
        disconnected.removeForBlock(replacementBlock.transactions());
        assertEquals(0, f.pool.updateForReorg(disconnected, f.chain.context()));
        assertEquals(0, f.pool.size());
    }
}
