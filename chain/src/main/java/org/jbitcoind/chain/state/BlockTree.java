package org.jbitcoind.chain.state;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.storage.BlockStatus;

/**
 * Every header the node ever accepted, by hash (Core's BlockManager::m_block_index), and the
 * best header: the valid header with the most work. Only the chain thread adds entries or changes
 * the best header; lookups are safe from any thread.
 */
final class BlockTree {
    private final ConcurrentHashMap<Hash256, BlockIndex> byHash = new ConcurrentHashMap<>();
    private volatile BlockIndex bestHeader;

    Optional<BlockIndex> get(Hash256 hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    BlockIndex getOrNull(Hash256 hash) {
        return byHash.get(hash);
    }

    /** A new entry for {@code header} on {@code prev} (null for genesis); the caller checked it. */
    BlockIndex insert(BlockHeader header, BlockIndex prev) {
        BlockIndex index = new BlockIndex(header, prev);
        byHash.put(index.hash(), index);
        return index;
    }

    /** An entry read back from the database (hash already verified by storage). */
    BlockIndex insertLoaded(Hash256 hash, BlockHeader header, BlockIndex prev) {
        BlockIndex index = new BlockIndex(hash, header, prev);
        byHash.put(hash, index);
        return index;
    }

    Collection<BlockIndex> all() {
        return Collections.unmodifiableCollection(byHash.values());
    }

    int size() {
        return byHash.size();
    }

    BlockIndex bestHeader() {
        return bestHeader;
    }

    /** Makes {@code index} the best header if it is valid and has more work (Core: first seen wins a tie). */
    void considerBestHeader(BlockIndex index) {
        if (BlockStatus.isFailed(index.status())) {
            return;
        }
        BlockIndex best = bestHeader;
        if (best == null || index.chainWork().compareTo(best.chainWork()) > 0) {
            bestHeader = index;
        }
    }

    /** Finds the best header again after blocks were marked invalid or reconsidered. */
    void recalculateBestHeader() {
        BlockIndex best = null;
        for (BlockIndex b : byHash.values()) {
            if (BlockStatus.isFailed(b.status())) {
                continue;
            }
            if (best == null || b.chainWork().compareTo(best.chainWork()) > 0
                    || (b.chainWork().equals(best.chainWork()) && b.sequenceId() < best.sequenceId())) {
                best = b;
            }
        }
        bestHeader = best;
    }

    /** Whether {@code index} descends from (or is) {@code ancestor}. */
    static boolean descendsFrom(BlockIndex index, BlockIndex ancestor) {
        return index.height() >= ancestor.height() && index.getAncestor(ancestor.height()) == ancestor;
    }
}
