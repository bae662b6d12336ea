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

    /**
     * A stored block sent exactly as serialized with witness data (what the chain database keeps),
     * without decoding and encoding it again: serving a block then costs a read and a copy, as in
     * Core, which sends the bytes from its block files. Encode-only; a received "block" always
     * decodes to a {@link BlockMessage}.
     */
    public static Message serialized(byte[] witnessSerialization) {
        return new UnknownMessage(COMMAND, witnessSerialization);
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
