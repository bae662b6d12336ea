package org.jbitcoind.chain.script;

/**
 * Verifies one input's scriptSig / witness against the scriptPubKey it spends (Core's
 * VerifyScript with a transaction signature checker). Thread-safe: block validation calls it
 * from the script-check worker pool.
 * CONTRACT: the signature of {@link #verify} is fixed; the script work implements it.
 */
public final class ScriptVerifier {
    public ScriptVerifier() {
    }

    /** @return {@link ScriptError#OK} when the input is valid under {@code flags} */
    public ScriptError verify(PrecomputedTransactionData txData, int inputIndex, int flags) {
        throw new UnsupportedOperationException("script interpreter not implemented yet");
    }
}
