package org.jbitcoind.storage;

import java.security.MessageDigest;
import java.util.Optional;
import java.util.TreeMap;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;

/**
 * Statistics of the UTXO set as Bitcoin Core's gettxoutsetinfo reports them
 * (kernel/coinstats.cpp), computed over one {@link UtxoSnapshot} so that every figure describes
 * the state at {@link #bestBlock()}.
 *
 * <p>Both hashes cover each coin's "TxOutSer" bytes: the outpoint (txid, uint32 vout), a uint32
 * {@code height << 1 | coinbase}, then the output (int64 value, CompactSize script length,
 * script). hash_serialized_3 is SHA256d over all of them in Core's cursor order (transactions by
 * txid bytes, outputs of one transaction by vout); muhash inserts each into a
 * {@link MuHash3072} and does not depend on order.
 *
 * @param transactions distinct txids with at least one unspent output
 * @param bogoSize     Core's database-independent size metric
 * @param diskSize     estimate of the UTXO column family's size
 */
public record UtxoStats(int height, Hash256 bestBlock, long transactions, long txouts, long bogoSize,
                        long totalAmount, long diskSize, Optional<Hash256> hashSerialized3,
                        Optional<Hash256> muhash) {

    /** Which hash to compute, as gettxoutsetinfo's hash_type argument. */
    public enum HashType { NONE, HASH_SERIALIZED, MUHASH }

    /** Computes the statistics over a fresh snapshot of {@code db}. */
    public static UtxoStats compute(ChainDb db, HashType hashType) throws StorageException {
        try (UtxoSnapshot snapshot = db.utxoSnapshot()) {
            return compute(snapshot, hashType, db.estimateUtxoSize());
        }
    }

    public static UtxoStats compute(UtxoSnapshot snapshot, HashType hashType, long diskSize) throws StorageException {
        Hash256 best = snapshot.bestBlock().orElseThrow(() ->
                new StorageException("UTXO statistics: the database has no best block yet"));
        BlockIndexRecord bestIndex = snapshot.blockIndex(best).orElseThrow(() ->
                new StorageException("UTXO statistics: best block " + best + " has no block index record"));
        Accumulator acc = new Accumulator(hashType);
        snapshot.forEach(acc::add);
        acc.finishTransaction();
        return new UtxoStats(bestIndex.height(), best, acc.transactions, acc.txouts, acc.bogoSize, acc.totalAmount,
                diskSize,
                hashType == HashType.HASH_SERIALIZED ? Optional.of(Hash256.wrap(acc.sha256d())) : Optional.empty(),
                hashType == HashType.MUHASH ? Optional.of(acc.muhash.finalizeHash()) : Optional.empty());
    }

    /** Core's GetBogoSize: txid, vout, height+coinbase, amount, script length (2), script. */
    public static long bogoSize(byte[] scriptPubKey) {
        return 32 + 4 + 4 + 8 + 2 + scriptPubKey.length;
    }

    /** Core's TxOutSer: the bytes both UTXO set hashes are computed over. */
    public static byte[] txOutSer(OutPoint outPoint, Coin coin) {
        ByteWriter w = new ByteWriter(36 + 4 + coin.output().serializedSize());
        outPoint.write(w);
        w.writeU32LE(CoinCodec.code(coin));
        coin.output().write(w);
        return w.toByteArray();
    }

    /**
     * Groups the cursor's coins by transaction like Core, which hashes the outputs of one txid in
     * vout order (VARINT key order differs from numeric order for vouts above 16511).
     */
    private static final class Accumulator {
        private final HashType hashType;
        private final MessageDigest digest = newSha256();
        private final MuHash3072 muhash = new MuHash3072();
        private final TreeMap<Long, Coin> outputs = new TreeMap<>();
        private Hash256 currentTxid;
        long transactions;
        long txouts;
        long bogoSize;
        long totalAmount;

        Accumulator(HashType hashType) {
            this.hashType = hashType;
        }

        void add(OutPoint outPoint, Coin coin) throws StorageException {
            if (currentTxid != null && !currentTxid.equals(outPoint.txid())) {
                finishTransaction();
            }
            currentTxid = outPoint.txid();
            outputs.put(outPoint.indexUnsigned(), coin);
        }

        void finishTransaction() throws StorageException {
            if (outputs.isEmpty()) {
                return;
            }
            transactions++;
            for (var e : outputs.entrySet()) {
                Coin coin = e.getValue();
                txouts++;
                try {
                    totalAmount = Math.addExact(totalAmount, coin.output().value());
                } catch (ArithmeticException overflow) {
                    throw new StorageException("UTXO statistics: total amount overflows");
                }
                bogoSize += bogoSize(coin.output().scriptPubKey());
                if (hashType != HashType.NONE) {
                    byte[] ser = txOutSer(new OutPoint(currentTxid, (int) (long) e.getKey()), coin);
                    if (hashType == HashType.HASH_SERIALIZED) {
                        digest.update(ser);
                    } else {
                        muhash.insert(ser);
                    }
                }
            }
            outputs.clear();
        }

        private static MessageDigest newSha256() {
            try {
                // Its own instance: the shared one in Hashes is reset by any other hashing on this thread.
                return MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK without SHA-256", e);
            }
        }

        byte[] sha256d() {
            byte[] first = digest.digest();
            return Hashes.sha256(first);
        }
    }
}
