package org.jbitcoind.protocol.message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;

/**
 * Length-prefixed text fields (user agent, reject reason). Decoding is strict so that a decoded
 * string encodes back to exactly the bytes it came from: replacing malformed bytes with U+FFFD
 * would change the message and can even push it over its own length limit (three bytes per
 * replacement), giving a message we accepted but could not re-read.
 */
final class WireText {
    private WireText() {
    }

    static String readUtf8(ByteReader r, int max, String what) throws DecodeException {
        return decode(r.readVarBytes(max, what), StandardCharsets.UTF_8, what);
    }

    static String readAscii(ByteReader r, int max, String what) throws DecodeException {
        return decode(r.readVarBytes(max, what), StandardCharsets.US_ASCII, what);
    }

    private static String decode(byte[] bytes, Charset charset, String what) throws DecodeException {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException(what + " is not valid " + charset.name());
        }
    }
}
