package org.jbitcoind.chain.mining;

import java.util.Optional;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;

/**
 * Nonce grinding for generatetoaddress / generatetodescriptor / generateblock: only practical at
 * regtest difficulty (about two tries per block), bounded by {@code maxTries} as Core's RPCs are.
 */
public final class Miner {
    /** Core's DEFAULT_MAX_TRIES for the generate RPCs. */
    public static final long DEFAULT_MAX_TRIES = 1_000_000;

    private Miner() {
    }

    /**
     * The block with a nonce whose header hash meets its own bits, or empty when none was found
     * within {@code maxTries} nonces (the caller may bump the extra nonce and retry).
     */
    public static Optional<Block> solve(Block block, ChainParams params, long maxTries) {
        BlockHeader h = block.header();
        long limit = Math.min(maxTries, 0x1_0000_0000L);
        for (long nonce = 0; nonce < limit; nonce++) {
            BlockHeader candidate = h.withNonce(nonce);
            if (Pow.checkProofOfWork(candidate.hash(), candidate.bits(), params)) {
                return Optional.of(new Block(candidate, block.transactions()));
            }
        }
        return Optional.empty();
    }

    /** Solves a template's block: the block to hand to submitblock / processNewBlock. */
    public static Optional<Block> solve(BlockTemplate template, ChainParams params, long maxTries) {
        return solve(template.block(), params, maxTries);
    }
}
