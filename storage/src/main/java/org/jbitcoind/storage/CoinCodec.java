package org.jbitcoind.storage;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * Bitcoin Core's compact coin (coins.h Coin::Serialize): VARINT(height * 2 + coinbase) followed
 * by the compressed output (TxOutCompression: VARINT(CompressAmount(value)) and the compressed
 * script). The UTXO column family stores exactly these bytes, as Core's chainstate does.
 */
public final class CoinCodec {
    private CoinCodec() {
    }

    public static byte[] encode(Coin coin) {
        ByteWriter w = new ByteWriter(16 + coin.output().scriptPubKey().length);
        write(w, coin);
        return w.toByteArray();
    }

    public static void write(ByteWriter w, Coin coin) {
        w.writeVarInt(code(coin));
        writeTxOut(w, coin.output());
    }

    public static Coin decode(byte[] bytes) throws DecodeException {
        ByteReader r = new ByteReader(bytes);
        Coin c = read(r);
        r.expectEnd("coin");
        return c;
    }

    public static Coin read(ByteReader r) throws DecodeException {
        long code = r.readVarInt32();
        return new Coin(readTxOut(r), (int) (code >>> 1), (code & 1) != 0);
    }

    /** Core's TxOutCompression. */
    public static void writeTxOut(ByteWriter w, TxOut out) {
        w.writeVarInt(AmountCompression.compress(out.value()));
        ScriptCompression.write(w, out.scriptPubKey());
    }

    public static TxOut readTxOut(ByteReader r) throws DecodeException {
        long value = AmountCompression.decompress(r.readVarInt());
        return new TxOut(value, ScriptCompression.read(r));
    }

    /** height << 1 | coinbase as an unsigned 32-bit number: the "code" Core's formats share. */
    static long code(Coin coin) {
        return coin.code();
    }
}
