package org.jbitcoind.chain.mining;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mempool.MiningCandidate;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * Core's generateBlocks for generatetoaddress / generatetodescriptor (blocks with mempool
 * transactions) and generateblock (blocks with given transactions): assemble on the current tip,
 * grind the nonce within a total budget of tries, submit, repeat. Only practical at regtest
 * difficulty.
 */
public final class BlockGenerator {
    /** What generation needs from the node. */
    public interface Chain {
        BlockIndex tip();

        /** Hands a solved block to the chain (processNewBlock); true when accepted. */
        boolean submit(Block block);
    }

    private final ChainParams params;
    private final BlockAssembler assembler;
    private final Chain chain;

    public BlockGenerator(ChainParams params, BlockAssembler assembler, Chain chain) {
        this.params = Objects.requireNonNull(params, "params");
        this.assembler = Objects.requireNonNull(assembler, "assembler");
        this.chain = Objects.requireNonNull(chain, "chain");
    }

    /**
     * Mines up to {@code count} blocks paying to {@code coinbaseScript}, each with the best
     * transactions of {@code pool} (null: none). Stops early, returning what it mined, when
     * {@code maxTries} nonces in total have been tried, as Core does.
     */
    public List<Hash256> generate(int count, byte[] coinbaseScript, TxMempool pool, long maxTries)
            throws MiningException {
        List<Hash256> hashes = new ArrayList<>(count);
        long[] tries = {maxTries};
        while (hashes.size() < count) {
            BlockIndex tip = chain.tip();
            List<MiningCandidate> candidates = pool == null ? List.of() : pool.miningCandidates();
            BlockTemplate template = assembler.createNewBlock(tip, candidates, coinbaseScript);
            Block solved = solve(tip, template, coinbaseScript, tries);
            if (solved == null) {
                return hashes;
            }
            submit(solved);
            hashes.add(solved.hash());
        }
        return hashes;
    }

    /** generateblock: one block with exactly {@code txs}, coinbase paying the subsidy to {@code coinbaseScript}. */
    public Hash256 generateBlock(List<Transaction> txs, byte[] coinbaseScript, long maxTries) throws MiningException {
        BlockIndex tip = chain.tip();
        BlockTemplate template = assembler.createWithTransactions(tip, txs, coinbaseScript);
        Block solved = solve(tip, template, coinbaseScript, new long[] {maxTries});
        if (solved == null) {
            throw new MiningException("Failed to make block.");
        }
        submit(solved);
        return solved.hash();
    }

    private void submit(Block solved) throws MiningException {
        if (!chain.submit(solved)) {
            throw new MiningException("ProcessNewBlock, block not accepted");
        }
    }

    /**
     * Grinds nonces for the template, moving to the next extra nonce in the coinbase when all
     * 2^32 are used; null when the shared {@code tries} budget runs out first.
     */
    private Block solve(BlockIndex tip, BlockTemplate template, byte[] coinbaseScript, long[] tries) {
        for (int extraNonce = 1; ; extraNonce++) {
            // Core's IncrementExtraNonce: a script number push after the BIP34 height.
            BlockTemplate t = assembler.withExtraNonce(tip, template, coinbaseScript, extraNoncePush(extraNonce));
            BlockHeader h = t.block().header();
            for (long nonce = 0; nonce <= 0xffffffffL; nonce++) {
                if (tries[0] <= 0) {
                    return null;
                }
                tries[0]--;
                BlockHeader candidate = h.withNonce(nonce);
                if (Pow.checkProofOfWork(candidate.hash(), candidate.bits(), params)) {
                    return new Block(candidate, t.block().transactions());
                }
            }
        }
    }

    private static byte[] extraNoncePush(int extraNonce) {
        byte[] le = {(byte) extraNonce, (byte) (extraNonce >> 8), (byte) (extraNonce >> 16), (byte) (extraNonce >> 24)};
        int len = 4;
        while (len > 1 && le[len - 1] == 0 && (le[len - 2] & 0x80) == 0) {
            len--;
        }
        byte[] push = new byte[len + 1];
        push[0] = (byte) len;
        System.arraycopy(le, 0, push, 1, len);
        return push;
    }
}
