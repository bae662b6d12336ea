package org.jbitcoind.chain.script;

/**
 * Unwinds the interpreter to {@link ScriptVerifier} with a {@link ScriptError}. Never escapes
 * this package; carries no stack trace so failing scripts stay cheap.
 */
final class ScriptFailure extends RuntimeException {
    private final ScriptError error;

    ScriptFailure(ScriptError error) {
        super(error.name(), null, false, false);
        this.error = error;
    }

    ScriptError error() {
        return error;
    }
}
