package org.jbitcoind.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class FrameDecoderTest {
    private static final int MAGIC = Network.REGTEST.magic();

    private final TrafficCounter traffic = new TrafficCounter();
    private final EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAGIC, traffic));

    private void write(byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void decodesFramesSplitAtEveryByte() {
        byte[] two = concat(Frames.encode(MAGIC, new PingMessage(7)), Frames.encode(MAGIC, new PingMessage(8)));
        for (byte b : two) {
            write(new byte[] {b});
        }
        assertEquals(new PingMessage(7), ch.readInbound());
        assertEquals(new PingMessage(8), ch.readInbound());
        assertNull(ch.readInbound());
        assertEquals(64, traffic.totalReceived());
        assertEquals(64L, traffic.receivedPerMessage().get("ping"));
    }

    @Test
    void unknownCommandIsPassedOnNotRejected() {
        write(Frames.encode(MAGIC, new UnknownMessage("futurecmd", new byte[] {1, 2, 3})));
        Message m = ch.readInbound();
        assertInstanceOf(UnknownMessage.class, m);
        assertEquals("futurecmd", m.command());
        assertEquals(27L, traffic.receivedPerMessage().get(TrafficCounter.OTHER));
    }

    @Test
    void wrongMagicIsAFrameErrorAndLaterBytesAreDiscarded() {
        write(Frames.encode(Network.MAIN.magic(), new PingMessage(1)));
        FrameError e = ch.readInbound();
        assertTrue(e.reason().contains("magic"), e.reason());
        write(Frames.encode(MAGIC, new PingMessage(2)));
        assertNull(ch.readInbound(), "nothing is decoded after a broken frame");
    }

    @Test
    void badChecksumIsAFrameError() {
        byte[] frame = Frames.encode(MAGIC, new PingMessage(1));
        frame[20] ^= 1;
        write(frame);
        FrameError e = ch.readInbound();
        assertEquals("ping", e.command());
        assertTrue(e.reason().contains("checksum"), e.reason());
    }

    @Test
    void hugeLengthIsRefusedFromTheHeaderAlone() {
        write(header("block", 33 * 1024 * 1024));
        FrameError e = ch.readInbound();
        assertTrue(e.reason().contains("length"), e.reason());
    }

    @Test
    void lengthOverTheProtocolLimitIsRefusedBeforeThePayload() {
        write(header("block", FrameLimits.MAX_MESSAGE_LENGTH + 1));
        FrameError e = ch.readInbound();
        assertEquals("block", e.command());
        assertTrue(e.reason().startsWith("oversized"), e.reason());
    }

    @Test
    void malformedPayloadIsAFrameError() {
        // a ping payload must be exactly 8 bytes
        byte[] payload = {1, 2, 3};
        ByteWriter w = new ByteWriter();
        w.writeBytes(header("ping", payload.length, Frames.checksum(payload))).writeBytes(payload);
        write(w.toByteArray());
        FrameError e = ch.readInbound();
        assertTrue(e.reason().startsWith("malformed ping"), e.reason());
    }

    @Test
    void garbageIsAFrameError() {
        byte[] junk = new byte[100];
        Arrays.fill(junk, (byte) 0x41);
        write(junk);
        assertInstanceOf(FrameError.class, ch.readInbound());
    }

    private static byte[] header(String command, int length) {
        return header(command, length, 0);
    }

    private static byte[] header(String command, int length, int checksum) {
        ByteWriter w = new ByteWriter();
        w.writeU8(MAGIC >>> 24).writeU8(MAGIC >>> 16).writeU8(MAGIC >>> 8).writeU8(MAGIC);
        byte[] cmd = Arrays.copyOf(command.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 12);
        return w.writeBytes(cmd).writeI32LE(length).writeI32LE(checksum).toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
