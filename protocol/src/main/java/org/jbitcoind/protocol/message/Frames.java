package org.jbitcoind.protocol.message;

import java.nio.charset.StandardCharsets;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.LittleEndian;
import org.jbitcoind.protocol.crypto.Hashes;

/**
 * Whole-frame encoding and decoding (header + payload). A streaming reader (the node's Netty
 * handler) uses {@link MessageHeader#decode} on the first 24 bytes, waits for
 * {@link MessageHeader#length()} more, then calls {@link #decodePayload}.
 */
public final class Frames {
    private Frames() {
    }

    public static int checksum(byte[] payload) {
        return LittleEndian.getInt(Hashes.hash256(payload), 0);
    }

    public static byte[] encode(int magic, Message message) {
        byte[] payload = message.payload();
        ByteWriter w = new ByteWriter(MessageHeader.SIZE + payload.length);
        w.writeU8(magic >>> 24).writeU8(magic >>> 16).writeU8(magic >>> 8).writeU8(magic);
        byte[] cmd = new byte[MessageHeader.COMMAND_SIZE];
        byte[] name = message.command().getBytes(StandardCharsets.US_ASCII);
        if (name.length > cmd.length) {
            throw new IllegalArgumentException("command too long: " + message.command());
        }
        System.arraycopy(name, 0, cmd, 0, name.length);
        w.writeBytes(cmd).writeI32LE(payload.length).writeI32LE(checksum(payload)).writeBytes(payload);
        return w.toByteArray();
    }

    /** Verifies the checksum, then decodes the payload by the header's command. */
    public static Message decodePayload(MessageHeader header, byte[] payload) throws DecodeException {
        if (payload.length != header.length()) {
            throw new DecodeException("payload has " + payload.length + " bytes, header says " + header.length());
        }
        if (checksum(payload) != header.checksum()) {
            throw new DecodeException("bad checksum for " + header.command());
        }
        return MessageCodec.decode(header.command(), payload);
    }

    /** Decodes exactly one whole frame. */
    public static Message decode(byte[] frame, int expectedMagic) throws DecodeException {
        MessageHeader header = MessageHeader.decode(frame, expectedMagic);
        if (frame.length != MessageHeader.SIZE + header.length()) {
            throw new DecodeException("frame length does not match header");
        }
        byte[] payload = java.util.Arrays.copyOfRange(frame, MessageHeader.SIZE, frame.length);
        return decodePayload(header, payload);
    }
}
