package org.jbitcoind.chain.spv;

import java.util.List;

import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * A block as a BIP37 peer gets it: the merkleblock message, then the matched transactions (the
 * P2P layer sends each one as a tx message right after the merkleblock, without witness data, as
 * Core does), with their positions in the block.
 */
public record FilteredBlock(MerkleBlockMessage merkleBlock, List<Match> matches) {
    public FilteredBlock {
        matches = List.copyOf(matches);
    }

    public record Match(int index, Transaction transaction) {
    }

    public List<Transaction> transactions() {
        return matches.stream().map(Match::transaction).toList();
    }
}
