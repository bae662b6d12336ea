package org.jbitcoind.chain.mempool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * Transactions of blocks taken off the chain during a reorganisation, waiting to go back into the
 * mempool (Core's DisconnectedBlockTransactions). Blocks arrive newest first; the pool gets them
 * back oldest first so that parents come before children. Bounded in memory: past the limit the
 * oldest transactions are dropped (they would be mined again anyway or are lost as in Core).
 *
 * <p>Not thread-safe: owned by the chain thread during one reorganisation.
 */
public final class DisconnectedBlockTransactions {
    /** Core's MAX_DISCONNECTED_TX_POOL_BYTES (20 MB, counted here as serialized bytes). */
    public static final long DEFAULT_MAX_BYTES = 20_000_000L;

    private final long maxBytes;
    /** Newest first, as added: block by block from the tip down, each block's transactions in reverse. */
    private final LinkedHashMap<Hash256, Transaction> queue = new LinkedHashMap<>();
    private long bytes;

    public DisconnectedBlockTransactions() {
        this(DEFAULT_MAX_BYTES);
    }

    public DisconnectedBlockTransactions(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds a block just disconnected from the tip (call in disconnection order). */
    public void addForBlock(Block block) {
        List<Transaction> txs = block.transactions();
        for (int i = txs.size() - 1; i >= 0; i--) {
            Transaction tx = txs.get(i);
            if (queue.putIfAbsent(tx.txid(), tx) == null) {
                bytes += tx.totalSize();
            }
        }
        // Over the limit, the oldest (last added) go first.
        while (bytes > maxBytes && !queue.isEmpty()) {
            Map.Entry<Hash256, Transaction> last = null;
            for (Map.Entry<Hash256, Transaction> e : queue.entrySet()) {
                last = e;
            }
            queue.remove(last.getKey());
            bytes -= last.getValue().totalSize();
        }
    }

    /** A block of the new chain was connected: its transactions need not come back. */
    public void removeForBlock(List<Transaction> txs) {
        if (queue.isEmpty()) {
            return; // no reorganisation under way: the usual case for every connected block
        }
        for (Transaction tx : txs) {
            Transaction removed = queue.remove(tx.txid());
            if (removed != null) {
                bytes -= removed.totalSize();
            }
        }
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int size() {
        return queue.size();
    }

    /** All transactions, oldest block first and in block order, emptying this set. */
    public List<Transaction> takeOldestFirst() {
        List<Transaction> out = new ArrayList<>(queue.values());
        Collections.reverse(out);
        queue.clear();
        bytes = 0;
        return out;
    }
}
