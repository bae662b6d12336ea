package org.jbitcoind.chain.script;

/** Which signature-hash and script rules apply (Core's SigVersion). */
public enum SigVersion {
    /** Bare scripts and P2SH. */
    BASE,
    /** BIP141/143. */
    WITNESS_V0,
    /** BIP341 key path. */
    TAPROOT,
    /** BIP342 script path, leaf version 0xc0. */
    TAPSCRIPT
}
