package org.jbitcoind.chain.state;

import java.util.Objects;

import org.jbitcoind.protocol.crypto.Hash256;

/**
 * What {@link ChainstateManager#processNewBlock} made of a block.
 *
 * @param rejectReason Core's reject reason for {@link Status#INVALID} and {@link Status#MISSING_PARENT}, else empty
 * @param debug        detail for logs
 */
public record BlockProcessResult(Status status, Hash256 hash, String rejectReason, String debug) {
    public enum Status {
        /** New and stored; it is on the active chain if it (or a descendant) has the most work. */
        ACCEPTED,
        /** We already had this block's data: nothing changed. */
        DUPLICATE,
        /** The block, or an ancestor, breaks a consensus rule; the peer that sent it misbehaved. */
        INVALID,
        /** The parent's header is unknown ("prev-blk-not-found"): fetch headers first, or hold the block. */
        MISSING_PARENT,
        /** Unrequested and with too little work (or too far ahead) to be worth storing; its header was kept. */
        NOT_STORED
    }

    public BlockProcessResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(hash, "hash");
        rejectReason = rejectReason == null ? "" : rejectReason;
        debug = debug == null ? "" : debug;
    }

    static BlockProcessResult of(Status status, Hash256 hash) {
        return new BlockProcessResult(status, hash, "", "");
    }

    public boolean isInvalid() {
        return status == Status.INVALID;
    }
}
