package org.jbitcoind.chain.filterindex;

import java.util.Optional;

import org.jbitcoind.protocol.crypto.Hash256;

/** Read access to indexed filters by block hash (what the request rules need of the index). */
@FunctionalInterface
public interface FilterLookup {
    /**
     * The entry of the block, or empty when the index has not processed it (not yet, or never: a
     * block not connected while the index ran).
     *
     * @throws org.jbitcoind.chain.state.ChainstateFailure when the database cannot be read
     */
    Optional<FilterEntry> entry(Hash256 blockHash);
}
