package org.jbitcoind.protocol.message;

import java.nio.charset.StandardCharsets;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * Length-prefixed text fields (user agent, reject message and reason). Peers may put any bytes
 * there and Bitcoin Core accepts them (it only sanitises them for display), so refusing malformed
 * UTF-8 would disconnect peers Core keeps. The bytes are mapped one to one onto chars (ISO-8859-1),
 * which never fails and encodes back to exactly the bytes received: a decoded message always
 * re-encodes byte-identically and within its own length limit (found by MessageFuzzTest, when a
 * UTF-8 decoder replaced each bad byte with a three-byte U+FFFD).
 */
final class WireText {
    private WireText() {
    }

    static String read(ByteReader r, int max, String what) throws DecodeException {
        return new String(r.readVarBytes(max, what), StandardCharsets.ISO_8859_1);
    }

    static void write(ByteWriter w, String text) {
        w.writeVarBytes(bytes(text));
    }

    /** The wire bytes of a text field; chars above U+00FF cannot come from the wire and are refused. */
    static byte[] bytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                throw new IllegalArgumentException("text field holds a char that is not a single byte: " + text);
            }
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
