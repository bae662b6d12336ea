package org.jbitcoind.node.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jbitcoind.chain.coins.CoinsView;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.storage.Coin;

/**
 * The chain coins spent by a batch of transactions, read in one step ({@link CoinsView#readCoins},
 * one call on the chain thread for the daemon's view) together with the block they are the state
 * of. Each transaction's precheck then reads its own inputs from here: {@link #readCoins} of
 * outpoints that were in the batch answers from the one read, with that read's block, exactly as
 * a read of its own at that moment would have; anything else goes to the underlying view.
 */
final class BatchReadCoins implements CoinsView {
    private final CoinsView chain;
    private final Set<OutPoint> asked;
    private final Map<OutPoint, Coin> coins;
    private final Hash256 bestBlock;

    private BatchReadCoins(CoinsView chain, Set<OutPoint> asked, CoinsView.Read read) {
        this.chain = chain;
        this.asked = asked;
        this.coins = read.coins();
        this.bestBlock = read.bestBlock();
    }

    /** Reads every input of {@code txs} from {@code chain} in one step. */
    static BatchReadCoins read(List<Transaction> txs, CoinsView chain) {
        List<OutPoint> outpoints = new ArrayList<>();
        for (Transaction tx : txs) {
            for (TxIn in : tx.inputs()) {
                outpoints.add(in.prevout());
            }
        }
        return new BatchReadCoins(chain, new HashSet<>(outpoints), chain.readCoins(outpoints));
    }

    @Override
    public Read readCoins(List<OutPoint> outpoints) {
        if (!asked.containsAll(outpoints)) {
            return chain.readCoins(outpoints);
        }
        Map<OutPoint, Coin> out = new HashMap<>(outpoints.size() * 2);
        for (OutPoint op : outpoints) {
            Coin c = coins.get(op);
            if (c != null) {
                out.put(op, c);
            }
        }
        return new Read(out, bestBlock);
    }

    @Override
    public Optional<Coin> getCoin(OutPoint outpoint) {
        return asked.contains(outpoint) ? Optional.ofNullable(coins.get(outpoint)) : chain.getCoin(outpoint);
    }

    /** The block of the batch's read: a mix with later reads of other outpoints is never reported as one state. */
    @Override
    public Hash256 bestBlock() {
        return bestBlock;
    }
}
