package org.jbitcoind.chain.validation;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;

/** Soft forks enforced from a fixed height (Core's Consensus::BuriedDeployment and DeploymentActive*). */
public enum BuriedDeployment {
    /** BIP34: coinbase starts with the block height. */
    HEIGHTINCB,
    /** BIP65: OP_CHECKLOCKTIMEVERIFY. */
    CLTV,
    /** BIP66: strict DER signatures. */
    DERSIG,
    /** BIP68, BIP112, BIP113: relative lock times, CSV, median-time-past locktime. */
    CSV,
    /** BIP141, BIP143, BIP147: segregated witness. */
    SEGWIT;

    public int height(ChainParams params) {
        return switch (this) {
            case HEIGHTINCB -> params.bip34Height();
            case CLTV -> params.bip65Height();
            case DERSIG -> params.bip66Height();
            case CSV -> params.csvHeight();
            case SEGWIT -> params.segwitHeight();
        };
    }

    /** Active for the block {@code index} itself. */
    public boolean activeAt(BlockIndex index, ChainParams params) {
        return index.height() >= height(params);
    }

    /** Active for the block after {@code prev} (prev null: the genesis block). */
    public boolean activeAfter(BlockIndex prev, ChainParams params) {
        return (prev == null ? 0 : prev.height() + 1) >= height(params);
    }
}
