package org.jbitcoind.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.junit.jupiter.api.Test;

/**
 * Text fields keep their exact bytes, whatever they are, as Bitcoin Core accepts them. Found by
 * MessageFuzzTest: a 256-byte user agent of invalid UTF-8 decoded with replacement characters and
 * re-encoded to 310 bytes, over the limit it was read with.
 */
class WireTextTest {
    private static final PeerAddress ADDR = new PeerAddress(0, 0, NetAddress.ipv4(1, 2, 3, 4), 8333);

    private static byte[] versionWithAgent(byte[] agent) {
        byte[] valid = new VersionMessage(70016, 0, 0, ADDR, ADDR, 1, "", 0, true).payload();
        // 80 fixed bytes, then the empty user agent (one zero byte), start height, relay.
        return new ByteWriter().writeBytes(Arrays.copyOf(valid, 80)).writeVarBytes(agent)
                .writeBytes(Arrays.copyOfRange(valid, 81, valid.length)).toByteArray();
    }

    @Test
    void malformedUserAgentIsKeptByteForByte() throws DecodeException {
        byte[] bad = new byte[VersionMessage.MAX_USER_AGENT_LENGTH];
        Arrays.fill(bad, (byte) 0xfa);
        byte[] payload = versionWithAgent(bad);
        VersionMessage v = (VersionMessage) MessageCodec.decode("version", payload);
        assertEquals(VersionMessage.MAX_USER_AGENT_LENGTH, v.userAgent().length());
        assertArrayEquals(payload, v.payload(), "re-encodes exactly, within its limit");
        byte[] overlongSlash = {(byte) 0xc0, (byte) 0xaf};
        byte[] p2 = versionWithAgent(overlongSlash);
        assertArrayEquals(p2, MessageCodec.decode("version", p2).payload());
    }

    @Test
    void utf8UserAgentRoundTrips() throws DecodeException {
        byte[] agent = "/Satoshi:27.0(\u00e9)/".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] payload = versionWithAgent(agent);
        VersionMessage v = (VersionMessage) MessageCodec.decode("version", payload);
        assertEquals(agent.length, v.userAgent().length(), "one char per wire byte");
        assertArrayEquals(payload, v.payload());
    }

    @Test
    void oversizedUserAgentIsRefused() {
        byte[] agent = new byte[VersionMessage.MAX_USER_AGENT_LENGTH + 1];
        Arrays.fill(agent, (byte) 'a');
        assertThrows(DecodeException.class, () -> MessageCodec.decode("version", versionWithAgent(agent)));
    }

    @Test
    void rejectTextKeepsItsBytes() throws DecodeException {
        byte[] payload = new ByteWriter().writeVarBytes(new byte[] {'t', (byte) 0x80}).writeU8(0x10)
                .writeVarBytes(new byte[] {(byte) 0xff}).toByteArray();
        assertArrayEquals(payload, MessageCodec.decode("reject", payload).payload());
    }

    @Test
    void textThatCannotComeFromTheWireIsRefusedWhenWriting() {
        VersionMessage v = new VersionMessage(70016, 0, 0, ADDR, ADDR, 1, "/\u20ac/", 0, true);
        assertThrows(IllegalArgumentException.class, v::payload);
    }
}
