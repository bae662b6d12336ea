package org.jbitcoind.protocol.primitives;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * A block: header and transactions. Immutable; the merkle roots are computed on first use and
 * cached (as the transactions cache their hashes), so {@link #precomputeHashes()} on one thread
 * saves the work on the thread that validates the block.
 */
public final class Block {
    /** BIP141 serialized-size ceiling; also bounds decoding of untrusted block messages. */
    public static final int MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;
    /** BIP141: the commitment output script starts OP_RETURN, push 36, 0xaa21a9ed. */
    private static final byte[] WITNESS_COMMITMENT_HEADER = {0x6a, 0x24, (byte) 0xaa, 0x21, (byte) 0xa9, (byte) 0xed};
    private static final int MIN_TX_SIZE = 10;

    private final BlockHeader header;
    private final List<Transaction> transactions;
    private MerkleTree.Result merkleRoot;
    private Hash256 witnessMerkleRoot;

    public Block(BlockHeader header, List<Transaction> transactions) {
        this.header = header;
        this.transactions = List.copyOf(transactions);
    }

    public BlockHeader header() {
        return header;
    }

    public List<Transaction> transactions() {
        return transactions;
    }

    public Hash256 hash() {
        return header.hash();
    }

    public MerkleTree.Result computeMerkleRoot() {
        MerkleTree.Result r = merkleRoot;
        if (r == null) {
            int n = transactions.size();
            byte[] ids = new byte[n * Hash256.LENGTH];
            for (int i = 0; i < n; i++) {
                transactions.get(i).txid().copyTo(ids, i * Hash256.LENGTH);
            }
            r = MerkleTree.computeInPlace(ids, n);
            merkleRoot = r;
        }
        return r;
    }

    /** BIP141 witness root: the coinbase's wtxid counts as zero. */
    public Hash256 computeWitnessMerkleRoot() {
        Hash256 r = witnessMerkleRoot;
        if (r == null) {
            int n = transactions.size();
            byte[] ids = new byte[n * Hash256.LENGTH]; // the coinbase's slot stays zero
            for (int i = 1; i < n; i++) {
                transactions.get(i).wtxid().copyTo(ids, i * Hash256.LENGTH);
            }
            r = MerkleTree.computeInPlace(ids, n).root();
            witnessMerkleRoot = r;
        }
        return r;
    }

    /**
     * Computes and caches the block hash, every txid and wtxid, the sizes and both merkle roots.
     * Results are immutable values, so a block prepared on one thread and handed to another through
     * a queue or executor (which orders the writes before the reads) is read there without
     * recomputing anything.
     */
    public void precomputeHashes() {
        hash();
        weight();
        computeMerkleRoot();
        if (transactions.size() > 1) {
            computeWitnessMerkleRoot();
        }
    }

    /** Index of the coinbase output holding the witness commitment: the last one that matches. */
    public Optional<Integer> witnessCommitmentIndex() {
        if (transactions.isEmpty()) {
            return Optional.empty();
        }
        List<TxOut> outs = transactions.get(0).outputs();
        for (int i = outs.size() - 1; i >= 0; i--) {
            byte[] s = outs.get(i).scriptPubKey();
            if (s.length >= 38 && Arrays.equals(s, 0, WITNESS_COMMITMENT_HEADER.length,
                    WITNESS_COMMITMENT_HEADER, 0, WITNESS_COMMITMENT_HEADER.length)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The commitment value: hash256(witness root || witness reserved value). */
    public static Hash256 witnessCommitment(Hash256 witnessRoot, byte[] reservedValue) {
        byte[] buf = new byte[64];
        witnessRoot.copyTo(buf, 0);
        System.arraycopy(reservedValue, 0, buf, 32, 32);
        return Hash256.wrap(Hashes.hash256(buf));
    }

    public static byte[] witnessCommitmentScript(Hash256 commitment) {
        byte[] s = new byte[38];
        System.arraycopy(WITNESS_COMMITMENT_HEADER, 0, s, 0, WITNESS_COMMITMENT_HEADER.length);
        commitment.copyTo(s, 6);
        return s;
    }

    public int baseSize() {
        int n = BlockHeader.SIZE + ByteWriter.compactSizeLength(transactions.size());
        for (Transaction tx : transactions) {
            n += tx.baseSize();
        }
        return n;
    }

    public int totalSize() {
        int n = BlockHeader.SIZE + ByteWriter.compactSizeLength(transactions.size());
        for (Transaction tx : transactions) {
            n += tx.totalSize();
        }
        return n;
    }

    public int weight() {
        return baseSize() * (Transaction.WITNESS_SCALE_FACTOR - 1) + totalSize();
    }

    public byte[] serialize() {
        int size = totalSize();
        ByteWriter w = new ByteWriter(size);
        write(w, true);
        // Sized exactly, so the writer's own array is the result: no second copy of the block.
        return w.size() == size && w.array().length == size ? w.array() : w.toByteArray();
    }

    public void write(ByteWriter w, boolean withWitness) {
        header.write(w);
        w.writeCompactSize(transactions.size());
        for (Transaction tx : transactions) {
            tx.write(w, withWitness);
        }
    }

    public static Block read(ByteReader r) throws DecodeException {
        BlockHeader header = BlockHeader.read(r);
        int n = r.readCount(r.remaining() / MIN_TX_SIZE, "transaction count");
        Transaction[] txs = new Transaction[n];
        for (int i = 0; i < n; i++) {
            txs[i] = Transaction.read(r);
        }
        return new Block(header, List.of(txs));
    }

    public static Block deserialize(byte[] bytes) throws DecodeException {
        ByteReader r = new ByteReader(bytes);
        Block b = read(r);
        r.expectEnd("block");
        return b;
    }

    @Override
    public String toString() {
        return "Block[" + hash() + ", " + transactions.size() + " txs]";
    }
}
