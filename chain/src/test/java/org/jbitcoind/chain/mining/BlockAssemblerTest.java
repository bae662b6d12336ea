package org.jbitcoind.chain.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.mempool.FeeRate;
import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.RegtestChain;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Package selection by ancestor feerate, limits, and that assembled blocks pass the consensus checks. */
class BlockAssemblerTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();

    private BlockAssembler assembler(AssemblerOptions opts) {
        return new BlockAssembler(RegtestChain.PARAMS, opts, f.clock::get);
    }

    private static List<Hash256> txids(BlockTemplate t) {
        return t.entries().stream().map(e -> e.tx().txid()).toList();
    }

    @Test
    void cpfpPackageComesBeforeMediumLoneTransaction() throws Exception {
        Transaction parent = f.pay(f.coinbase(3), 100);      // P2WPKH, ~0.9 sat/vB
        Transaction child = f.pay(f.out(parent, 0), 40_000);  // lifts the package to ~180 sat/vB
        Transaction medium = f.pay(f.coinbase(6), 5_000);     // ~45 sat/vB alone
        Transaction low = f.pay(f.coinbase(9), 1_000);
        for (Transaction t : List.of(low, medium, parent, child)) {
            f.accept(t);
        }
        BlockTemplate t = assembler(AssemblerOptions.defaults()).createNewBlock(f.chain.tip(),
                f.pool.miningCandidates(), f.minerScript());
        assertEquals(List.of(parent.txid(), child.txid(), medium.txid(), low.txid()), txids(t));
        assertEquals(List.of(1), t.entries().get(1).depends(), "child depends on block position 1");
        assertEquals(46_100, t.totalFees());

        // With room for only two transactions, the CPFP package wins over the medium one.
        int room = AssemblerOptions.DEFAULT_RESERVED_WEIGHT + parent.weight() + child.weight() + 1;
        BlockTemplate small = assembler(AssemblerOptions.defaults().withMaxWeight(room)).createNewBlock(
                f.chain.tip(), f.pool.miningCandidates(), f.minerScript());
        assertEquals(List.of(parent.txid(), child.txid()), txids(small));
    }

    @Test
    void respectsWeightLimitTakingHighestFeerates() throws Exception {
        List<Transaction> txs = new ArrayList<>();
        for (int h = 1; h <= 20; h++) {
            Transaction tx = f.pay(f.coinbase(h), 1_000L * h);
            f.accept(tx);
            txs.add(tx);
        }
        int limit = 12_000;
        BlockTemplate t = assembler(AssemblerOptions.defaults().withMaxWeight(limit)).createNewBlock(f.chain.tip(),
                f.pool.miningCandidates(), f.minerScript());
        assertTrue(t.block().weight() <= limit, "weight " + t.block().weight());
        assertFalse(t.entries().isEmpty());
        // Every included transaction pays at least the feerate of every excluded one.
        double minIn = Double.MAX_VALUE;
        for (BlockTemplate.Entry e : t.entries()) {
            minIn = Math.min(minIn, (double) e.fee() / e.tx().vsize());
        }
        List<Hash256> in = txids(t);
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            if (!in.contains(tx.txid())) {
                double rate = 1_000.0 * (i + 1) / tx.vsize();
                assertTrue(rate <= minIn + 1e-9, "excluded " + rate + " > included " + minIn);
            }
        }
    }

    @Test
    void respectsSigOpLimit() throws Exception {
        // P2PKH outputs cost 4 sigops each (legacy OP_CHECKSIG, scaled).
        List<Transaction> txs = new ArrayList<>();
        for (int h : new int[] {1, 4, 7, 10}) {
            Transaction tx = f.pay(f.coinbase(h), 2_000);
            assertEquals(4, f.pool.accept(tx, f.chain.context()).tx().outputs().size() * 4);
            txs.add(tx);
        }
        BlockTemplate t = assembler(AssemblerOptions.defaults().withMaxSigOpsCost(AssemblerOptions.RESERVED_SIGOPS + 9))
                .createNewBlock(f.chain.tip(), f.pool.miningCandidates(), f.minerScript());
        assertEquals(2, t.entries().size());
        assertEquals(8, t.entries().stream().mapToLong(BlockTemplate.Entry::sigOpCost).sum());
    }

    @Test
    void minFeeRateLeavesCheapPackagesOut() throws Exception {
        Transaction cheap = f.pay(f.coinbase(3), 100);
        Transaction rich = f.pay(f.coinbase(6), 10_000);
        f.accept(cheap);
        f.accept(rich);
        BlockTemplate t = assembler(AssemblerOptions.defaults().withMinFeeRate(new FeeRate(5_000))).createNewBlock(
                f.chain.tip(), f.pool.miningCandidates(), f.minerScript());
        assertEquals(List.of(rich.txid()), txids(t));
    }

    @Test
    void assembledBlockPassesConsensusChecksAndClearsThePool() throws Exception {
        Transaction a = f.split(f.coinbase(1), 3, Kind.P2TR, 3_000);
        Transaction b = f.pay(f.out(a, 1), 2_000);
        Transaction c = f.pay(f.coinbase(2), 1_500);
        Transaction d = f.pay(f.coinbase(3), 2_500);
        for (Transaction t : List.of(a, b, c, d)) {
            f.accept(t);
        }
        f.clock.set(f.chain.nextTime());
        BlockTemplate t = assembler(AssemblerOptions.defaults()).createNewBlock(f.chain.tip(),
                f.pool.miningCandidates(), f.minerScript());
        assertEquals(Subsidy.getBlockSubsidy(121, RegtestChain.PARAMS) + 9_000, t.coinbaseValue());
        Block solved = Miner.solve(t, RegtestChain.PARAMS, Miner.DEFAULT_MAX_TRIES).orElseThrow();
        f.chain.connect(solved); // checkBlock, contextual checks, connectBlock with scripts
        assertEquals(121, f.chain.tip().height());
        f.pool.removeForBlock(solved.transactions());
        assertEquals(0, f.pool.size());
        assertTrue(f.chain.coins().haveCoin(new org.jbitcoind.protocol.primitives.OutPoint(b.txid(), 0)));
    }

    @Test
    void emptyTemplateAndGenerateBlockStyleTemplatesAreValid() throws Exception {
        f.clock.set(f.chain.nextTime());
        BlockTemplate empty = assembler(AssemblerOptions.defaults()).createNewBlock(f.chain.tip(), List.of(),
                f.minerScript());
        assertTrue(empty.entries().isEmpty());
        f.chain.connect(Miner.solve(empty, RegtestChain.PARAMS, Miner.DEFAULT_MAX_TRIES).orElseThrow());

        Transaction tx = f.pay(f.coinbase(1), 5_000);
        f.clock.set(f.chain.nextTime());
        BlockTemplate chosen = assembler(AssemblerOptions.defaults()).createWithTransactions(f.chain.tip(),
                List.of(tx), f.minerScript());
        assertEquals(Subsidy.getBlockSubsidy(122, RegtestChain.PARAMS), chosen.coinbaseValue());
        f.chain.connect(Miner.solve(chosen, RegtestChain.PARAMS, Miner.DEFAULT_MAX_TRIES).orElseThrow());
        assertEquals(122, f.chain.tip().height());
    }

    @Test
    void headerTimeAndBits() throws Exception {
        long mtp = f.chain.tip().medianTimePast();
        f.clock.set(mtp - 500); // a clock behind the chain: time is pushed to MTP + 1
        BlockTemplate t = assembler(AssemblerOptions.defaults()).createNewBlock(f.chain.tip(), List.of(),
                f.minerScript());
        assertEquals(mtp + 1, t.block().header().time());
        assertEquals(mtp + 1, t.minTime());
        assertEquals(RegtestChain.PARAMS.powLimitBits(), t.block().header().bits());
        assertEquals(f.chain.tip().hash(), t.block().header().prevBlock());
        f.clock.set(mtp + 1000);
        assertEquals(mtp + 1000, assembler(AssemblerOptions.defaults()).createNewBlock(f.chain.tip(), List.of(),
                f.minerScript()).block().header().time());
    }

    @Test
    void getBlockTemplateFields() throws Exception {
        Transaction parent = f.pay(f.coinbase(3), 1_000);
        Transaction child = f.pay(f.out(parent, 0), 9_000);
        f.accept(parent);
        f.accept(child);
        BlockTemplate t = assembler(AssemblerOptions.defaults()).createNewBlock(f.chain.tip(),
                f.pool.miningCandidates(), f.minerScript());
        BlockTemplateData d = BlockTemplateData.of(t, RegtestChain.PARAMS, f.pool.sequence());
        assertEquals(List.of("csv", "!segwit", "taproot"), d.rules());
        assertEquals(f.chain.tip().hash().toString(), d.previousblockhash());
        assertEquals(121, d.height());
        assertEquals(Subsidy.getBlockSubsidy(121, RegtestChain.PARAMS) + 10_000, d.coinbasevalue());
        assertEquals(2, d.transactions().size());
        BlockTemplateData.Tx second = d.transactions().get(1);
        assertEquals(child.txid().toString(), second.txid());
        assertEquals(child.wtxid().toString(), second.hash());
        assertEquals(List.of(1), second.depends());
        assertEquals(9_000, second.fee());
        assertEquals(child.weight(), second.weight());
        assertEquals(Hex.encode(child.serialize()), second.data());
        assertEquals("207fffff", d.bits());
        assertEquals("7fffff" + "0".repeat(58), d.target());
        assertEquals(Consensus.MAX_BLOCK_WEIGHT, d.weightlimit());
        assertEquals(80_000, d.sigoplimit());
        assertEquals("00000000ffffffff", d.noncerange());
        byte[] commitment = t.block().transactions().get(0).outputs().get(1).scriptPubKey();
        assertEquals(Hex.encode(commitment), d.defaultWitnessCommitment());
        assertTrue(d.defaultWitnessCommitment().startsWith("6a24aa21a9ed"));
        assertNull(d.signetChallenge());
        assertNotNull(d.longpollid());
        assertFalse(BlockTemplateData.isStale(d.longpollid(), f.chain.tip().hash(), f.pool.sequence()));
        f.pool.removeRecursive(child.txid(), org.jbitcoind.chain.mempool.RemovalReason.CONFLICT);
        assertTrue(BlockTemplateData.isStale(d.longpollid(), f.chain.tip().hash(), f.pool.sequence()));
    }
}
