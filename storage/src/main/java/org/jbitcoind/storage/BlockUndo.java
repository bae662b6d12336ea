package org.jbitcoind.storage;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * What connecting a block spent, so that it can be disconnected: for every transaction except
 * the coinbase, in block order, the coins its inputs spent, in input order (Core's CBlockUndo).
 *
 * <p>Serialized exactly as Core's rev*.dat payload (undo.h): CompactSize(tx count), then per
 * transaction CompactSize(input count) and per input VARINT(height * 2 + coinbase), a zero
 * VARINT kept for compatibility when height > 0, and the compressed output. Core appends a
 * SHA256d checksum in its flat files; here RocksDB's per-block CRC (SST data blocks and blob
 * records are checksummed and verified on read) catches corruption, so no checksum is stored.
 */
public record BlockUndo(List<TxUndo> txUndos) {
    /** The coins one transaction spent, in input order. */
    public record TxUndo(List<Coin> spent) {
        public TxUndo {
            spent = List.copyOf(spent);
        }
    }

    public BlockUndo {
        txUndos = List.copyOf(txUndos);
    }

    /** Number of coins spent by the block (its non-coinbase inputs). */
    public int spentCount() {
        int n = 0;
        for (TxUndo u : txUndos) {
            n += u.spent().size();
        }
        return n;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(64 + 40 * txUndos.size());
        w.writeCompactSize(txUndos.size());
        for (TxUndo tx : txUndos) {
            writeTxUndo(w, tx.spent());
        }
        return w.toByteArray();
    }

    /*
     * One transaction's coins. A method of its own, called once per transaction, so that the JIT
     * compiles it as an ordinary method instead of compiling encode's nested loops on the stack
     * (on-stack replacement) at each loop and again as a whole.
     */
    private static void writeTxUndo(ByteWriter w, List<Coin> spent) {
        int n = spent.size();
        w.writeCompactSize(n);
        for (int i = 0; i < n; i++) {
            Coin c = spent.get(i);
            w.writeVarInt(CoinCodec.code(c));
            if (c.height() > 0) {
                w.writeVarInt(0);
            }
            CoinCodec.writeTxOut(w, c.output());
        }
    }

    public static BlockUndo decode(byte[] bytes) throws DecodeException {
        ByteReader r = new ByteReader(bytes);
        // Every entry takes at least one byte, which bounds counts by what is actually there.
        int txs = r.readCount(r.remaining(), "undo transaction count");
        List<TxUndo> out = new ArrayList<>(txs);
        for (int t = 0; t < txs; t++) {
            int n = r.readCount(r.remaining(), "undo input count");
            List<Coin> coins = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long code = r.readVarInt32();
                int height = (int) (code >>> 1);
                if (height > 0) {
                    r.readVarInt32();
                }
                coins.add(new Coin(CoinCodec.readTxOut(r), height, (code & 1) != 0));
            }
            out.add(new TxUndo(coins));
        }
        r.expectEnd("block undo");
        return new BlockUndo(out);
    }
}
