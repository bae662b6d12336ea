package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RpcAuthEntryTest {

    @Test
    void coreFunctionalTestEntryVerifies() throws Exception {
        RpcAuthEntry entry = RpcAuthEntry.parse(
                "rt:93648e835a54c573682c2eb19f882535$7681e9c5b74bdd85e78166031d2058e1069b3ed7ed967c93fc63abba06f31144");
        assertEquals("rt", entry.user());
        assertEquals("93648e835a54c573682c2eb19f882535", entry.salt());
        assertTrue(entry.matches("cA773lm788buwYe4g4WT+05pKyNruVKjQ25x3n0DQcM="));
        assertFalse(entry.matches("cA773lm788buwYe4g4WT+05pKyNruVKjQ25x3n0DQcM"));
    }

    @Test
    void createdEntryIsHmacSha256OfPasswordKeyedBySalt() throws Exception {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        RpcAuthEntry entry = RpcAuthEntry.create("u", "Jefe", "what do ya want for nothing?");
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", entry.hashHex());
        assertTrue(RpcAuthEntry.parse("u:Jefe$" + entry.hashHex()).matches("what do ya want for nothing?"));
    }

    @Test
    void emptySaltIsAllowed() {
        RpcAuthEntry entry = RpcAuthEntry.create("u", "", "pw");
        assertTrue(entry.matches("pw"));
        assertFalse(entry.matches("pw2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "user", "user:salt", ":salt$" + "00", "user:salt$abc",
        "user:salt$zz48e835a54c573682c2eb19f882535zz48e835a54c573682c2eb19f882535",
        "user:sa$lt$7681e9c5b74bdd85e78166031d2058e1069b3ed7ed967c93fc63abba06f31144"})
    void malformedEntriesAreRejected(String text) {
        RpcConfigException e = assertThrows(RpcConfigException.class, () -> RpcAuthEntry.parse(text));
        assertTrue(e.getMessage().startsWith("Invalid -rpcauth argument"));
    }
}
