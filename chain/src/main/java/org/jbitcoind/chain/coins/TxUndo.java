package org.jbitcoind.chain.coins;

import java.util.List;

import org.jbitcoind.storage.Coin;

/** The coins one transaction spent, in input order (Core's CTxUndo). */
public record TxUndo(List<Coin> spent) {
    public TxUndo {
        spent = List.copyOf(spent);
    }
}
