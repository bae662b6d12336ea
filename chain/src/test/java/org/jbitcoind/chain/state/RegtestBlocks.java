package org.jbitcoind.chain.state;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.UtxoStats;

/**
 * Regtest blocks for chain-state tests: coinbases paying anyone-can-spend (OP_TRUE) outputs, and
 * transactions spending them, mined with {@link BlockMaker}. A {@link Tip} is where the next block
 * goes; branches are made by building on an older tip with another tag. Public (in the chain
 * test-jar) for the node's process tests.
 */
public final class RegtestBlocks {
    public static final ChainParams PARAMS = ChainParams.of(Network.REGTEST);
    public static final byte[] OP_TRUE = {0x51};
    /** Block times start a day before now, one second apart: valid, and recent enough to leave IBD. */
    public static final long START_TIME = System.currentTimeMillis() / 1000 - 86_000;

    /** Where the next block goes. */
    public record Tip(Hash256 hash, int height, long time) {
        public static Tip genesis() {
            Block g = PARAMS.genesisBlock();
            return new Tip(g.hash(), 0, START_TIME);
        }
    }

    private RegtestBlocks() {
    }

    public static ChainstateOptions options() {
        return ChainstateOptions.defaults(PARAMS).withScriptThreads(2)
                .withCoinsCacheBytes(64 * ChainstateOptions.MIB);
    }

    public static ChainDbOptions dbOptions() {
        return ChainDbOptions.defaults().withBlockCacheBytes(8 * ChainDbOptions.MIB)
                .withWriteBufferBytes(4 * ChainDbOptions.MIB);
    }

    public static ChainstateManager open(Path dir) throws Exception {
        return ChainstateManager.open(dir, options(), dbOptions(), false);
    }

    public static ChainstateManager open(Path dir, ChainstateOptions options) throws Exception {
        return ChainstateManager.open(dir, options, dbOptions(), false);
    }

    /** A block on {@code tip} with the given transactions, coinbase paying subsidy + {@code fees} (+ {@code overpay}). */
    public static Block block(Tip tip, int tag, List<Transaction> txs, long fees, long overpay) {
        int height = tip.height() + 1;
        long value = Subsidy.getBlockSubsidy(height, PARAMS) + fees + overpay;
        byte[] tagBytes = new ByteWriter(4).writeI32LE(tag).toByteArray();
        return BlockMaker.mine(PARAMS, tip.hash(), height, tip.time() + 1, PARAMS.powLimitBits(),
                new BlockMaker.CoinbaseSpec(OP_TRUE, value, tagBytes), txs, true);
    }

    public static Block block(Tip tip, int tag) {
        return block(tip, tag, List.of(), 0, 0);
    }

    public static Tip next(Tip tip, Block b) {
        return new Tip(b.hash(), tip.height() + 1, b.header().time());
    }

    /** {@code n} blocks on {@code tip}, empty but for their coinbase. */
    public static List<Block> chain(Tip tip, int n, int tag) {
        List<Block> out = new ArrayList<>(n);
        Tip t = tip;
        for (int i = 0; i < n; i++) {
            Block b = block(t, tag);
            out.add(b);
            t = next(t, b);
        }
        return out;
    }

    public static Tip tipOf(Tip start, List<Block> blocks) {
        Tip t = start;
        for (Block b : blocks) {
            t = next(t, b);
        }
        return t;
    }

    /** Spends {@code prevout} (an OP_TRUE output of {@code value}) into {@code parts} OP_TRUE outputs, paying {@code fee}. */
    public static Transaction spend(OutPoint prevout, long value, int parts, long fee) {
        List<TxOut> outs = new ArrayList<>(parts);
        long each = (value - fee) / parts;
        for (int i = 0; i < parts; i++) {
            outs.add(new TxOut(i == 0 ? value - fee - each * (parts - 1) : each, OP_TRUE));
        }
        return new Transaction(2, List.of(new TxIn(prevout, new byte[0], TxIn.SEQUENCE_FINAL)), outs, 0);
    }

    public static OutPoint coinbaseOut(Block b) {
        return new OutPoint(b.transactions().get(0).txid(), 0);
    }

    public static long coinbaseValue(Block b) {
        return b.transactions().get(0).outputs().get(0).value();
    }

    /** Feeds blocks to the node; each must be accepted. */
    public static void feed(ChainstateManager chain, List<Block> blocks) {
        for (Block b : blocks) {
            BlockProcessResult r = chain.processNewBlock(b);
            if (r.status() != BlockProcessResult.Status.ACCEPTED) {
                throw new AssertionError("block " + b.hash() + " not accepted: " + r);
            }
        }
    }

    public static Hash256 utxoHash(ChainstateManager chain) throws Exception {
        return chain.utxoStats(UtxoStats.HashType.HASH_SERIALIZED).hashSerialized3().orElseThrow();
    }

    public static Hash256 muhash(ChainstateManager chain) throws Exception {
        return chain.utxoStats(UtxoStats.HashType.MUHASH).muhash().orElseThrow();
    }

    /** A chain whose blocks spend: each block from 101 on spends a matured coinbase and an output of the previous block. */
    public static List<Block> spendingChain(int n) {
        return spendingChain(n, 3);
    }

    /** {@link #spendingChain(int)} whose coinbase spends split into {@code parts} outputs (more coins per block). */
    public static List<Block> spendingChain(int n, int parts) {
        List<Block> out = new ArrayList<>(n);
        Tip t = Tip.genesis();
        Transaction previous = null;
        for (int i = 0; i < n; i++) {
            List<Transaction> txs = new ArrayList<>();
            if (i >= 100) {
                Block mature = out.get(i - 100);
                Transaction split = spend(coinbaseOut(mature), coinbaseValue(mature), parts, 0);
                txs.add(split);
                if (previous != null) {
                    txs.add(spend(new OutPoint(previous.txid(), 1), previous.outputs().get(1).value(), 2, 0));
                }
                previous = split;
            }
            Block b = block(t, 0, txs, 0, 0);
            out.add(b);
            t = next(t, b);
        }
        return out;
    }

    /** The blocks as a blk*.dat file: magic, length, block. */
    public static byte[] blkFile(List<Block> blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Block b : blocks) {
            byte[] raw = b.serialize();
            out.writeBytes(PARAMS.network().magicBytes());
            out.writeBytes(new ByteWriter(4).writeI32LE(raw.length).toByteArray());
            out.writeBytes(raw);
        }
        return out.toByteArray();
    }
}
