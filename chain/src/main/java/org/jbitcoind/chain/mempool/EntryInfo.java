package org.jbitcoind.chain.mempool;

import java.util.List;
import java.util.Set;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * A consistent snapshot of one mempool entry, taken under the pool's lock: everything
 * getrawmempool (verbose), getmempoolentry, getmempoolancestors and getmempooldescendants print.
 *
 * @param depends   txids of the in-mempool parents
 * @param spentBy   txids of the in-mempool children
 * @param unbroadcast whether the node has not yet seen a peer ask for it (set by the relay layer)
 */
public record EntryInfo(Transaction tx, Hash256 txid, Hash256 wtxid, long fee, long modifiedFee, int vsize,
        int weight, long time, int height, long descendantCount, long descendantSize, long descendantFees,
        long ancestorCount, long ancestorSize, long ancestorFees, long sigOpCost, List<Hash256> depends,
        List<Hash256> spentBy, boolean bip125Replaceable, boolean unbroadcast) {

    static EntryInfo of(MempoolEntry e, boolean bip125Replaceable, boolean unbroadcast) {
        return new EntryInfo(e.tx(), e.txid(), e.wtxid(), e.fee(), e.modifiedFee(), e.vsize(), e.weight(), e.time(),
                e.height(), e.countWithDescendants(), e.sizeWithDescendants(), e.modFeesWithDescendants(),
                e.countWithAncestors(), e.sizeWithAncestors(), e.modFeesWithAncestors(), e.sigOpCost(),
                sortedTxids(e.parents), sortedTxids(e.children), bip125Replaceable, unbroadcast);
    }

    private static List<Hash256> sortedTxids(Set<MempoolEntry> entries) {
        // Most entries have no links: no stream for them (the relay is told of every new entry).
        return entries.isEmpty() ? List.of() : entries.stream().map(MempoolEntry::txid).sorted().toList();
    }
}
