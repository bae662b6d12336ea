package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/** BIP37: add one data element to the loaded bloom filter. */
public record FilterAddMessage(byte[] data) implements Message {
    public static final String COMMAND = "filteradd";
    /** MAX_SCRIPT_ELEMENT_SIZE: nothing larger can appear in a script. */
    public static final int MAX_DATA_SIZE = 520;

    @Override
    public String command() {
        return COMMAND;
    }

    public static FilterAddMessage read(ByteReader r) throws DecodeException {
        return new FilterAddMessage(r.readVarBytes(MAX_DATA_SIZE, "filteradd data"));
    }

    @Override
    public void write(ByteWriter w) {
        w.writeVarBytes(data);
    }
}
