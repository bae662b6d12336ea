package org.jbitcoind.chain.script;

/** A script whose bytes do not split into operations (a push runs past the end). */
public final class ScriptParseException extends Exception {
    public ScriptParseException(String message) {
        super(message);
    }
}
