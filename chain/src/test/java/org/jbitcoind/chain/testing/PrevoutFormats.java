package org.jbitcoind.chain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.AmountCompression;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.ScriptCompression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Readers for the three prevout/undo formats in ../shared/data (documented in its README). */
public final class PrevoutFormats {
    private PrevoutFormats() {
    }

    /** Floresta spent_utxos JSON: one coin per non-coinbase input, in block order, with heights. */
    public static List<Coin> floresta(byte[] json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            List<Coin> coins = new ArrayList<>(root.size());
            for (JsonNode n : root) {
                JsonNode out = n.get("txout");
                coins.add(new Coin(new TxOut(out.get("value").asLong(), Hex.decode(out.get("script_pubkey").asText())),
                        n.get("creation_height").asInt(), n.get("is_coinbase").asBoolean()));
            }
            return coins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * bcoin undo: value and script per non-coinbase input, no height or coinbase flag. Every coin
     * gets {@code assumedHeight} and is marked non-coinbase.
     */
    public static List<TxOut> bcoinUndo(byte[] data) throws DecodeException {
        ByteReader r = new ByteReader(data);
        List<TxOut> outs = new ArrayList<>();
        while (r.hasRemaining()) {
            long value = r.readI64LE();
            byte[] script = r.readVarBytes(r.remaining(), "script");
            outs.add(new TxOut(value, script));
        }
        return outs;
    }

    /** btcd utxostore: outpoint to coin, using Core's chainstate compression schemes. */
    public static Map<OutPoint, Coin> btcdUtxoStore(byte[] data) throws DecodeException {
        ByteReader r = new ByteReader(data);
        Map<OutPoint, Coin> coins = new HashMap<>();
        while (r.hasRemaining()) {
            OutPoint op = new OutPoint(r.readHash(), r.readI32LE());
            long len = r.readU32LE();
            ByteReader e = new ByteReader(r.readBytes((int) len));
            long code = e.readVarInt();
            long amount = AmountCompression.decompress(e.readVarInt());
            byte[] script = ScriptCompression.read(e);
            coins.put(op, new Coin(new TxOut(amount, script), (int) (code >>> 1), (code & 1) != 0));
        }
        return coins;
    }
}
