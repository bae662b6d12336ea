package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** bitcoin-cli's pretty-printing rules (UniValue's write with an indent). */
class CoreJsonTest {

    @Test
    void escapesOnlyWhatUniValueEscapes() throws Exception {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\\u007f/é€\"",
                CoreJson.pretty(Json.parse("\"a\\\"b\\\\c\\n\\t\\u0001\\u007f/é€\""), 2));
    }

    @Test
    void nestedContainersAndScalars() throws Exception {
        String json = "{\"n\":null,\"t\":true,\"i\":-7,\"d\":1.50,\"big\":21000000.00000000,\"o\":{\"a\":[]},\"e\":{}}";
        assertEquals("{\n"
                + "    \"n\": null,\n"
                + "    \"t\": true,\n"
                + "    \"i\": -7,\n"
                + "    \"d\": 1.50,\n"
                + "    \"big\": 21000000.00000000,\n"
                + "    \"o\": {\n"
                + "        \"a\": [\n"
                + "        ]\n"
                + "    },\n"
                + "    \"e\": {\n"
                + "    }\n"
                + "}", CoreJson.pretty(Json.parse(json), 4));
    }

    @Test
    void topLevelEmptyArray() throws Exception {
        assertEquals("[\n]", CoreJson.pretty(Json.parse("[]"), 2));
    }

    @Test
    void compactWriterKeepsDecimalsPlain() throws Exception {
        assertEquals("[1E+2,0.00000001]".replace("1E+2", "100"), Json.write(Json.parse("[1E+2,0.00000001]")));
    }

    @Test
    void absurdExponentStaysScientific() throws Exception {
        assertEquals("1E+999999999", CoreJson.pretty(Json.parse("1e999999999"), 2));
        assertEquals("1E+999999999", Json.write(Json.parse("1e999999999")));
    }
}
