package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

/** Parameter accessors report Core's errors (UniValue type_error as -3, integer range as -1). */
class RpcCallTest {

    private static RpcCall call(String paramsJson) throws Exception {
        return new RpcCall("m", (ArrayNode) Json.parse(paramsJson), "u");
    }

    @Test
    void readsValuesAndDefaults() throws Exception {
        RpcCall c = call("[\"s\", 42, true, null]");
        assertEquals("s", c.string(0));
        assertEquals(42, c.longOr(1, -1));
        assertTrue(c.boolOr(2, false));
        assertEquals(7, c.longOr(3, 7));
        assertFalse(c.boolOr(9, false));
        assertTrue(c.isNull(9));
        assertEquals(4, c.size());
    }

    @Test
    void wrongTypesAreTypeErrors() throws Exception {
        RpcCall c = call("[5, \"x\", 1]");
        RpcException s = assertThrows(RpcException.class, () -> c.string(0));
        assertEquals(-3, s.code());
        assertEquals("JSON value of type number is not of expected type string", s.getMessage());
        RpcException n = assertThrows(RpcException.class, () -> c.longOr(1, 0));
        assertEquals("JSON value of type string is not of expected type number", n.getMessage());
        RpcException b = assertThrows(RpcException.class, () -> c.boolOr(2, false));
        assertEquals("JSON value of type number is not of expected type bool", b.getMessage());
    }

    @Test
    void fractionsAndOverflowAreOutOfRange() throws Exception {
        RpcCall c = call("[1.5, 99999999999999999999]");
        for (int i = 0; i < 2; i++) {
            int index = i;
            RpcException e = assertThrows(RpcException.class, () -> c.longOr(index, 0));
            assertEquals(-1, e.code());
            assertEquals("JSON integer out of range", e.getMessage());
        }
    }
}
