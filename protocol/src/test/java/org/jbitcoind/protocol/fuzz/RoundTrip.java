package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.message.CmpctBlockMessage;
import org.jbitcoind.protocol.message.GetBlockTxnMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageCodec;
import org.jbitcoind.protocol.message.SendCmpctMessage;
import org.jbitcoind.protocol.message.VersionMessage;

/**
 * The round-trip property of every message decoder: whatever decodes must encode back to exactly
 * the bytes it came from. A decoder that accepts two encodings of one value lets peers produce
 * messages whose hash or size differs from what we would relay, so any difference is a bug unless
 * it is one of the exceptions below, each of which copies a leniency of Bitcoin Core's:
 * <ul>
 * <li>{@code version}: the relay flag (BIP37) may be absent (pre-70001 peers; absent means true)
 *     and, like every Core bool, any non-zero byte means true.</li>
 * <li>{@code sendcmpct}: the high-bandwidth flag is a Core bool, any non-zero byte means true.</li>
 * <li>{@code addrv2}: BIP155 says entries of unknown networks are skipped, so they vanish.</li>
 * </ul>
 * For those messages the difference must be explained by the exception, everything else about the
 * payload must survive, and the re-encoding must itself round-trip exactly.
 */
final class RoundTrip {
    /** version: 4 version, 8 services, 8 time, two 26-byte addresses, 8 nonce. */
    private static final int VERSION_FIXED_PREFIX = 80;

    private RoundTrip() {
    }

    static void assertCanonical(String command, byte[] payload, Message decoded) throws DecodeException {
        assertEquals(command, decoded.command(), "decoded message reports another command");
        assertInvariants(decoded);
        byte[] again = decoded.payload();
        if (Arrays.equals(payload, again)) {
            return;
        }
        String lenient = explainedDifference(payload, decoded);
        if (lenient == null) {
            fail(command + " decoded non-canonical input: " + payload.length + " bytes re-encode to "
                    + again.length + " different bytes");
        }
        Message second = MessageCodec.decode(command, again);
        assertArrayEquals(again, second.payload(), command + " re-encoding (" + lenient + ") is not a fixed point");
    }

    /**
     * What a decoded message promises beyond its bytes. Differential encodings can round-trip
     * exactly and still decode to nonsense (a wrapped 64-bit gap repeats an index), so the decoded
     * values are checked as well.
     */
    private static void assertInvariants(Message decoded) {
        if (decoded instanceof GetBlockTxnMessage g) {
            assertIncreasing16Bit(g.indexes(), "getblocktxn");
        } else if (decoded instanceof CmpctBlockMessage c) {
            assertIncreasing16Bit(c.prefilled().stream().map(CmpctBlockMessage.PrefilledTransaction::index).toList(),
                    "cmpctblock prefilled");
            assertTrue(c.blockTxCount() <= CmpctBlockMessage.MAX_INDEX, "cmpctblock transaction count over 16 bits");
        }
    }

    private static void assertIncreasing16Bit(List<Integer> indexes, String what) {
        int previous = -1;
        for (int i : indexes) {
            assertTrue(i > previous && i <= CmpctBlockMessage.MAX_INDEX, what + " indexes must increase within 16 bits: " + indexes);
            previous = i;
        }
    }

    /** Why this payload may re-encode differently, or null when nothing allows it. */
    private static String explainedDifference(byte[] payload, Message decoded) throws DecodeException {
        if (decoded instanceof VersionMessage v) {
            return versionDifference(payload, v);
        }
        if (decoded instanceof SendCmpctMessage) {
            return (payload[0] & 0xff) > 1 ? "bool byte > 1" : null;
        }
        if (decoded instanceof AddrV2Message a) {
            long wireCount = new ByteReader(payload).readCompactSize();
            return a.addresses().size() < wireCount ? "unknown networks skipped (BIP155)" : null;
        }
        return null;
    }

    /** Everything up to and including the start height must survive; only the relay byte may change. */
    private static String versionDifference(byte[] payload, VersionMessage v) throws DecodeException {
        ByteReader r = new ByteReader(payload, VERSION_FIXED_PREFIX, payload.length - VERSION_FIXED_PREFIX);
        r.readVarBytes(VersionMessage.MAX_USER_AGENT_LENGTH, "user agent");
        r.skip(4);
        int end = r.position();
        byte[] again = v.payload();
        assertTrue(again.length > end && Arrays.equals(payload, 0, end, again, 0, end),
                "version fields before the relay flag must re-encode unchanged");
        boolean relayCanonical = r.remaining() == 1 && (payload[end] & 0xff) <= 1;
        return relayCanonical ? null : "relay flag absent or > 1";
    }
}
