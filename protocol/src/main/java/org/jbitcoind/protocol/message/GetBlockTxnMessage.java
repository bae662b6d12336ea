package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;

/** BIP152: request for the transactions of a compact block at these (differentially encoded) indexes. */
public record GetBlockTxnMessage(Hash256 blockHash, List<Integer> indexes) implements Message {
    public static final String COMMAND = "getblocktxn";

    public GetBlockTxnMessage {
        indexes = List.copyOf(indexes);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static GetBlockTxnMessage read(ByteReader r) throws DecodeException {
        Hash256 hash = r.readHash();
        int n = r.readCount(CmpctBlockMessage.MAX_INDEX + 1L, "getblocktxn count");
        List<Integer> list = new ArrayList<>(Math.min(n, r.remaining()));
        int index = -1;
        for (int i = 0; i < n; i++) {
            index = CmpctBlockMessage.nextIndex(r, index, "getblocktxn");
            list.add(index);
        }
        return new GetBlockTxnMessage(hash, list);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeHash(blockHash).writeCompactSize(indexes.size());
        int previous = -1;
        for (int i : indexes) {
            w.writeCompactSize(i - previous - 1);
            previous = i;
        }
    }
}
