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
 * Text fields decode strictly. Found by MessageFuzzTest: a 256-byte user agent of invalid UTF-8
 * decoded (each bad byte became U+FFFD) and re-encoded to 310 bytes, over the limit it was read with.
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
    void malformedUserAgentIsRejected() {
        byte[] bad = new byte[VersionMessage.MAX_USER_AGENT_LENGTH];
        Arrays.fill(bad, (byte) 0xfa);
        assertThrows(DecodeException.class, () -> MessageCodec.decode("version", versionWithAgent(bad)));
        byte[] overlongSlash = {(byte) 0xc0, (byte) 0xaf};
        assertThrows(DecodeException.class, () -> MessageCodec.decode("version", versionWithAgent(overlongSlash)));
    }

    @Test
    void utf8UserAgentRoundTrips() throws DecodeException {
        byte[] payload = versionWithAgent("/Satoshi:27.0(é)/".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        VersionMessage v = (VersionMessage) MessageCodec.decode("version", payload);
        assertEquals("/Satoshi:27.0(é)/", v.userAgent());
        assertArrayEquals(payload, v.payload());
    }

    @Test
    void rejectTextMustBeText() {
        byte[] nonAscii = new ByteWriter().writeVarBytes(new byte[] {'t', (byte) 0x80}).writeU8(0x10)
                .writeVarBytes(new byte[] {'x'}).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("reject", nonAscii));
        byte[] badReason = new ByteWriter().writeVarBytes(new byte[] {'t', 'x'}).writeU8(0x10)
                .writeVarBytes(new byte[] {(byte) 0xff}).toByteArray();
        assertThrows(DecodeException.class, () -> MessageCodec.decode("reject", badReason));
    }
}
