package org.jbitcoind.node.peer;

/**
 * What the P2P layer needs to know about our chain. Implemented by the chain state once it
 * exists; until then the layer announces height 0. Called on Netty I/O threads: must return at
 * once (read a volatile, never take a lock that disk I/O holds).
 */
@FunctionalInterface
public interface ChainInfoProvider {
    ChainInfoProvider GENESIS_ONLY = () -> 0;

    /** Height of our best validated block, for the version message's start_height. */
    int bestHeight();
}
