package org.jbitcoind.storage;

import org.jbitcoind.protocol.primitives.TxOut;

/**
 * An unspent transaction output as the UTXO set keeps it (Core's Coin): the output itself, the
 * height of the block that created it, and whether it came from a coinbase (which matures only
 * after 100 blocks). Also the unit of undo data: what a block spent.
 * CONTRACT: shared by chain/ (validation) and storage/ (serialization).
 */
public record Coin(TxOut output, int height, boolean coinbase) {
    public Coin {
        java.util.Objects.requireNonNull(output, "output");
        if (height < 0) {
            throw new IllegalArgumentException("negative height");
        }
    }
}
