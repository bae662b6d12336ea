package org.jbitcoind.storage;

import java.util.Objects;

import org.jbitcoind.protocol.primitives.TxOut;

/**
 * An unspent transaction output as the UTXO set keeps it (Core's Coin): the output itself, the
 * height of the block that created it, and whether it came from a coinbase (which matures only
 * after 100 blocks). Also the unit of undo data: what a block spent.
 * CONTRACT: shared by chain/ (validation) and storage/ (serialization).
 *
 * <p>A value class like a record of (output, height, coinbase), but holding height and coinbase as
 * Core's one "code" number (height * 2 + coinbase): serializers and the coinbase maturity rule
 * read that number as it is, with no branch on the flag for the JIT to compile as never taken
 * (spent coinbases are rare) and later throw away and recompile when one comes.
 */
public final class Coin {
    private final TxOut output;
    private final int code;

    public Coin(TxOut output, int height, boolean coinbase) {
        this.output = Objects.requireNonNull(output, "output");
        if (height < 0) {
            throw new IllegalArgumentException("negative height");
        }
        this.code = height << 1 | (coinbase ? 1 : 0);
    }

    public TxOut output() {
        return output;
    }

    public int height() {
        return code >>> 1;
    }

    public boolean coinbase() {
        return (code & 1) != 0;
    }

    /** Core's code: height * 2 + (coinbase ? 1 : 0), as an unsigned 32-bit number. */
    public long code() {
        return code & 0xffffffffL;
    }

    /** 1 for a coinbase's coin, else 0. */
    public int coinbaseBit() {
        return code & 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coin other && code == other.code && output.equals(other.output);
    }

    @Override
    public int hashCode() {
        return 31 * output.hashCode() + code;
    }

    @Override
    public String toString() {
        return "Coin[output=" + output + ", height=" + height() + ", coinbase=" + coinbase() + "]";
    }
}
