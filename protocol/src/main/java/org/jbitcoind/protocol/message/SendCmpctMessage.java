package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/** BIP152: compact-block relay negotiation (high-bandwidth flag and version). */
public record SendCmpctMessage(boolean highBandwidth, long version) implements Message {
    public static final String COMMAND = "sendcmpct";

    @Override
    public String command() {
        return COMMAND;
    }

    public static SendCmpctMessage read(ByteReader r) throws DecodeException {
        return new SendCmpctMessage(r.readU8() != 0, r.readI64LE());
    }

    @Override
    public void write(ByteWriter w) {
        w.writeU8(highBandwidth ? 1 : 0).writeI64LE(version);
    }
}
