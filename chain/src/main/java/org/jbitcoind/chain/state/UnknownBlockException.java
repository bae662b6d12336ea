package org.jbitcoind.chain.state;

import org.jbitcoind.protocol.crypto.Hash256;

/** A block hash that is not in the block index (RPC: "Block not found"). */
public final class UnknownBlockException extends Exception {
    private final Hash256 hash;

    public UnknownBlockException(Hash256 hash) {
        super("Block not found: " + hash);
        this.hash = hash;
    }

    public Hash256 hash() {
        return hash;
    }
}
