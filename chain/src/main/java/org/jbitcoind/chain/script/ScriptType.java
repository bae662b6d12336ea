package org.jbitcoind.chain.script;

/** Standard output script templates (Core's TxoutType), with Core's RPC names. */
public enum ScriptType {
    NONSTANDARD("nonstandard"),
    PUBKEY("pubkey"),
    PUBKEYHASH("pubkeyhash"),
    SCRIPTHASH("scripthash"),
    MULTISIG("multisig"),
    NULL_DATA("nulldata"),
    ANCHOR("anchor"),
    WITNESS_V0_KEYHASH("witness_v0_keyhash"),
    WITNESS_V0_SCRIPTHASH("witness_v0_scripthash"),
    WITNESS_V1_TAPROOT("witness_v1_taproot"),
    WITNESS_UNKNOWN("witness_unknown");

    private final String rpcName;

    ScriptType(String rpcName) {
        this.rpcName = rpcName;
    }

    /** The name decodescript / getrawtransaction print in "type". */
    public String rpcName() {
        return rpcName;
    }
}
