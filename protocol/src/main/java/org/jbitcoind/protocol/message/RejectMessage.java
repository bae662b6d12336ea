package org.jbitcoind.protocol.message;


import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * BIP61 reject, removed from Core in 0.20: decoded so old peers' messages are understood and
 * logged, never sent by this node. {@code data} is the rejected object's hash when present.
 */
public record RejectMessage(String message, int code, String reason, byte[] data) implements Message {
    public static final String COMMAND = "reject";
    private static final int MAX_MESSAGE = 12;
    private static final int MAX_REASON = 111;

    @Override
    public String command() {
        return COMMAND;
    }

    public static RejectMessage read(ByteReader r) throws DecodeException {
        String msg = WireText.read(r, MAX_MESSAGE, "reject message");
        int code = r.readU8();
        String reason = WireText.read(r, MAX_REASON, "reject reason");
        byte[] data = r.readBytes(Math.min(32, r.remaining()));
        return new RejectMessage(msg, code, reason, data);
    }

    @Override
    public void write(ByteWriter w) {
        WireText.write(w, message);
        w.writeU8(code);
        WireText.write(w, reason);
        w.writeBytes(data);
    }
}
