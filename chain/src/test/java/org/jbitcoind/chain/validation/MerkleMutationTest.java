package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.testing.RealBlockFixture;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.junit.jupiter.api.Test;

/** CVE-2012-2459: a transaction list with a repeated tail hashes to the same merkle root. */
class MerkleMutationTest {
    private final ScriptVerifier verifier = new ScriptVerifier();
    private final ChainParams main = ChainParams.of(Network.MAIN);

    private static Block block(int height) {
        return RealBlockFixture.all().stream().filter(f -> f.height() == height).findFirst().orElseThrow().block();
    }

    private static Block withLastRepeated(Block b, int count) {
        List<Transaction> txs = new ArrayList<>(b.transactions());
        txs.addAll(b.transactions().subList(b.transactions().size() - count, b.transactions().size()));
        return new Block(b.header(), txs);
    }

    private void assertMutated(Block original, Block mutated) {
        assertEquals(original.header().merkleRoot(), mutated.computeMerkleRoot().root(), "same root");
        ValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(mutated, main, verifier));
        assertEquals("bad-txns-duplicate", e.rejectReason());
        assertEquals(ValidationException.Result.MUTATED, e.result());
    }

    @Test
    void oddBlockWithLastTransactionRepeatedIsMutated() throws ValidationException {
        Block b = block(300_025);
        assertEquals(461, b.transactions().size());
        BlockChecks.checkBlock(b, main, verifier);
        assertMutated(b, withLastRepeated(b, 1));
        BlockChecks.checkBlock(b, main, verifier); // the original is unaffected
    }

    @Test
    void blockWithLast256TransactionsRepeatedIsMutated() throws ValidationException {
        // 4864 = 19 * 256: at the ninth level the tree has an odd 19 nodes, the last covering 256 txs.
        Block b = block(866_342);
        assertEquals(4864, b.transactions().size());
        BlockChecks.checkBlock(b, main, verifier);
        assertMutated(b, withLastRepeated(b, 256));
        BlockChecks.checkBlock(b, main, verifier);
    }

    @Test
    void missingTransactionIsBadMerkleRootAlsoMutated() {
        Block b = block(277_647);
        List<Transaction> txs = new ArrayList<>(b.transactions());
        txs.remove(txs.size() - 1);
        ValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
                () -> BlockChecks.checkBlock(new Block(b.header(), txs), main, verifier));
        assertEquals("bad-txnmrklroot", e.rejectReason());
        assertEquals(ValidationException.Result.MUTATED, e.result());
    }
}
