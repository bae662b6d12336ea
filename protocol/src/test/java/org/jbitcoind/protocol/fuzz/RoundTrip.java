package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.AddrV2Message;
import org.jbitcoind.protocol.message.CmpctBlockMessage;
import org.jbitcoind.protocol.message.GetBlockTxnMessage;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageCodec;
import org.jbitcoind.protocol.message.SendCmpctMessage;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.PeerAddress;

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
 * For those messages {@link #expectedEncoding} builds, from the input, exactly the bytes the
 * leniency allows (flag normalised to 0/1, relay byte appended, unknown entries cut out); the
 * re-encoding must equal that and must itself round-trip exactly.
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
        byte[] expected = expectedEncoding(payload, decoded);
        if (!Arrays.equals(expected, again)) {
            fail(command + " decoded non-canonical input: " + payload.length + " bytes re-encode to "
                    + again.length + " different bytes");
        }
        if (!Arrays.equals(payload, again)) {
            assertArrayEquals(again, MessageCodec.decode(command, again).payload(), command + " re-encoding is not a fixed point");
        }
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

    /** The payload as this node must re-encode it: the input itself except for the leniencies above. */
    private static byte[] expectedEncoding(byte[] payload, Message decoded) throws DecodeException {
        if (decoded instanceof VersionMessage) {
            return versionWithRelayByte(payload);
        }
        if (decoded instanceof SendCmpctMessage) {
            byte[] normalised = payload.clone();
            normalised[0] = (byte) (payload[0] == 0 ? 0 : 1);
            return normalised;
        }
        if (decoded instanceof AddrV2Message) {
            return addrV2WithKnownEntries(payload);
        }
        return payload;
    }

    /** Everything up to the start height unchanged, then the relay flag as exactly one 0/1 byte. */
    private static byte[] versionWithRelayByte(byte[] payload) throws DecodeException {
        ByteReader r = new ByteReader(payload, VERSION_FIXED_PREFIX, payload.length - VERSION_FIXED_PREFIX);
        r.readVarBytes(VersionMessage.MAX_USER_AGENT_LENGTH, "user agent");
        r.skip(4);
        int end = r.position();
        boolean relay = !r.hasRemaining() || payload[end] != 0;
        return new ByteWriter().writeBytes(payload, 0, end).writeU8(relay ? 1 : 0).toByteArray();
    }

    /** The count of known entries, then the known entries' own bytes in order. */
    private static byte[] addrV2WithKnownEntries(byte[] payload) throws DecodeException {
        ByteReader r = new ByteReader(payload);
        long count = r.readCompactSize();
        ByteWriter entries = new ByteWriter();
        int known = 0;
        for (long i = 0; i < count; i++) {
            int start = r.position();
            if (PeerAddress.readV2(r) != null) {
                entries.writeBytes(payload, start, r.position() - start);
                known++;
            }
        }
        return new ByteWriter().writeCompactSize(known).writeBytes(entries.toByteArray()).toByteArray();
    }
}
