package org.jbitcoind.chain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Readers for the three prevout/undo formats in ../shared/data (documented in its README). */
public final class PrevoutFormats {
    private static final BigInteger P = BigInteger.TWO.pow(256).subtract(BigInteger.TWO.pow(32))
            .subtract(BigInteger.valueOf(977));

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
            long code = readVarInt(e);
            long amount = decompressAmount(readVarInt(e));
            byte[] script = decompressScript(e);
            coins.put(op, new Coin(new TxOut(amount, script), (int) (code >>> 1), (code & 1) != 0));
        }
        return coins;
    }

    /** Core's VARINT: base-128, most significant group first, each continuation adds one. */
    static long readVarInt(ByteReader r) throws DecodeException {
        long n = 0;
        while (true) {
            int b = r.readU8();
            n = (n << 7) | (b & 0x7f);
            if ((b & 0x80) != 0) {
                n++;
            } else {
                return n;
            }
        }
    }

    static long decompressAmount(long x) {
        if (x == 0) {
            return 0;
        }
        x--;
        int e = (int) (x % 10);
        x /= 10;
        long n;
        if (e < 9) {
            long d = (x % 9) + 1;
            x /= 9;
            n = x * 10 + d;
        } else {
            n = x + 1;
        }
        while (e > 0) {
            n *= 10;
            e--;
        }
        return n;
    }

    static byte[] decompressScript(ByteReader r) throws DecodeException {
        int type = (int) readVarInt(r);
        switch (type) {
            case 0: {
                byte[] h = r.readBytes(20);
                return concat(Hex.decode("76a914"), h, Hex.decode("88ac"));
            }
            case 1: {
                byte[] h = r.readBytes(20);
                return concat(Hex.decode("a914"), h, Hex.decode("87"));
            }
            case 2:
            case 3: {
                byte[] x = r.readBytes(32);
                return concat(new byte[] {0x21, (byte) type}, x, new byte[] {(byte) 0xac});
            }
            case 4:
            case 5: {
                byte[] x = r.readBytes(32);
                return concat(new byte[] {0x41}, uncompressedKey(x, type == 5), new byte[] {(byte) 0xac});
            }
            default:
                return r.readBytes(type - 6);
        }
    }

    private static byte[] uncompressedKey(byte[] xBytes, boolean odd) {
        BigInteger x = new BigInteger(1, xBytes);
        BigInteger y2 = x.pow(3).add(BigInteger.valueOf(7)).mod(P);
        BigInteger y = y2.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        if (y.testBit(0) != odd) {
            y = P.subtract(y);
        }
        byte[] out = new byte[65];
        out[0] = 0x04;
        System.arraycopy(xBytes, 0, out, 1, 32);
        byte[] yb = y.toByteArray();
        int len = Math.min(yb.length, 32);
        System.arraycopy(yb, yb.length - len, out, 65 - len, len);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
