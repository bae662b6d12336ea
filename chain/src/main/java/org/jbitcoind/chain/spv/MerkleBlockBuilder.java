package org.jbitcoind.chain.spv;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * Core's CMerkleBlock: runs every transaction of a block through a peer's bloom filter (updating
 * the filter as BIP37 says) and proves the matches with a partial merkle tree.
 */
public final class MerkleBlockBuilder {
    private MerkleBlockBuilder() {
    }

    /** For getdata MSG_FILTERED_BLOCK. Transactions are matched in block order, so updates made by earlier ones count. */
    public static FilteredBlock build(Block block, BloomFilter filter) {
        return build(block, filter::isRelevantAndUpdate);
    }

    static FilteredBlock build(Block block, Predicate<Transaction> matcher) {
        List<Transaction> txs = block.transactions();
        List<Hash256> txids = new ArrayList<>(txs.size());
        boolean[] matched = new boolean[txs.size()];
        List<FilteredBlock.Match> matches = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            txids.add(tx.txid());
            if (matcher.test(tx)) {
                matched[i] = true;
                matches.add(new FilteredBlock.Match(i, tx));
            }
        }
        PartialMerkleTree tree = PartialMerkleTree.build(txids, matched);
        return new FilteredBlock(tree.toMessage(block.header()), matches);
    }
}
