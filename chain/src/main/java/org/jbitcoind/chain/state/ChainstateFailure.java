package org.jbitcoind.chain.state;

/**
 * The chain state cannot continue: the database failed or holds data that contradicts itself
 * (Core's FatalError / AbortNode). The chain thread stops accepting work; the node should shut
 * down and the operator look at the message. Nothing already flushed is lost.
 */
public final class ChainstateFailure extends RuntimeException {
    public ChainstateFailure(String message) {
        super(message);
    }

    public ChainstateFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
