package org.jbitcoind.chain.validation;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.Transaction;

/** Block rules that depend on the parent (Core's ContextualCheckBlockHeader and ContextualCheckBlock). */
public final class ContextualChecks {
    /** Blocks may be at most this far (seconds) ahead of our clock (Core's MAX_FUTURE_BLOCK_TIME). */
    public static final long MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;
    /** BIP94: how far (seconds) the first block of a period may be before its parent (Core's MAX_TIMEWARP). */
    public static final long MAX_TIMEWARP = 600;

    private ContextualChecks() {
    }

    /**
     * Core's ContextualCheckBlockHeader: difficulty as required, time after the parent's median
     * time past and not more than two hours ahead of {@code nowSeconds}, version high enough for
     * the BIP34/66/65 rules in force, and on BIP94 networks the timewarp rule.
     */
    public static void contextualCheckBlockHeader(BlockHeader header, BlockIndex prev, ChainParams params,
            long nowSeconds) throws ValidationException {
        int height = prev.height() + 1;
        if (header.bits() != Pow.getNextWorkRequired(prev, header, params)) {
            throw new ValidationException(ValidationException.Result.INVALID_HEADER, "bad-diffbits",
                    "incorrect proof of work");
        }
        if (header.time() <= prev.medianTimePast()) {
            throw new ValidationException(ValidationException.Result.INVALID_HEADER, "time-too-old",
                    "block's timestamp is too early");
        }
        // BIP94: the first block of a difficulty period may not be much earlier than its parent,
        // which closes the timewarp attack.
        if (params.enforceBip94() && height % params.difficultyAdjustmentInterval() == 0
                && header.time() < prev.time() - MAX_TIMEWARP) {
            throw new ValidationException(ValidationException.Result.INVALID_HEADER, "time-timewarp-attack",
                    "block's timestamp is too early on diff adjustment block");
        }
        if (header.time() > nowSeconds + MAX_FUTURE_BLOCK_TIME) {
            throw new ValidationException(ValidationException.Result.TIME_FUTURE, "time-too-new",
                    "block timestamp too far in the future");
        }
        int v = header.version();
        if ((v < 2 && BuriedDeployment.HEIGHTINCB.activeAfter(prev, params))
                || (v < 3 && BuriedDeployment.DERSIG.activeAfter(prev, params))
                || (v < 4 && BuriedDeployment.CLTV.activeAfter(prev, params))) {
            String hex = String.format("0x%08x", v);
            throw new ValidationException(ValidationException.Result.INVALID_HEADER, "bad-version(" + hex + ")",
                    "rejected nVersion=" + hex + " block");
        }
    }

    /**
     * Core's ContextualCheckBlock: every transaction final (by the parent's median time past once
     * BIP113/CSV is active), the BIP34 height in the coinbase, the BIP141 witness commitment (or no
     * witness data at all), and the block weight.
     *
     * @param prev the parent, or null for a genesis block
     */
    public static void contextualCheckBlock(Block block, BlockIndex prev, ChainParams params)
            throws ValidationException {
        int height = prev == null ? 0 : prev.height() + 1;
        boolean medianTimeLocks = BuriedDeployment.CSV.activeAfter(prev, params);
        long lockTimeCutoff = medianTimeLocks ? prev.medianTimePast() : block.header().time();
        for (Transaction tx : block.transactions()) {
            if (!TxVerify.isFinalTx(tx, height, lockTimeCutoff)) {
                throw ValidationException.consensus("bad-txns-nonfinal", "non-final transaction");
            }
        }

        if (BuriedDeployment.HEIGHTINCB.activeAfter(prev, params)) {
            byte[] expect = heightScript(height);
            byte[] scriptSig = block.transactions().get(0).inputs().get(0).scriptSig();
            if (scriptSig.length < expect.length
                    || !Arrays.equals(scriptSig, 0, expect.length, expect, 0, expect.length)) {
                throw ValidationException.consensus("bad-cb-height", "block height mismatch in coinbase");
            }
        }

        checkWitnessMalleation(block, BuriedDeployment.SEGWIT.activeAfter(prev, params));

        // Only now, with the witness data tied to the header, can excess weight condemn the block.
        if (block.weight() > Consensus.MAX_BLOCK_WEIGHT) {
            throw ValidationException.consensus("bad-blk-weight", "weight limit failed");
        }
    }

    /**
     * BIP141: when segwit is active and the coinbase has a commitment, the coinbase witness is one
     * 32-byte reserved value and the commitment matches the witness merkle root; otherwise no
     * transaction may carry witness data.
     */
    public static void checkWitnessMalleation(Block block, boolean expectWitnessCommitment)
            throws ValidationException {
        if (expectWitnessCommitment) {
            Optional<Integer> pos = block.witnessCommitmentIndex();
            if (pos.isPresent()) {
                List<byte[]> stack = block.transactions().get(0).inputs().get(0).witness();
                if (stack.size() != 1 || stack.get(0).length != 32) {
                    throw new ValidationException(ValidationException.Result.MUTATED, "bad-witness-nonce-size",
                            "invalid witness reserved value size");
                }
                Hash256 commitment = Block.witnessCommitment(block.computeWitnessMerkleRoot(), stack.get(0));
                byte[] script = block.transactions().get(0).outputs().get(pos.get()).scriptPubKey();
                byte[] expected = commitment.bytes();
                if (!Arrays.equals(script, 6, 38, expected, 0, 32)) {
                    throw new ValidationException(ValidationException.Result.MUTATED, "bad-witness-merkle-match",
                            "witness merkle commitment mismatch");
                }
                return;
            }
        }
        for (Transaction tx : block.transactions()) {
            if (tx.hasWitness()) {
                throw new ValidationException(ValidationException.Result.MUTATED, "unexpected-witness",
                        "unexpected witness data found");
            }
        }
    }

    /** The script Core's {@code CScript() << height} makes: OP_0, OP_1..OP_16, or a minimal number push. */
    public static byte[] heightScript(int height) {
        if (height == 0) {
            return new byte[] {0x00};
        }
        if (height >= 1 && height <= 16) {
            return new byte[] {(byte) (0x50 + height)};
        }
        byte[] num = scriptNum(height);
        byte[] out = new byte[num.length + 1];
        out[0] = (byte) num.length;
        System.arraycopy(num, 0, out, 1, num.length);
        return out;
    }

    private static byte[] scriptNum(long value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        long abs = Math.abs(value);
        while (abs != 0) {
            b.write((int) (abs & 0xff));
            abs >>>= 8;
        }
        byte[] out = b.toByteArray();
        if ((out[out.length - 1] & 0x80) != 0) {
            out = Arrays.copyOf(out, out.length + 1);
            out[out.length - 1] = (byte) (value < 0 ? 0x80 : 0);
        } else if (value < 0) {
            out[out.length - 1] |= (byte) 0x80;
        }
        return out;
    }
}
