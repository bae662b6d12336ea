package org.jbitcoind.chain.state;

import org.jbitcoind.protocol.crypto.Hash256;

/**
 * One leaf of the block tree, as getchaintips reports it.
 *
 * @param branchLength blocks between the tip and the active chain (0 for the active tip)
 * @param status       "active", "valid-fork", "valid-headers", "headers-only" or "invalid" (Core's strings)
 */
public record ChainTip(int height, Hash256 hash, int branchLength, String status) {
}
