package org.jbitcoind.chain.spv;

/** A partial merkle tree (merkleblock or txout proof) that is malformed or does not prove what it claims. */
public final class MerkleProofException extends Exception {
    public MerkleProofException(String message) {
        super(message);
    }
}
