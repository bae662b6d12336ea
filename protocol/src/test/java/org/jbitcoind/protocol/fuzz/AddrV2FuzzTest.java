package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * BIP155 address entries ({@link PeerAddress#readV2}) read one after another until the input
 * ends: only {@link DecodeException} may come out; a known entry re-encodes to exactly its bytes
 * and its text form parses back to the same address; an unknown network is skipped (null).
 */
class AddrV2FuzzTest {
    @FuzzTest
    void readV2(byte[] input) throws DecodeException {
        int start = 0;
        while (start < input.length) {
            Entry e;
            try {
                e = AllocationBudget.check(input.length - start, readEntry(input, start));
            } catch (DecodeException malformed) {
                return;
            }
            if (e.address() != null) {
                ByteWriter w = new ByteWriter();
                e.address().writeV2(w);
                assertArrayEquals(Arrays.copyOfRange(input, start, e.end()), w.toByteArray(),
                        "addrv2 entry must re-encode to its bytes");
                assertTextRoundTrip(e.address());
            }
            start = e.end();
        }
    }

    /** One decoded entry (null address: unknown network) and where the next one starts. */
    private record Entry(PeerAddress address, int end) {
    }

    private static AllocationBudget.Decoding<Entry, DecodeException> readEntry(byte[] input, int start) {
        return () -> {
            ByteReader r = new ByteReader(input, start, input.length - start);
            PeerAddress a = PeerAddress.readV2(r);
            return new Entry(a, r.position());
        };
    }

    /**
     * Text is how operators see and enter addresses. Two forms have no faithful text: retired Tor
     * v2 (unparseable by design), and the IPv6/CJDNS split, which text decides by the fc00::/8
     * prefix while addrv2 carries it as the network id.
     */
    private static void assertTextRoundTrip(PeerAddress a) {
        String text = a.toHostPort();
        NetworkId net = a.address().network();
        boolean fcPrefix = (a.address().bytes()[0] & 0xff) == 0xfc;
        if (net == NetworkId.TORV2 || (net == NetworkId.IPV6 && fcPrefix) || (net == NetworkId.CJDNS && !fcPrefix)) {
            return;
        }
        PeerAddress back = PeerAddress.parse(text, 1);
        assertEquals(a.address(), back.address(), "text form " + text + " must parse to the same address");
        assertEquals(a.port(), back.port());
    }
}
