package org.jbitcoind.chain.spv;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.MerkleBlockMessage;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;

/**
 * The proof format of Core's gettxoutproof / verifytxoutproof: a serialized CMerkleBlock (header,
 * transaction count, partial merkle tree) built for a set of txids. It is the merkleblock message
 * payload, so it is also what a BIP37 client would accept.
 */
public final class TxOutProof {
    private TxOutProof() {
    }

    /** What a proof proves: these txids are in the block with this header, which has this many transactions. */
    public record Verified(BlockHeader header, long transactionCount, List<Hash256> txids) {
        public Verified {
            txids = List.copyOf(txids);
        }
    }

    /**
     * gettxoutproof: proves that every txid in {@code txids} is in {@code block}. Core refuses
     * when any of them is missing, and so does this.
     */
    public static byte[] build(Block block, Set<Hash256> txids) throws MerkleProofException {
        if (txids.isEmpty()) {
            throw new MerkleProofException("no txids to prove");
        }
        Set<Hash256> found = new HashSet<>();
        FilteredBlock fb = MerkleBlockBuilder.build(block, tx -> {
            Hash256 id = tx.txid();
            boolean hit = txids.contains(id);
            if (hit) {
                found.add(id);
            }
            return hit;
        });
        if (found.size() != txids.size()) {
            throw new MerkleProofException("Not all transactions found in specified or retrieved block");
        }
        ByteWriter w = new ByteWriter();
        fb.merkleBlock().write(w);
        return w.toByteArray();
    }

    public static byte[] build(Block block, Transaction... txs) throws MerkleProofException {
        Set<Hash256> ids = new HashSet<>();
        for (Transaction tx : txs) {
            ids.add(tx.txid());
        }
        return build(block, ids);
    }

    /**
     * verifytxoutproof's self-contained part: decodes the proof, extracts the matches and checks
     * that they hash to the header's merkle root. The RPC layer must still check that the header
     * is in the active chain and that the block's real transaction count equals
     * {@link Verified#transactionCount()} (Core returns an empty list otherwise). Like Core, bytes
     * after the proof are ignored.
     */
    public static Verified verify(byte[] proof) throws MerkleProofException {
        MerkleBlockMessage msg;
        try {
            msg = MerkleBlockMessage.read(new ByteReader(proof));
        } catch (DecodeException e) {
            throw new MerkleProofException("malformed txout proof: " + e.getMessage());
        }
        PartialMerkleTree tree = PartialMerkleTree.fromMessage(msg);
        PartialMerkleTree.Extracted extracted = tree.extractMatches();
        if (!extracted.root().equals(msg.header().merkleRoot())) {
            throw new MerkleProofException("txout proof root " + extracted.root() + " does not match header merkle root "
                    + msg.header().merkleRoot());
        }
        return new Verified(msg.header(), tree.transactionCount(), extracted.matches());
    }
}
