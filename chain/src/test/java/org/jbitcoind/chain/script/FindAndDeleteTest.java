package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jbitcoind.protocol.codec.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Core's FindAndDelete: matches only at operation boundaries, repeatedly, and keeps the rest verbatim. */
class FindAndDeleteTest {
    @ParameterizedTest(name = "{0} - {1} = {2}")
    @CsvSource({
        "0302ff03, 0302ff03, ''",
        "0302ff030302ff03, 0302ff03, ''",
        "0302ff030302ff03, 02, 0302ff030302ff03",
        "0302ff030302ff03, ff, 0302ff030302ff03",
        // The first byte of each push is a boundary: deleting it re-parses what follows.
        "0302ff030302ff03, 03, 02ff0302ff03",
        "02feed5169, feed51, 02feed5169",
        "02feed5169, 02feed51, 69",
        "516902feed5169, feed51, 516902feed5169",
        "516902feed5169, 02feed51, 516969",
        // OP_0 OP_0 OP_1 OP_1 minus OP_0 OP_1: one match, and the remainder is not searched again.
        "00005151, 0051, 0051",
        "000051005151, 0051, 0051",
        "0003feed, 03feed, 00",
        "0003feed, 00, 03feed",
        // A truncated push at the end is kept as it is.
        "51024c, 51, 024c",
    })
    void deletes(String script, String pattern, String expected) {
        byte[] result = Interpreter.findAndDelete(Hex.decode(script), Hex.decode(pattern));
        assertEquals(expected, Hex.encode(result));
    }

    @ParameterizedTest
    // The last two: a pattern longer than the script (a signature against a P2PKH scriptCode).
    @CsvSource({"0302ff03, 04", "5151, ''", "5151, 515151", "76a914, 0376a914"})
    void returnsTheSameArrayWhenNothingMatches(String script, String pattern) {
        byte[] s = Hex.decode(script);
        assertSame(s, Interpreter.findAndDelete(s, Hex.decode(pattern)));
    }
}
