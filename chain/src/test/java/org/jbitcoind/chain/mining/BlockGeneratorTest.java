package org.jbitcoind.chain.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.testing.MempoolFixture;
import org.jbitcoind.chain.testing.RegtestChain;
import org.jbitcoind.chain.testing.TestWallet.Kind;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** generatetoaddress / generateblock at library level: real regtest blocks carrying mempool transactions. */
class BlockGeneratorTest {
    @AutoClose
    private final MempoolFixture f = new MempoolFixture();
    private BlockGenerator generator;
    private int rejected;

    @BeforeEach
    void setUp() throws Exception {
        BlockGenerator.Chain chain = new BlockGenerator.Chain() {
            @Override
            public BlockIndex tip() {
                return f.chain.tip();
            }

            @Override
            public boolean submit(Block block) {
                try {
                    f.chain.connect(block);
                    f.pool.removeForBlock(block.transactions());
                    return true;
                } catch (ValidationException e) {
                    rejected++;
                    return false;
                }
            }
        };
        // The assembler's clock follows the chain, so header times stay valid.
        generator = new BlockGenerator(RegtestChain.PARAMS, new BlockAssembler(RegtestChain.PARAMS,
                AssemblerOptions.defaults(), () -> f.chain.nextTime()), chain);
    }

    @Test
    void generatedBlocksIncludeMempoolTransactions() throws Exception {
        Transaction a = f.pay(f.coinbase(1), 2_000);
        Transaction b = f.pay(f.out(a, 0), 3_000);
        f.accept(a);
        f.accept(b);
        List<Hash256> hashes = generator.generate(3, f.minerKey.script(Kind.P2TR), f.pool, Miner.DEFAULT_MAX_TRIES);
        assertEquals(3, hashes.size());
        assertEquals(123, f.chain.tip().height());
        assertEquals(hashes.get(2), f.chain.tip().hash());
        Block first = f.chain.block(121);
        assertEquals(hashes.get(0), first.hash());
        assertEquals(List.of(a.txid(), b.txid()), first.transactions().subList(1, 3).stream()
                .map(Transaction::txid).toList());
        assertEquals(0, f.pool.size());
        assertEquals(1, f.chain.block(122).transactions().size(), "later blocks: coinbase only");
        assertEquals(0, rejected);
    }

    @Test
    void triesBudgetStopsEarly() throws Exception {
        assertEquals(List.of(), generator.generate(5, f.minerKey.script(Kind.P2TR), f.pool, 0));
        assertEquals(120, f.chain.tip().height());
    }

    @Test
    void generateBlockWithGivenTransactions() throws Exception {
        Transaction tx = f.pay(f.coinbase(2), 4_000);
        Hash256 h = generator.generateBlock(List.of(tx), f.minerScript(), Miner.DEFAULT_MAX_TRIES);
        assertEquals(h, f.chain.tip().hash());
        assertEquals(tx, f.chain.block(121).transactions().get(1));
        assertTrue(f.chain.coins().haveCoin(new org.jbitcoind.protocol.primitives.OutPoint(tx.txid(), 0)));
    }

    @Test
    void invalidGivenTransactionIsRefusedByTheChain() {
        Transaction immature = f.pay(f.coinbase(50), 1_000);
        MiningException e = assertThrows(MiningException.class,
                () -> generator.generateBlock(List.of(immature), f.minerScript(), 1_000_000));
        assertEquals("ProcessNewBlock, block not accepted", e.getMessage());
        assertEquals(1, rejected);
    }
}
