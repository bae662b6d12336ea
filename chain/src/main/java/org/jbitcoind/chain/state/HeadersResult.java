package org.jbitcoind.chain.state;

import java.util.Objects;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.protocol.crypto.Hash256;

/**
 * What {@link ChainstateManager#processNewBlockHeaders} made of a list of headers. Headers are
 * processed in order and processing stops at the first bad one; the ones before it stay accepted.
 *
 * @param accepted     headers of the list now in the block index (new or already known)
 * @param last         index of the last header accepted, or null if none was
 * @param failedHash   the first header that was not accepted, or null
 * @param rejectReason Core's reject reason for that header ("high-hash", "bad-diffbits",
 *                     "time-too-old", "time-too-new", "bad-prevblk", "duplicate",
 *                     "prev-blk-not-found", "bad-version(0x...)"), empty when all were accepted
 */
public record HeadersResult(Status status, int accepted, BlockIndex last, Hash256 failedHash, String rejectReason) {
    public enum Status {
        /** Every header is in the block index. */
        ACCEPTED,
        /** A header breaks a rule: the sender misbehaved. */
        INVALID,
        /** A header's parent is unknown (an unconnecting headers message): not by itself misbehaviour. */
        MISSING_PARENT
    }

    public HeadersResult {
        Objects.requireNonNull(status, "status");
        rejectReason = rejectReason == null ? "" : rejectReason;
    }
}
