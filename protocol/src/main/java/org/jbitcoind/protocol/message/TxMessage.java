package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.Transaction;

/** A transaction, with witness data when the peer asked for it. */
public record TxMessage(Transaction tx, boolean withWitness) implements Message {
    public static final String COMMAND = "tx";

    public TxMessage(Transaction tx) {
        this(tx, true);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static TxMessage read(ByteReader r) throws DecodeException {
        return new TxMessage(Transaction.read(r), true);
    }

    @Override
    public void write(ByteWriter w) {
        tx.write(w, withWitness);
    }
}
