package org.jbitcoind.chain.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.coins.MemoryCoinsView;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mempool.ChainContext;
import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.validation.BlockChecks;
import org.jbitcoind.chain.validation.BlockConnector;
import org.jbitcoind.chain.validation.ContextualChecks;
import org.jbitcoind.chain.validation.ScriptCheckQueue;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.BlockUndo;

/**
 * An in-memory regtest chain for mempool and mining tests: blocks are mined on the tip, pass
 * checkBlock, the contextual checks and connectBlock (with scripts) into a coins cache, and can be
 * disconnected again with their undo data. Not thread-safe; closes its script-check queue.
 */
public final class RegtestChain implements AutoCloseable {
    public static final ChainParams PARAMS = ChainParams.of(Network.REGTEST);

    private final MemoryCoinsView base = new MemoryCoinsView();
    private final CoinsViewCache coins = new CoinsViewCache(base);
    private final ScriptCheckQueue queue = new ScriptCheckQueue(new ScriptVerifier(), 1);
    private final BlockConnector connector = new BlockConnector(PARAMS, queue);
    private final Map<Hash256, BlockUndo> undos = new HashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final long startTime;
    private BlockIndex tip;

    public RegtestChain(long startTime) throws ValidationException {
        this.startTime = startTime;
        Block genesis = PARAMS.genesisBlock();
        tip = new BlockIndex(genesis.header(), null);
        connector.connectBlock(genesis, tip, coins, true);
        blocks.add(genesis);
    }

    public BlockIndex tip() {
        return tip;
    }

    public CoinsViewCache coins() {
        return coins;
    }

    public ChainContext context() {
        return new ChainContext(coins, tip, PARAMS);
    }

    /** Time of the next block: one second after the start per height. */
    public long nextTime() {
        return startTime + tip.height() + 1;
    }

    /** Mines a block with {@code txs} whose coinbase pays subsidy plus {@code fees} to {@code payTo}, and connects it. */
    public Block mine(List<Transaction> txs, long fees, byte[] payTo) throws ValidationException {
        int height = tip.height() + 1;
        long bits = Pow.getNextWorkRequired(tip, new BlockHeader(0, tip.hash(), Hash256.ZERO, nextTime(), 0, 0),
                PARAMS);
        long value = Subsidy.getBlockSubsidy(height, PARAMS) + fees;
        byte[] tag = {(byte) height, (byte) (height >> 8), 0x42};
        Block b = BlockMaker.mine(PARAMS, tip.hash(), height, nextTime(), bits,
                new BlockMaker.CoinbaseSpec(payTo, value, tag), txs, true);
        connect(b);
        return b;
    }

    /** Runs the consensus checks on {@code b} (built on the tip) and connects it. */
    public BlockIndex connect(Block b) throws ValidationException {
        BlockChecks.checkBlock(b, PARAMS, new ScriptVerifier());
        ContextualChecks.contextualCheckBlockHeader(b.header(), tip, PARAMS, b.header().time());
        ContextualChecks.contextualCheckBlock(b, tip, PARAMS);
        BlockIndex index = new BlockIndex(b.header(), tip);
        BlockUndo undo = connector.connectBlock(b, index, coins, true);
        undos.put(index.hash(), undo);
        blocks.add(b);
        tip = index;
        return index;
    }

    /** Takes the tip block off and returns it. */
    public Block disconnectTip() {
        Block b = blocks.remove(blocks.size() - 1);
        BlockConnector.DisconnectResult r = connector.disconnectBlock(b, tip, undos.remove(tip.hash()), coins);
        if (r != BlockConnector.DisconnectResult.OK) {
            throw new IllegalStateException("disconnect " + r);
        }
        tip = tip.prev();
        return b;
    }

    public Block block(int height) {
        return blocks.get(height);
    }

    @Override
    public void close() {
        queue.close();
    }
}
