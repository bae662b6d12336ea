package org.jbitcoind.chain.validation;

import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.protocol.crypto.Hash256;

/** The input whose script failed, and why. */
public record ScriptCheckFailure(Hash256 txid, int inputIndex, ScriptError error) {
    /** Core's reject reason for a block whose input script fails under consensus flags. */
    public String rejectReason() {
        return "mandatory-script-verify-flag-failed (" + error.description() + ")";
    }
}
