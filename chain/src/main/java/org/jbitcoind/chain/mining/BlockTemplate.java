package org.jbitcoind.chain.mining;

import java.math.BigInteger;
import java.util.List;

import org.jbitcoind.protocol.primitives.Block;

/**
 * An assembled, not yet solved block (Core's CBlockTemplate): the block with coinbase and witness
 * commitment (nonce 0), and per non-coinbase transaction its fee, sigop cost and the indexes of
 * the block transactions it depends on.
 *
 * @param height           height of the block
 * @param coinbaseValue    subsidy plus fees, what the coinbase pays
 * @param target           the target the header hash must not exceed
 * @param minTime          earliest valid header time (median time past + 1)
 * @param witnessCommitment scriptPubKey of the BIP141 commitment output
 */
public record BlockTemplate(Block block, int height, long coinbaseValue, long totalFees, List<Entry> entries,
        BigInteger target, long minTime, byte[] witnessCommitment, int weight, long sigOpCost) {

    /**
     * One transaction of the template, in block order (index 0 is the first after the coinbase).
     *
     * @param depends 1-based block positions (the coinbase is 0) of transactions this one spends
     */
    public record Entry(org.jbitcoind.protocol.primitives.Transaction tx, long fee, long sigOpCost, int weight,
            List<Integer> depends) {
        public Entry {
            depends = List.copyOf(depends);
        }
    }

    public BlockTemplate {
        entries = List.copyOf(entries);
        witnessCommitment = witnessCommitment.clone();
    }

    @Override
    public byte[] witnessCommitment() {
        return witnessCommitment.clone();
    }
}
