package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;

/** BIP152: the transactions a getblocktxn asked for. */
public record BlockTxnMessage(Hash256 blockHash, List<Transaction> transactions) implements Message {
    public static final String COMMAND = "blocktxn";

    public BlockTxnMessage {
        transactions = List.copyOf(transactions);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static BlockTxnMessage read(ByteReader r) throws DecodeException {
        Hash256 hash = r.readHash();
        int n = r.readCount(r.remaining() / 10, "blocktxn count");
        List<Transaction> txs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            txs.add(Transaction.read(r));
        }
        return new BlockTxnMessage(hash, txs);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeHash(blockHash).writeCompactSize(transactions.size());
        for (Transaction tx : transactions) {
            tx.write(w, true);
        }
    }
}
