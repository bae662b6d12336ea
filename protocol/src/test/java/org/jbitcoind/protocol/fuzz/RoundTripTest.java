package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageCodec;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.SendCmpctMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The round-trip check itself: it allows exactly the documented leniencies and nothing else. */
class RoundTripTest {
    private static void check(String command, byte[] payload) throws DecodeException {
        RoundTrip.assertCanonical(command, payload, MessageCodec.decode(command, payload));
    }

    @Test
    void documentedLeniencesPass() throws DecodeException {
        byte[] version = SeedCorpus.sampleMessages().get(0).payload();
        check("version", Arrays.copyOf(version, version.length - 1));
        byte[] relayTwo = version.clone();
        relayTwo[relayTwo.length - 1] = 2;
        check("version", relayTwo);
        check("sendcmpct", new ByteWriter().writeU8(0x80).writeI64LE(2).toByteArray());
        PeerAddress known = new PeerAddress(1, 1, NetAddress.ipv4(10, 0, 0, 1), 8333);
        ByteWriter w = new ByteWriter().writeCompactSize(2).writeU32LE(1).writeCompactSize(0).writeU8(77)
                .writeVarBytes(new byte[3]).writeU16BE(1);
        known.writeV2(w);
        check("addrv2", w.toByteArray());
    }

    @Test
    void anyOtherDifferenceFails() {
        byte[] ping = new PingMessage(1).payload();
        assertThrows(AssertionFailedError.class, () -> RoundTrip.assertCanonical("ping", ping, new PingMessage(2)));
        byte[] flag = new ByteWriter().writeU8(1).writeI64LE(2).toByteArray();
        assertThrows(AssertionFailedError.class, () -> RoundTrip.assertCanonical("sendcmpct", flag, new SendCmpctMessage(true, 3)));
        PeerAddress a = new PeerAddress(1, 1, NetAddress.ipv4(10, 0, 0, 1), 8333);
        byte[] one = new AddrV2Message(List.of(a)).payload();
        Message dropped = new AddrV2Message(List.of());
        assertThrows(AssertionFailedError.class, () -> RoundTrip.assertCanonical("addrv2", one, dropped),
                "dropping a known entry is not the BIP155 leniency");
        assertDoesNotThrow(() -> check("addrv2", one));
    }
}
