package org.jbitcoind.storage;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * The deterministic chain the crash test writes: at height h the UTXO set is exactly
 * {@link #coins(int)}, and the batch for h spends every coin of h - 1, so any mix of two heights
 * on disk shows up as a wrong set.
 */
final class CrashModel {
    static final ChainDbOptions OPTIONS = ChainDbOptions.defaults()
            .withBlockCacheBytes(4 * ChainDbOptions.MIB)
            .withWriteBufferBytes(256 * 1024)   // small memtables: flushes happen while the test kills
            .withMinBlobBytes(1024);

    private CrashModel() {
    }

    static Map<OutPoint, Coin> coins(int height) {
        int n = 200 + (height * 37) % 500;
        Map<OutPoint, Coin> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Hash256 txid = Hashes.hash256Of(("tx " + height + " " + i / 3).getBytes(StandardCharsets.US_ASCII));
            byte[] script = new byte[22];
            script[0] = 0x00;
            script[1] = 0x14;
            script[2] = (byte) height;
            script[3] = (byte) (height >>> 8);
            script[4] = (byte) i;
            out.put(new OutPoint(txid, i % 3), new Coin(new TxOut(1000L * height + i, script), height, i == 0));
        }
        return out;
    }

    static BlockIndexRecord index(int height) {
        BlockHeader hdr = new BlockHeader(4, height == 0 ? Hash256.ZERO : blockHashSeed(height - 1),
                blockHashSeed(height), 1_700_000_000L + height, 0x207fffff, height);
        return new BlockIndexRecord(hdr, height, BigInteger.valueOf(2L * (height + 1)),
                BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_DATA | BlockStatus.HAVE_UNDO, coins(height).size() / 3 + 1);
    }

    static byte[] block(int height) {
        byte[] b = new byte[20_000 + (height % 7) * 3_000];
        new Random(height).nextBytes(b);
        return b;
    }

    /** Writes height h as one batch: spend h - 1's coins, create h's, store its block and undo, move the marker. */
    static void writeHeight(ChainDb db, int height) throws StorageException {
        BlockIndexRecord idx = index(height);
        try (ChainDb.Batch b = db.batch()) {
            if (height > 1) {
                for (OutPoint op : coins(height - 1).keySet()) {
                    b.deleteCoin(op);
                }
            }
            for (Map.Entry<OutPoint, Coin> e : coins(height).entrySet()) {
                b.putCoin(e.getKey(), e.getValue());
            }
            b.putBlock(idx.hash(), block(height));
            b.putUndo(idx.hash(), new BlockUndo(java.util.List.of(new BlockUndo.TxUndo(
                    height > 1 ? java.util.List.copyOf(coins(height - 1).values()) : java.util.List.of()))));
            b.putBlockIndex(idx);
            b.setBestBlock(idx.hash());
            b.commit(false);
        }
    }

    private static Hash256 blockHashSeed(int height) {
        return Hashes.hash256Of(("block " + height).getBytes(StandardCharsets.US_ASCII));
    }
}
