package org.jbitcoind.chain.state;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.protocol.primitives.Block;

/**
 * Notifications of active-chain changes (Core's CValidationInterface), for the mempool, relay,
 * indexes and wallets. Called on the chain thread, in order, synchronously: keep them short and
 * never call back into a blocking {@link ChainstateManager} method from them (hand work to another
 * thread instead). An exception thrown by a listener is logged and does not stop the chain.
 */
public interface ChainListener {
    /** {@code block} was connected at {@code index} and is now part of the active chain. */
    default void blockConnected(Block block, BlockIndex index) {
    }

    /** {@code block} (at {@code index}) was taken off the tip during a reorganisation or invalidateblock. */
    default void blockDisconnected(Block block, BlockIndex index) {
    }

    /**
     * A block was found to break a consensus rule (Core's BlockChecked with an invalid state): while
     * being stored, or later when connecting it, possibly during the processing of another block
     * (a parent that arrived last). The sync manager uses it to blame the peer that sent the block.
     */
    default void blockInvalid(BlockIndex index, String rejectReason) {
    }

    /**
     * The active chain has a new tip after a step of activateBestChain (once per step, not per block).
     *
     * @param fork              the last block the old and new chains share (equal to the old tip when nothing was disconnected)
     * @param initialDownload   whether the node is in initial block download
     */
    default void newTip(BlockIndex tip, BlockIndex fork, boolean initialDownload) {
    }
}
