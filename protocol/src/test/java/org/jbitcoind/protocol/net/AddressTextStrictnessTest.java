package org.jbitcoind.protocol.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Address text outside the grammar is refused. Found by AddressTextFuzzTest: Integer.parseInt let
 * signs ("3::-2:1:3:3") and non-ASCII digits through the IPv6, IPv4 and port parsers.
 */
class AddressTextStrictnessTest {
    @ParameterizedTest
    @ValueSource(strings = {"3::-2:1:3:3", "+1::", "1:2:3:4:5:6:7:-8", "\u0661.2.3.4", "1.2.3.4:+80", "1.2.3.4:-0",
        "1.2.3.4:\u0668\u0663", "[::1]:+1", "01.2.3.4", "1.2.3.010", "\u0661::", "\uff11::",
        "2boy2eupcrkymvf456swszxglxgc\u212Aeoasshdasbgp4kt6jobovnmb5ad.onion", "1.2.3.4:123456"})
    void outsideTheGrammarIsRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(text, 8333));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:0", "10.0.0.1:08333", "[ABCD::1]:65535", "fc00::1"})
    void plainFormsStillParse(String text) {
        PeerAddress a = PeerAddress.parse(text, 8333);
        assertEquals(a, PeerAddress.parse(a.toHostPort(), 1));
    }
}
