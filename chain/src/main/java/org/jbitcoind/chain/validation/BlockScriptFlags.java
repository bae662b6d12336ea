package org.jbitcoind.chain.validation;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.ScriptFlags;

/** The script rules a block's inputs are checked under (Core's GetBlockScriptFlags). */
public final class BlockScriptFlags {
    private BlockScriptFlags() {
    }

    /**
     * P2SH, witness and taproot rules apply to every block except the listed exception blocks (the
     * one block that broke BIP16 before it activated, and the one that broke taproot rules): only those
     * blocks ever violated them, so this equals the historical activation on the real chains. The
     * height-activated rules are added on top.
     */
    public static int get(BlockIndex index, ChainParams params) {
        Integer exception = params.scriptFlagExceptions().get(index.hash());
        int flags = exception != null ? exception : ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.TAPROOT;
        if (BuriedDeployment.DERSIG.activeAt(index, params)) {
            flags |= ScriptFlags.DERSIG;
        }
        if (BuriedDeployment.CLTV.activeAt(index, params)) {
            flags |= ScriptFlags.CHECKLOCKTIMEVERIFY;
        }
        if (BuriedDeployment.CSV.activeAt(index, params)) {
            flags |= ScriptFlags.CHECKSEQUENCEVERIFY;
        }
        // BIP147 NULLDUMMY activated together with segwit.
        if (BuriedDeployment.SEGWIT.activeAt(index, params)) {
            flags |= ScriptFlags.NULLDUMMY;
        }
        return flags;
    }
}
