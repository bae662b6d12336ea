package org.jbitcoind.chain.validation;

import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptVerifier;

/** One input's script verification, deferred to the check queue (Core's CScriptCheck). */
public record ScriptCheck(PrecomputedTransactionData txData, int inputIndex, int flags) {
    public ScriptError run(ScriptVerifier verifier) {
        return verifier.verify(txData, inputIndex, flags);
    }
}
