package org.jbitcoind.chain.state;

import static org.jbitcoind.chain.state.RegtestBlocks.block;
import static org.jbitcoind.chain.state.RegtestBlocks.chain;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseOut;
import static org.jbitcoind.chain.state.RegtestBlocks.coinbaseValue;
import static org.jbitcoind.chain.state.RegtestBlocks.next;
import static org.jbitcoind.chain.state.RegtestBlocks.tipOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -assumevalid: a block whose only fault is a failing script is accepted when it is buried (two
 * weeks of work, 2016 regtest blocks) below the assumed-valid block on the best header chain, and
 * rejected when everything is checked.
 */
class AssumeValidTest {
    private static final int LENGTH = 2130;
    private static List<Block> blocks;

    @TempDir
    Path dir;

    @BeforeAll
    static void mine() {
        List<Block> base = chain(Tip.genesis(), 100, 0);
        Tip t = tipOf(Tip.genesis(), base);
        // Spends the first coinbase with a scriptSig that aborts (OP_RETURN): only a script check sees it.
        Transaction bad = new Transaction(2, List.of(new TxIn(coinbaseOut(base.get(0)), new byte[] {0x6a},
                TxIn.SEQUENCE_FINAL)), List.of(new TxOut(coinbaseValue(base.get(0)), RegtestBlocks.OP_TRUE)), 0);
        Block badBlock = block(t, 0, List.of(bad), 0, 0);
        List<Block> all = new ArrayList<>(base);
        all.add(badBlock);
        all.addAll(chain(next(t, badBlock), LENGTH - 101, 0));
        blocks = all;
    }

    private int importWith(Path nodeDir, Optional<Block> assumeValid, int headers) throws Exception {
        ChainstateOptions opts = RegtestBlocks.options().withAssumeValid(assumeValid.map(Block::hash));
        try (ChainstateManager node = RegtestBlocks.open(nodeDir, opts)) {
            // Headers first, as from peers: the assumed-valid block must be on the best header chain.
            assertEquals(HeadersResult.Status.ACCEPTED,
                    node.processNewBlockHeaders(blocks.subList(0, headers).stream().map(Block::header).toList()).status());
            for (Block b : blocks) {
                BlockProcessResult r = node.processNewBlock(b);
                if (r.isInvalid()) {
                    assertTrue(r.rejectReason().startsWith("mandatory-script-verify-flag-failed"), r.rejectReason());
                    break;
                }
            }
            return node.activeChain().height();
        }
    }

    @Test
    void scriptsOfBuriedAncestorsAreSkipped() throws Exception {
        assertEquals(LENGTH, importWith(dir.resolve("av"), Optional.of(blocks.get(LENGTH - 1)), LENGTH));
    }

    @Test
    void assumeValidZeroChecksEverything() throws Exception {
        assertEquals(100, importWith(dir.resolve("all"), Optional.empty(), LENGTH));
    }

    @Test
    void notBuriedDeepEnoughIsChecked() throws Exception {
        // The best header known is only 900 blocks above the bad one: less than two weeks of work.
        assertEquals(100, importWith(dir.resolve("shallow"), Optional.of(blocks.get(200)), 1000));
    }

    @Test
    void unknownAssumeValidBlockChecksEverything() throws Exception {
        // Blocks arriving without headers ahead: the assumed-valid block is not yet known when the bad one connects.
        assertEquals(100, importWith(dir.resolve("unknown"), Optional.of(blocks.get(LENGTH - 1)), 1));
    }
}
