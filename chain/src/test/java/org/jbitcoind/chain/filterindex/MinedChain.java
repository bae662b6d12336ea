package org.jbitcoind.chain.filterindex;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.spv.BlockFilter;
import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.chain.state.RegtestBlocks.Tip;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * A mined regtest chain whose blocks create and spend outputs with distinct scripts, with the
 * scripts each block spends known by construction (not read back from undo data), so filters
 * can be built directly and compared with the index.
 */
final class MinedChain {
    final List<Block> blocks = new ArrayList<>();          // heights 1..n
    final List<List<byte[]>> spent = new ArrayList<>();     // per block of {@link #blocks}

    /** An anyone-can-spend script unique to (height, n): push 3 bytes, drop them, OP_TRUE. */
    static byte[] script(int height, int n) {
        return new byte[] {0x03, (byte) height, (byte) (height >> 8), (byte) n, 0x75, 0x51};
    }

    /**
     * {@code n} blocks on genesis: each from 101 on spends the coinbase of the block 100 below (an
     * OP_TRUE output) and output 0 of the previous block's spending transaction, into two outputs
     * with their own scripts and an OP_RETURN (which filters leave out).
     */
    static MinedChain build(int n) {
        MinedChain c = new MinedChain();
        Tip tip = Tip.genesis();
        Transaction previous = null;
        for (int height = 1; height <= n; height++) {
            List<Transaction> txs = new ArrayList<>();
            List<byte[]> spentScripts = new ArrayList<>();
            if (height > 100) {
                Block mature = c.blocks.get(height - 101);
                List<TxIn> ins = new ArrayList<>();
                long value = RegtestBlocks.coinbaseValue(mature);
                ins.add(new TxIn(RegtestBlocks.coinbaseOut(mature), new byte[0], TxIn.SEQUENCE_FINAL));
                spentScripts.add(RegtestBlocks.OP_TRUE);
                if (previous != null) {
                    ins.add(new TxIn(new OutPoint(previous.txid(), 0), new byte[0], TxIn.SEQUENCE_FINAL));
                    value += previous.outputs().get(0).value();
                    spentScripts.add(script(height - 1, 0));
                }
                long half = value / 2;
                Transaction tx = new Transaction(2, ins, List.of(new TxOut(half, script(height, 0)),
                        new TxOut(value - half, script(height, 1)), new TxOut(0, new byte[] {0x6a, 0x01, (byte) height})), 0);
                txs.add(tx);
                previous = tx;
            }
            Block b = RegtestBlocks.block(tip, 0, txs, 0, 0);
            c.blocks.add(b);
            c.spent.add(spentScripts);
            tip = RegtestBlocks.next(tip, b);
        }
        return c;
    }

    /** Filter entries computed directly, genesis first, headers chained from zero. */
    List<FilterEntry> expectedEntries() {
        List<FilterEntry> out = new ArrayList<>();
        FilterEntry e = FilterEntry.of(BlockFilter.buildBasic(RegtestBlocks.PARAMS.genesisBlock(), List.of()), Hash256.ZERO);
        out.add(e);
        for (int i = 0; i < blocks.size(); i++) {
            e = FilterEntry.of(BlockFilter.buildBasic(blocks.get(i), spent.get(i)), e.header());
            out.add(e);
        }
        return out;
    }

    /** Entries of plain blocks (spending nothing) on a parent whose filter header is {@code previousHeader}. */
    static List<FilterEntry> expectedEntries(List<Block> plainBlocks, Hash256 previousHeader) {
        List<FilterEntry> out = new ArrayList<>();
        Hash256 header = previousHeader;
        for (Block b : plainBlocks) {
            FilterEntry e = FilterEntry.of(BlockFilter.buildBasic(b, List.of()), header);
            out.add(e);
            header = e.header();
        }
        return out;
    }
}
