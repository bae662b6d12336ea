package org.jbitcoind.chain.validation;

import java.util.List;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.script.SigOps;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.MerkleTree;
import org.jbitcoind.protocol.primitives.Transaction;

/** Context-free block rules (Core's CheckBlockHeader, CheckMerkleRoot and CheckBlock). */
public final class BlockChecks {
    private BlockChecks() {
    }

    /** The header's hash meets the target its bits claim, and the bits are within powLimit. */
    public static void checkBlockHeader(BlockHeader header, ChainParams params) throws ValidationException {
        if (!Pow.checkProofOfWork(header.hash(), header.bits(), params)) {
            throw new ValidationException(ValidationException.Result.INVALID_HEADER, "high-hash", "proof of work failed");
        }
    }

    /**
     * The transactions hash to the header's merkle root, and no transaction list with repeated
     * entries (CVE-2012-2459) could have produced it. Both failures are MUTATED: the transactions we
     * got are wrong, which says nothing about the header.
     */
    public static void checkMerkleRoot(Block block) throws ValidationException {
        MerkleTree.Result root = block.computeMerkleRoot();
        if (!root.root().equals(block.header().merkleRoot())) {
            throw new ValidationException(ValidationException.Result.MUTATED, "bad-txnmrklroot",
                    "hashMerkleRoot mismatch");
        }
        if (root.mutated()) {
            throw new ValidationException(ValidationException.Result.MUTATED, "bad-txns-duplicate",
                    "duplicate transaction");
        }
    }

    /** Core's CheckBlock with proof-of-work and merkle checks on. */
    public static void checkBlock(Block block, ChainParams params, ScriptVerifier verifier) throws ValidationException {
        checkBlock(block, params, verifier, true, true);
    }

    /**
     * Core's CheckBlock: header PoW, the BIP325 signet solution, merkle root, size limits, one
     * coinbase first, CheckTransaction on each transaction, and the legacy sigop limit. Witness
     * data is not looked at here (contextualCheckBlock does that), so a failure caused by altered
     * witnesses cannot mark a valid header invalid.
     *
     * @param verifier runs the signet challenge; not used on other networks
     */
    public static void checkBlock(Block block, ChainParams params, ScriptVerifier verifier, boolean checkPow,
            boolean checkMerkleRoot) throws ValidationException {
        if (checkPow) {
            checkBlockHeader(block.header(), params);
        }
        if (params.signetBlocks() && checkPow && !SignetSolution.check(block, params, verifier)) {
            throw ValidationException.consensus("bad-signet-blksig", "signet block signature validation failure");
        }
        if (checkMerkleRoot) {
            checkMerkleRoot(block);
        }

        List<Transaction> txs = block.transactions();
        if (txs.isEmpty() || (long) txs.size() * Consensus.WITNESS_SCALE_FACTOR > Consensus.MAX_BLOCK_WEIGHT
                || (long) block.baseSize() * Consensus.WITNESS_SCALE_FACTOR > Consensus.MAX_BLOCK_WEIGHT) {
            throw ValidationException.consensus("bad-blk-length", "size limits failed");
        }
        if (!txs.get(0).isCoinbase()) {
            throw ValidationException.consensus("bad-cb-missing", "first tx is not coinbase");
        }
        for (int i = 1; i < txs.size(); i++) {
            if (txs.get(i).isCoinbase()) {
                throw ValidationException.consensus("bad-cb-multiple", "more than one coinbase");
            }
        }
        for (Transaction tx : txs) {
            try {
                TxCheck.checkTransaction(tx);
            } catch (ValidationException e) {
                throw ValidationException.consensus(e.rejectReason(),
                        "Transaction check failed (tx hash " + tx.txid() + ") " + e.getMessage());
            }
        }
        long sigOps = 0;
        for (Transaction tx : txs) {
            sigOps += SigOps.legacySigOpCount(tx);
        }
        if (sigOps * Consensus.WITNESS_SCALE_FACTOR > Consensus.MAX_BLOCK_SIGOPS_COST) {
            throw ValidationException.consensus("bad-blk-sigops", "out-of-bounds SigOpCount");
        }
    }
}
