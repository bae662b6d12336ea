package org.jbitcoind.protocol.message;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.BlockHeader;

/** BIP37: a block header with a partial merkle tree proving the matched transactions. */
public record MerkleBlockMessage(BlockHeader header, long totalTransactions, List<Hash256> hashes, byte[] flags)
        implements Message {
    public static final String COMMAND = "merkleblock";

    public MerkleBlockMessage {
        hashes = List.copyOf(hashes);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static MerkleBlockMessage read(ByteReader r) throws DecodeException {
        BlockHeader header = BlockHeader.read(r);
        long total = r.readU32LE();
        int n = r.readCount(r.remaining() / 32, "merkleblock hash count");
        List<Hash256> hashes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hashes.add(r.readHash());
        }
        byte[] flags = r.readVarBytes(r.remaining(), "merkleblock flags");
        return new MerkleBlockMessage(header, total, hashes, flags);
    }

    @Override
    public void write(ByteWriter w) {
        header.write(w);
        w.writeU32LE(totalTransactions).writeCompactSize(hashes.size());
        for (Hash256 h : hashes) {
            w.writeHash(h);
        }
        w.writeVarBytes(flags);
    }
}
