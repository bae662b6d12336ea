package org.jbitcoind.node.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.fuzz.FuzzBytes;
import org.jbitcoind.protocol.fuzz.SeedFiles;
import org.jbitcoind.protocol.message.FeeFilterMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageHeader;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * {@link FrameDecoder} in a Netty pipeline fed an arbitrary byte stream in arbitrary chunks. No
 * exception may leave the pipeline; the decoder emits exactly what a reference reading of the
 * whole stream says (each message or the first {@link FrameError}) as soon as its last byte
 * has arrived, never later and never in a different order; a header over the limit is refused
 * as soon as the header is in, so nothing beyond {@link FrameLimits} is ever buffered; the
 * traffic counter sees every frame read.
 *
 * <p>Layout: u8 options (bit 0: give every frame its correct checksum, so payloads reach the
 * message decoders; bits 1-7: largest chunk size minus one), u8 chunking seed, then the stream.
 */
class FrameDecoderFuzzTest {
    private static final int MAGIC = Network.REGTEST.magic();

    /** What the decoder must emit, and the stream length at which it is fully determined. */
    private record Expected(Object output, int availableAt, int consumed) {
    }

    @FuzzTest
    void stream(byte[] input) {
        FuzzBytes in = new FuzzBytes(input);
        int options = in.u8();
        int maxChunk = (options >>> 1) + 1;
        SplittableRandom chunks = new SplittableRandom(in.u8());
        byte[] stream = in.rest();
        if ((options & 1) != 0) {
            repairChecksums(stream);
        }
        List<Expected> expected = reference(stream);

        TrafficCounter traffic = new TrafficCounter();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAGIC, traffic));
        try {
            int next = 0;
            int fed = 0;
            while (fed < stream.length) {
                int n = Math.min(stream.length - fed, 1 + chunks.nextInt(maxChunk));
                ch.writeInbound(Unpooled.wrappedBuffer(stream, fed, n));
                fed += n;
                for (Object out; (out = ch.readInbound()) != null; next++) {
                    assertTrue(next < expected.size(), "unexpected output " + out);
                    Expected e = expected.get(next);
                    assertTrue(e.availableAt() <= fed, "emitted before its bytes arrived");
                    assertSame(e.output(), out);
                }
                int pending = next;
                assertTrue(pending == expected.size() || expected.get(pending).availableAt() > fed,
                        () -> "output " + expected.get(pending).output() + " held back");
            }
            assertEquals(expected.size(), next);
            long counted = expected.stream().mapToLong(Expected::consumed).sum();
            assertEquals(counted, traffic.totalReceived(), "every frame read is counted");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static void assertSame(Object expected, Object actual) {
        if (expected instanceof FrameError e) {
            FrameError a = assertInstanceOf(FrameError.class, actual);
            assertEquals(e.command(), a.command());
            assertFalse(a.reason().isBlank());
            assertFalse(a.reason().startsWith("undecodable"), "a message decoder threw unchecked: " + a.reason());
            return;
        }
        Message e = (Message) expected;
        Message a = assertInstanceOf(Message.class, actual);
        assertEquals(e.getClass(), a.getClass());
        assertEquals(e.command(), a.command());
        assertArrayEquals(e.payload(), a.payload());
    }

    /** The whole stream read at once with the protocol module's envelope code. */
    private static List<Expected> reference(byte[] stream) {
        List<Expected> out = new ArrayList<>();
        int pos = 0;
        while (stream.length - pos >= MessageHeader.SIZE) {
            int headerEnd = pos + MessageHeader.SIZE;
            MessageHeader header;
            try {
                header = MessageHeader.decode(Arrays.copyOfRange(stream, pos, headerEnd), MAGIC);
            } catch (DecodeException bad) {
                out.add(new Expected(new FrameError("", "bad header"), headerEnd, 0));
                return out;
            }
            if (header.length() > FrameLimits.maxPayload(header.command())) {
                out.add(new Expected(new FrameError(header.command(), "oversized"), headerEnd, 0));
                return out;
            }
            int end = headerEnd + header.length();
            if (end > stream.length) {
                return out;
            }
            try {
                out.add(new Expected(Frames.decodePayload(header, Arrays.copyOfRange(stream, headerEnd, end)), end,
                        end - pos));
            } catch (DecodeException malformed) {
                out.add(new Expected(new FrameError(header.command(), "malformed"), end, end - pos));
                return out;
            }
            pos = end;
        }
        return out;
    }

    /** Writes the right checksum into every header whose payload is complete. */
    private static void repairChecksums(byte[] stream) {
        int pos = 0;
        while (stream.length - pos >= MessageHeader.SIZE) {
            long length;
            try {
                ByteReader r = new ByteReader(stream, pos + 16, 4);
                length = r.readU32LE();
            } catch (DecodeException cannotHappen) {
                return;
            }
            long end = pos + MessageHeader.SIZE + length;
            if (end > stream.length) {
                return;
            }
            int sum = Frames.checksum(Arrays.copyOfRange(stream, pos + MessageHeader.SIZE, (int) end));
            byte[] le = new ByteWriter(4).writeI32LE(sum).toByteArray();
            System.arraycopy(le, 0, stream, pos + 20, 4);
            pos = (int) end;
        }
    }

    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        SeedFiles.check(getClass(), "stream", seeds());
    }

    @Test
    void referenceAgreesOnAHandMadeStream() {
        byte[] two = concat(Frames.encode(MAGIC, new PingMessage(1)), Frames.encode(MAGIC, new PingMessage(2)));
        List<Expected> e = reference(two);
        assertEquals(2, e.size());
        assertEquals(32, e.get(0).availableAt());
        assertEquals(64, e.get(1).availableAt());
        assertEquals(1, reference(Arrays.copyOf(two, 63)).size(), "the second frame is not complete");
    }

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] pings = concat(Frames.encode(MAGIC, new PingMessage(7)), Frames.encode(MAGIC, new PingMessage(8)));
        seeds.put("pings-bytewise", concat(new byte[] {0, 0}, pings));
        seeds.put("pings-chunks", concat(new byte[] {(byte) (40 << 1), 3}, pings));
        byte[] feeFilter = Frames.encode(MAGIC, new FeeFilterMessage(1000));
        seeds.put("feefilter-unknown", concat(new byte[] {(byte) (7 << 1), 1}, feeFilter,
                Frames.encode(MAGIC, new UnknownMessage("futurecmd", new byte[] {1, 2, 3}))));
        byte[] badChecksum = Frames.encode(MAGIC, new PingMessage(9));
        badChecksum[20] ^= 1;
        seeds.put("bad-checksum-repaired", concat(new byte[] {(byte) (3 << 1 | 1), 2}, badChecksum, pings));
        seeds.put("bad-checksum", concat(new byte[] {(byte) (3 << 1), 2}, badChecksum, pings));
        byte[] oversized = Frames.encode(MAGIC, new PingMessage(1));
        byte[] length = new ByteWriter(4).writeI32LE(FrameLimits.MAX_MESSAGE_LENGTH + 1).toByteArray();
        System.arraycopy(length, 0, oversized, 16, 4);
        seeds.put("oversized", concat(new byte[] {(byte) (127 << 1), 4}, oversized));
        byte[] malformed = Frames.encode(MAGIC, new UnknownMessage("ping", new byte[] {1, 2, 3}));
        seeds.put("malformed-payload", concat(new byte[] {(byte) (5 << 1), 5}, pings, malformed, pings));
        seeds.put("wrong-magic", concat(new byte[] {(byte) (10 << 1), 6}, Frames.encode(Network.MAIN.magic(),
                new PingMessage(1)), pings));
        return seeds;
    }

    private static byte[] concat(byte[]... parts) {
        ByteWriter w = new ByteWriter();
        for (byte[] p : parts) {
            w.writeBytes(p);
        }
        return w.toByteArray();
    }
}
