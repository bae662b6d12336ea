package org.jbitcoind.node.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;

/** Regtest chains for the crash tests, built with the chain module's {@link RegtestBlocks}. */
final class TestChains {
    private TestChains() {
    }

    /**
     * {@code count} blocks on {@code tip} (the tip of {@code base}, or a block of a branch on it),
     * each splitting the coinbase of the block 100 below into {@code parts} outputs and spending an
     * output of the previous block's split, so that connecting and disconnecting them moves many coins.
     * {@code tag} makes branches on the same parent differ.
     */
    static List<Block> branch(List<Block> base, Tip tip, int count, int parts, int tag) {
        List<Block> out = new ArrayList<>(count);
        Tip t = tip;
        Transaction previous = null;
        for (int i = 0; i < count; i++) {
            int height = t.height() + 1;
            Block mature = base.get(height - 100 - 1);
            List<Transaction> txs = new ArrayList<>();
            Transaction split = RegtestBlocks.spend(RegtestBlocks.coinbaseOut(mature),
                    RegtestBlocks.coinbaseValue(mature), parts, 0);
            txs.add(split);
            if (previous != null) {
                txs.add(RegtestBlocks.spend(new OutPoint(previous.txid(), 1), previous.outputs().get(1).value(), 2, 0));
            }
            previous = split;
            Block b = RegtestBlocks.block(t, tag, txs, 0, 0);
            out.add(b);
            t = RegtestBlocks.next(t, b);
        }
        return out;
    }

    static Path writeBlk(Path file, List<Block> blocks) throws IOException {
        Files.write(file, RegtestBlocks.blkFile(blocks));
        return file;
    }

    @SafeVarargs
    static List<Block> concat(List<Block>... parts) {
        List<Block> all = new ArrayList<>();
        for (List<Block> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
