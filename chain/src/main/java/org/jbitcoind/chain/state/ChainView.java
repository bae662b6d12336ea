package org.jbitcoind.chain.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.protocol.crypto.Hash256;

/**
 * An immutable view of one chain, identified by its tip (Core's CChain, read side). The block at
 * any height is the tip's ancestor, found through the skip links in O(log n), so a view costs
 * nothing to create and stays valid however the active chain moves afterwards: it is what other
 * threads (RPC, P2P) read.
 */
public final class ChainView {
    private static final ChainView EMPTY = new ChainView(null);

    private final BlockIndex tip;

    private ChainView(BlockIndex tip) {
        this.tip = tip;
    }

    /** The chain ending at {@code tip}; an empty chain for null. */
    public static ChainView of(BlockIndex tip) {
        return tip == null ? EMPTY : new ChainView(tip);
    }

    /** The tip, or null for an empty chain (before genesis is connected). */
    public BlockIndex tip() {
        return tip;
    }

    /** Height of the tip, -1 when empty (Core's CChain::Height). */
    public int height() {
        return tip == null ? -1 : tip.height();
    }

    public BlockIndex genesis() {
        return get(0);
    }

    /** The block at {@code height}, or null outside 0..height(). */
    public BlockIndex get(int height) {
        return tip == null ? null : tip.getAncestor(height);
    }

    public boolean contains(BlockIndex index) {
        return index != null && get(index.height()) == index;
    }

    /** The successor of {@code index} on this chain, or null (not on it, or the tip). */
    public BlockIndex next(BlockIndex index) {
        return contains(index) ? get(index.height() + 1) : null;
    }

    /** The last block this chain shares with the chain of {@code index} (Core's FindFork). */
    public BlockIndex findFork(BlockIndex index) {
        if (index == null || tip == null) {
            return null;
        }
        BlockIndex walk = index.height() > height() ? index.getAncestor(height()) : index;
        while (walk != null && !contains(walk)) {
            walk = walk.prev();
        }
        return walk;
    }

    /** The block locator of the tip; empty for an empty chain. */
    public List<Hash256> locator() {
        return locator(tip);
    }

    /**
     * A block locator (Core's LocatorEntries): the last ten blocks one by one, then exponentially
     * larger steps back, always ending with genesis, so that a peer finds the fork point in a few
     * dozen hashes however long the chains are.
     */
    public static List<Hash256> locator(BlockIndex from) {
        List<Hash256> out = new ArrayList<>(32);
        int step = 1;
        BlockIndex walk = from;
        while (walk != null) {
            out.add(walk.hash());
            if (walk.height() == 0) {
                break;
            }
            int height = Math.max(walk.height() - step, 0);
            walk = walk.getAncestor(height);
            if (out.size() > 10) {
                step *= 2;
            }
        }
        return out;
    }

    /** Median time past of the tip, empty for an empty chain. */
    public Optional<Long> tipMedianTimePast() {
        return tip == null ? Optional.empty() : Optional.of(tip.medianTimePast());
    }

    @Override
    public String toString() {
        return "ChainView[" + (tip == null ? "empty" : tip.toString()) + "]";
    }
}
