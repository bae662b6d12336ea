package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real mainnet blocks with the coins their inputs spent (Floresta's fixtures in ../shared/data):
 * the undo record of each block round-trips, and those coins stored as a UTXO set come back
 * with statistics matching the fixture.
 */
class RealBlockUndoTest {
    private static final Pattern ENTRY = Pattern.compile(
            "\"value\"\\s*:\\s*(\\d+)\\s*,\\s*\"script_pubkey\"\\s*:\\s*\"([0-9a-f]*)\"\\s*}\\s*,\\s*"
            + "\"is_coinbase\"\\s*:\\s*(true|false)\\s*,\\s*\"creation_height\"\\s*:\\s*(\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "block {0}")
    @CsvSource({
        "866342, floresta/block_866342/raw.zst, floresta/block_866342/spent_utxos.zst, 7972, MUHASH",
        "367891, floresta/block_367891/raw.zst, floresta/block_367891/spent_utxos.zst, 20817, HASH_SERIALIZED",
    })
    void undoAndUtxoRoundTripForRealSpends(int height, String blockFile, String spentFile, int inputs,
                                              UtxoStats.HashType hashType) throws Exception {
        Block block = SharedData.decodeBlock(SharedData.readData(blockFile));
        List<Coin> spent = parseSpent(SharedData.readText(SharedData.data(spentFile)));
        assertEquals(inputs, spent.size());

        // Undo: one list per non-coinbase transaction, coins in input order.
        List<BlockUndo.TxUndo> txUndos = new ArrayList<>();
        Map<OutPoint, Coin> byPrevout = new HashMap<>();
        int next = 0;
        for (Transaction tx : block.transactions()) {
            if (tx.isCoinbase()) {
                continue;
            }
            List<Coin> coins = new ArrayList<>();
            for (TxIn in : tx.inputs()) {
                Coin c = spent.get(next++);
                coins.add(c);
                byPrevout.put(in.prevout(), c);
            }
            txUndos.add(new BlockUndo.TxUndo(coins));
        }
        assertEquals(inputs, next);
        BlockUndo undo = new BlockUndo(txUndos);
        byte[] enc = undo.encode();
        assertEquals(undo, BlockUndo.decode(enc));
        long rawSize = spent.stream().mapToLong(c -> c.output().serializedSize() + 4).sum();
        assertTrue(enc.length < rawSize, "compact undo " + enc.length + " vs " + rawSize);

        // The same coins as a UTXO set, read back and summarized.
        try (ChainDb db = ChainDb.open(dir, Network.MAIN, ChainDbOptions.defaults()
                .withBlockCacheBytes(8 * ChainDbOptions.MIB).withWriteBufferBytes(4 * ChainDbOptions.MIB))) {
            BlockIndexRecord idx = new BlockIndexRecord(block.header(), height, java.math.BigInteger.ONE,
                    BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_DATA | BlockStatus.HAVE_UNDO, block.transactions().size());
            try (ChainDb.Batch b = db.batch()) {
                for (var e : byPrevout.entrySet()) {
                    b.putCoin(e.getKey(), e.getValue());
                }
                b.putBlockIndex(idx).putUndo(idx.hash(), undo).setBestBlock(idx.hash()).commit(false);
            }
            assertEquals(undo, db.getUndo(idx.hash()).orElseThrow());
            for (var e : byPrevout.entrySet()) {
                assertEquals(Optional.of(e.getValue()), db.getCoin(e.getKey()));
            }
            UtxoStats stats = UtxoStats.compute(db, hashType);
            assertEquals(byPrevout.size(), stats.txouts());
            assertEquals(byPrevout.keySet().stream().map(OutPoint::txid).distinct().count(), stats.transactions());
            assertEquals(byPrevout.values().stream().mapToLong(c -> c.output().value()).sum(), stats.totalAmount());
            assertEquals(height, stats.height());
            if (hashType == UtxoStats.HashType.MUHASH) {
                MuHash3072 expected = new MuHash3072();
                byPrevout.forEach((op, c) -> expected.insert(UtxoStats.txOutSer(op, c)));
                assertEquals(Optional.of(expected.finalizeHash()), stats.muhash());
            } else {
                // Core's order: txid bytes, then vout; SHA256d over the concatenation.
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                byPrevout.entrySet().stream()
                        .sorted(java.util.Comparator.<Map.Entry<OutPoint, Coin>, byte[]>comparing(
                                e -> e.getKey().txid().bytes(), java.util.Arrays::compareUnsigned)
                                .thenComparingLong(e -> e.getKey().indexUnsigned()))
                        .forEach(e -> all.writeBytes(UtxoStats.txOutSer(e.getKey(), e.getValue())));
                assertEquals(Optional.of(org.jbitcoind.protocol.crypto.Hashes.hash256Of(all.toByteArray())),
                        stats.hashSerialized3());
            }
        }
    }

    private static List<Coin> parseSpent(String json) {
        List<Coin> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            TxOut o = new TxOut(Long.parseLong(m.group(1)), Hex.decode(m.group(2)));
            out.add(new Coin(o, Integer.parseInt(m.group(4)), Boolean.parseBoolean(m.group(3))));
        }
        return out;
    }
}
