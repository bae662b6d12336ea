package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.primitives.Block;

/** A full block, with witness data when the peer asked for it. */
public record BlockMessage(Block block, boolean withWitness) implements Message {
    public static final String COMMAND = "block";

    public BlockMessage(Block block) {
        this(block, true);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    public static BlockMessage read(ByteReader r) throws DecodeException {
        if (r.remaining() > Block.MAX_BLOCK_SERIALIZED_SIZE) {
            throw new DecodeException("block message over " + Block.MAX_BLOCK_SERIALIZED_SIZE + " bytes");
        }
        return new BlockMessage(Block.read(r), true);
    }

    @Override
    public void write(ByteWriter w) {
        block.write(w, withWitness);
    }
}
