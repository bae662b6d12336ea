package org.jbitcoind.chain.mining;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.validation.ContextualChecks;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * Assembles and mines a block from a chosen set of transactions: the coinbase with the BIP34
 * height, the BIP141 witness commitment, the merkle root, and a nonce that meets the target.
 * Grinding is only practical where the target is trivial (regtest, or tests); it is the building
 * block of generatetoaddress and of the test-chain generators. Choosing transactions (fees,
 * weight, sigops) is the caller's job.
 */
public final class BlockMaker {
    /** Block version with the BIP9 top bits set, as Core mines. */
    public static final int VERSION = 0x20000000;
    private static final int WITNESS_RESERVED_VALUE_SIZE = 32;

    private BlockMaker() {
    }

    /** What to put in the coinbase; {@code tag} bytes go after the height push (a miner's extra nonce). */
    public record CoinbaseSpec(byte[] scriptPubKey, long value, byte[] tag) {
        public CoinbaseSpec {
            Objects.requireNonNull(scriptPubKey, "scriptPubKey");
            tag = tag == null ? new byte[0] : tag.clone();
            if (value < 0) {
                throw new IllegalArgumentException("negative coinbase value");
            }
        }
    }

    /**
     * The coinbase transaction for {@code height}: scriptSig = BIP34 height push followed by the tag
     * (padded so the scriptSig has Core's minimum of two bytes), one output, and the 32 zero bytes
     * of the BIP141 witness reserved value.
     */
    public static Transaction coinbase(int height, CoinbaseSpec spec) {
        byte[] heightPush = ContextualChecks.heightScript(height);
        byte[] tag = spec.tag();
        int len = Math.max(2, heightPush.length + tag.length);
        byte[] scriptSig = new byte[len];
        System.arraycopy(heightPush, 0, scriptSig, 0, heightPush.length);
        System.arraycopy(tag, 0, scriptSig, heightPush.length, tag.length);
        // Padding (when neither height nor tag give two bytes) is OP_0, harmless after the height.
        TxIn in = new TxIn(OutPoint.NULL, scriptSig, TxIn.SEQUENCE_FINAL,
                List.of(new byte[WITNESS_RESERVED_VALUE_SIZE]));
        return new Transaction(2, List.of(in), List.of(new TxOut(spec.value(), spec.scriptPubKey())), 0);
    }

    /**
     * A mined block on top of {@code prevHash} at {@code height}: the coinbase, then {@code txs} in
     * the given order, with a witness commitment when {@code witnessCommitment} (required once any
     * transaction has witness data; harmless otherwise).
     */
    public static Block mine(ChainParams params, Hash256 prevHash, int height, long time, long bits,
            CoinbaseSpec coinbase, List<Transaction> txs, boolean witnessCommitment) {
        Transaction cb = coinbase(height, coinbase);
        List<Transaction> all = new ArrayList<>(txs.size() + 1);
        all.add(cb);
        all.addAll(txs);
        if (witnessCommitment) {
            Hash256 root = new Block(dummyHeader(prevHash), all).computeWitnessMerkleRoot();
            Hash256 commitment = Block.witnessCommitment(root, new byte[WITNESS_RESERVED_VALUE_SIZE]);
            List<TxOut> outs = new ArrayList<>(cb.outputs());
            outs.add(new TxOut(0, Block.witnessCommitmentScript(commitment)));
            cb = new Transaction(cb.version(), cb.inputs(), outs, cb.lockTime());
            all.set(0, cb);
        }
        Hash256 merkleRoot = new Block(dummyHeader(prevHash), all).computeMerkleRoot().root();
        BlockHeader header = grind(params, new BlockHeader(VERSION, prevHash, merkleRoot, time, bits, 0));
        return new Block(header, all);
    }

    /** Finds a nonce (bumping the time on exhaustion) that satisfies the header's own bits. */
    public static BlockHeader grind(ChainParams params, BlockHeader header) {
        BlockHeader h = header;
        while (true) {
            for (long nonce = 0; nonce <= 0xffffffffL; nonce++) {
                BlockHeader candidate = h.withNonce(nonce);
                if (Pow.checkProofOfWork(candidate.hash(), candidate.bits(), params)) {
                    return candidate;
                }
            }
            h = new BlockHeader(h.version(), h.prevBlock(), h.merkleRoot(), h.time() + 1, h.bits(), 0);
        }
    }

    private static BlockHeader dummyHeader(Hash256 prevHash) {
        return new BlockHeader(VERSION, prevHash, Hash256.ZERO, 0, 0, 0);
    }
}
