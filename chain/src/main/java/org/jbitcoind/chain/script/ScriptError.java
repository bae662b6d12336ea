package org.jbitcoind.chain.script;

/**
 * Why a script failed, named as Bitcoin Core's ScriptError values (OK on success).
 * PLACEHOLDER: the script work fills in the full list.
 */
public enum ScriptError {
    OK,
    UNKNOWN_ERROR
}
