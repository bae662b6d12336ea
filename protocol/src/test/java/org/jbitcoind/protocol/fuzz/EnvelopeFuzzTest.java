package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.UnknownMessage;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The message envelope as a connection sees it: a byte stream cut into frames the way
 * {@link Frames} tells a streaming reader to (24-byte {@link MessageHeader}, then the announced
 * payload, then {@link Frames#decodePayload}). A bad header ends the stream (the node disconnects), a bad payload
 * only skips that message; only {@link DecodeException} may come out of the protocol code, and a
 * decoded frame must re-encode to the bytes it came from.
 */
class EnvelopeFuzzTest {
    private static final int MAGIC = Network.REGTEST.magic();

    @FuzzTest
    void frameStream(byte[] stream) throws DecodeException {
        int pos = 0;
        while (stream.length - pos >= MessageHeader.SIZE) {
            byte[] head = Arrays.copyOfRange(stream, pos, pos + MessageHeader.SIZE);
            MessageHeader header;
            try {
                header = MessageHeader.decode(head, MAGIC);
            } catch (DecodeException badHeader) {
                return;
            }
            assertHeaderIsTheBytes(header, head);
            int end = pos + MessageHeader.SIZE + header.length();
            if (end > stream.length) {
                return; // the connection would wait for the rest of the payload
            }
            byte[] payload = Arrays.copyOfRange(stream, pos + MessageHeader.SIZE, end);
            decodeFrame(header, payload, Arrays.copyOfRange(stream, pos, end));
            pos = end;
        }
    }

    private static void decodeFrame(MessageHeader header, byte[] payload, byte[] frame) throws DecodeException {
        Message message;
        try {
            message = AllocationBudget.check(payload.length, () -> Frames.decodePayload(header, payload));
        } catch (DecodeException badPayload) {
            assertThrows(DecodeException.class, () -> Frames.decode(frame, MAGIC), "whole-frame decoding must agree");
            return;
        }
        assertArrayEquals(message.payload(), Frames.decode(frame, MAGIC).payload(), "whole-frame decoding must agree");
        if (message instanceof UnknownMessage) {
            assertArrayEquals(frame, Frames.encode(MAGIC, message), "unknown commands must be carried unchanged");
            return;
        }
        RoundTrip.assertCanonical(header.command(), payload, message);
        if (Arrays.equals(payload, message.payload())) {
            assertArrayEquals(frame, Frames.encode(MAGIC, message), "frame must re-encode to its bytes");
        }
    }

    /** The decoded fields, written back as a header, must be exactly the 24 bytes read. */
    private static void assertHeaderIsTheBytes(MessageHeader header, byte[] head) {
        assertTrue(header.length() >= 0 && header.length() <= MessageHeader.MAX_PAYLOAD_LENGTH, "length " + header.length());
        assertTrue(header.command().chars().allMatch(c -> c >= 0x20 && c <= 0x7e), "command must be printable ASCII");
        byte[] command = Arrays.copyOf(header.command().getBytes(StandardCharsets.US_ASCII), MessageHeader.COMMAND_SIZE);
        byte[] again = new ByteWriter(MessageHeader.SIZE).writeBytes(Network.REGTEST.magicBytes()).writeBytes(command)
                .writeI32LE(header.length()).writeI32LE(header.checksum()).toByteArray();
        assertArrayEquals(head, again, "header fields must re-encode to the header bytes");
    }
}
