package org.jbitcoind.chain.mining;

/** A generated block was not accepted by the chain (Core's "ProcessNewBlock, block not accepted"). */
public final class MiningException extends Exception {
    public MiningException(String message) {
        super(message);
    }
}
