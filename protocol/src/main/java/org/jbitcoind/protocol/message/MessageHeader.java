package org.jbitcoind.protocol.message;

import java.nio.charset.StandardCharsets;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * The 24-byte envelope before every payload: network magic, NUL-padded ASCII command, payload
 * length and checksum (first four bytes of hash256(payload)). Decoding checks magic, command and
 * length before anything is buffered, so a claimed 4 GB payload is refused from the header alone.
 */
public record MessageHeader(int magic, String command, int length, int checksum) {
    public static final int SIZE = 24;
    public static final int COMMAND_SIZE = 12;
    /** Core's MAX_PROTOCOL_MESSAGE_LENGTH. */
    public static final int MAX_PAYLOAD_LENGTH = 32 * 1024 * 1024;

    /** Decodes and checks a header; {@code expectedMagic} is the network's magic as {@code Network.magic()}. */
    public static MessageHeader decode(byte[] header, int expectedMagic) throws DecodeException {
        if (header.length < SIZE) {
            throw new DecodeException("message header needs " + SIZE + " bytes");
        }
        ByteReader r = new ByteReader(header, 0, SIZE);
        int magic = (r.readU8() << 24) | (r.readU8() << 16) | (r.readU8() << 8) | r.readU8();
        if (magic != expectedMagic) {
            throw new DecodeException(String.format("wrong network magic %08x", magic));
        }
        String command = decodeCommand(r.readBytes(COMMAND_SIZE));
        long length = r.readU32LE();
        if (length > MAX_PAYLOAD_LENGTH) {
            throw new DecodeException("payload length " + length + " over " + MAX_PAYLOAD_LENGTH);
        }
        int checksum = r.readI32LE();
        return new MessageHeader(magic, command, (int) length, checksum);
    }

    /** Printable ASCII, then only NUL padding: anything else marks a corrupt or hostile stream. */
    private static String decodeCommand(byte[] raw) throws DecodeException {
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            int c = raw[end] & 0xff;
            if (c < 0x20 || c > 0x7e) {
                throw new DecodeException("non-printable byte in command");
            }
            end++;
        }
        for (int i = end; i < raw.length; i++) {
            if (raw[i] != 0) {
                throw new DecodeException("command has data after its NUL padding");
            }
        }
        if (end == 0) {
            throw new DecodeException("empty command");
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }
}
