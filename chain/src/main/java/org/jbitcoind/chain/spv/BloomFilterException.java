package org.jbitcoind.chain.spv;

/**
 * A peer's filterload or filteradd breaks a BIP37 limit. The P2P layer turns this into
 * misbehaviour for that peer (Core scores it and disconnects).
 */
public final class BloomFilterException extends Exception {
    public BloomFilterException(String message) {
        super(message);
    }
}
