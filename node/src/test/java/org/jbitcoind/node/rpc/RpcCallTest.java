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

    @Test
    void hashesFollowParseHashV() throws Exception {
        String genesis = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
        RpcCall c = call("[\"" + genesis + "\", \"abc\", \"" + "zz".repeat(32) + "\"]");
        assertEquals(genesis, c.hash(0, "blockhash").toString());
        RpcException shortHash = assertThrows(RpcException.class, () -> c.hash(1, "blockhash"));
        assertEquals(-8, shortHash.code());
        assertEquals("blockhash must be of length 64 (not 3, for 'abc')", shortHash.getMessage());
        RpcException notHex = assertThrows(RpcException.class, () -> c.hash(2, "txid"));
        assertEquals("txid must be hexadecimal string (not '" + "zz".repeat(32) + "')", notHex.getMessage());
    }

    @Test
    void hexFollowsParseHexV() throws Exception {
        RpcCall c = call("[\"00ff\", \"0\"]");
        assertEquals(2, c.hex(0, "hexstring").length);
        RpcException e = assertThrows(RpcException.class, () -> c.hex(1, "hexstring"));
        assertEquals(-8, e.code());
        assertEquals("hexstring must be hexadecimal string (not '0')", e.getMessage());
    }

    @Test
    void amountsFollowAmountFromValue() throws Exception {
        RpcCall c = call("[0.00000001, \"21000000\", 1e-8, 50, 0.000000001, 21000000.00000001, -1, true, \"x\"]");
        assertEquals(1, c.amount(0));
        assertEquals(2_100_000_000_000_000L, c.amount(1));
        assertEquals(1, c.amount(2));
        assertEquals(5_000_000_000L, c.amount(3));
        assertEquals("Invalid amount", assertThrows(RpcException.class, () -> c.amount(4)).getMessage());
        assertEquals("Amount out of range", assertThrows(RpcException.class, () -> c.amount(5)).getMessage());
        assertEquals("Amount out of range", assertThrows(RpcException.class, () -> c.amount(6)).getMessage());
        RpcException notNumber = assertThrows(RpcException.class, () -> c.amount(7));
        assertEquals(-3, notNumber.code());
        assertEquals("Amount is not a number or string", notNumber.getMessage());
        assertEquals("Invalid amount", assertThrows(RpcException.class, () -> c.amount(8)).getMessage());
        RpcCall extreme = call("[1e999999999, 1e-999999999, \"1e999999999\"]");
        for (int i = 0; i < 3; i++) {
            int index = i;
            assertEquals("Invalid amount", assertThrows(RpcException.class, () -> extreme.amount(index)).getMessage());
        }
        assertEquals("50.00000000", Json.write(RpcCall.amountValue(5_000_000_000L)));
        assertEquals("0.00000001", Json.write(RpcCall.amountValue(1)));
    }
}
