package org.jbitcoind.chain.coins;

import java.util.List;

/**
 * What connecting a block spent, to restore on disconnect (Core's CBlockUndo): one entry per
 * transaction after the coinbase, in block order.
 */
public record BlockUndo(List<TxUndo> txUndos) {
    public BlockUndo {
        txUndos = List.copyOf(txUndos);
    }

    public int spentCount() {
        int n = 0;
        for (TxUndo u : txUndos) {
            n += u.spent().size();
        }
        return n;
    }
}
