package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.jbitcoind.protocol.net.PeerAddress;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Address text as written in seed lists, -connect and -addnode values ({@link PeerAddress#parse}).
 * Its documented failure is {@link IllegalArgumentException}. Anything it accepts is written with
 * the characters of the address grammar only (ASCII letters and digits, '.', ':', brackets: no
 * signs, no look-alike Unicode digits), has a valid port, and prints to a text that parses back to
 * the same address and port.
 */
class AddressTextFuzzTest {
    private static final int DEFAULT_PORT = 8333;

    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        PeerAddress a;
        try {
            a = PeerAddress.parse(text, DEFAULT_PORT);
        } catch (IllegalArgumentException rejected) {
            return;
        }
        int comment = text.indexOf('#');
        String significant = (comment >= 0 ? text.substring(0, comment) : text).strip();
        assertTrue(significant.chars().allMatch(AddressTextFuzzTest::isGrammarChar), "accepted characters outside the address grammar: " + significant);
        assertTrue(a.port() >= 0 && a.port() <= 0xffff);
        String printed = a.toHostPort();
        PeerAddress back = PeerAddress.parse(printed, DEFAULT_PORT);
        assertEquals(a.address(), back.address(), printed + " must parse to the address it was printed from");
        assertEquals(a.port(), back.port());
        assertEquals(printed, back.toHostPort(), "printing must be a fixed point");
    }

    private static boolean isGrammarChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || c == '.' || c == ':' || c == '[' || c == ']';
    }
}
