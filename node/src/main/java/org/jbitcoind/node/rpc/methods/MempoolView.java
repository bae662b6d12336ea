package org.jbitcoind.node.rpc.methods;

import java.util.Optional;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.Coin;

/**
 * What the RPC methods read from the mempool. Until the node runs a mempool, {@link #NONE} answers:
 * nothing pooled, and include_mempool has no effect.
 */
public interface MempoolView {
    /** Whether a mempool is running. */
    boolean available();

    /** A pooled transaction. */
    Optional<Transaction> get(Hash256 txid);

    /** Whether a pooled transaction spends the outpoint. */
    boolean isSpent(OutPoint outpoint);

    /** An output created by a pooled transaction (height is the mempool height, as Core's MEMPOOL_HEIGHT). */
    Optional<Coin> output(OutPoint outpoint);

    /** Number of pooled transactions. */
    int size();

    MempoolView NONE = new MempoolView() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Optional<Transaction> get(Hash256 txid) {
            return Optional.empty();
        }

        @Override
        public boolean isSpent(OutPoint outpoint) {
            return false;
        }

        @Override
        public Optional<Coin> output(OutPoint outpoint) {
            return Optional.empty();
        }

        @Override
        public int size() {
            return 0;
        }
    };
}
