package org.jbitcoind.chain.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jbitcoind.protocol.codec.Hex;
import org.junit.jupiter.api.Test;

class StandardScriptsTest {
    private static final String KEY33 = "038282263212c609d9ea2a6e3e172de238d8c39cabd5ac1ca10646e23fd5f51508";
    private static final String KEY65 = "04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84c";
    private static final String H20 = "89abcdefabbaabbaabbaabbaabbaabbaabbaabba";

    private static ScriptType type(String asm) {
        return StandardScripts.classify(ScriptAssembler.assemble(asm));
    }

    @Test
    void classifiesEveryTemplate() {
        assertEquals(ScriptType.PUBKEY, type("0x21 0x" + KEY33 + " CHECKSIG"));
        assertEquals(ScriptType.PUBKEY, type("0x41 0x" + KEY65 + " CHECKSIG"));
        assertEquals(ScriptType.PUBKEYHASH, type("DUP HASH160 0x14 0x" + H20 + " EQUALVERIFY CHECKSIG"));
        assertEquals(ScriptType.SCRIPTHASH, type("HASH160 0x14 0x" + H20 + " EQUAL"));
        assertEquals(ScriptType.MULTISIG, type("1 0x21 0x" + KEY33 + " 0x41 0x" + KEY65 + " 2 CHECKMULTISIG"));
        assertEquals(ScriptType.NONSTANDARD, type("3 0x21 0x" + KEY33 + " 0x41 0x" + KEY65 + " 2 CHECKMULTISIG"));
        assertEquals(ScriptType.NULL_DATA, type("RETURN 0x04 0x01020304"));
        assertEquals(ScriptType.NULL_DATA, type("RETURN"));
        assertEquals(ScriptType.WITNESS_V0_KEYHASH, type("0 0x14 0x" + H20));
        assertEquals(ScriptType.WITNESS_V0_SCRIPTHASH, type("0 0x20 0x" + H20 + "000000000000000000000000"));
        assertEquals(ScriptType.WITNESS_V1_TAPROOT, type("1 0x20 0x" + H20 + "000000000000000000000000"));
        assertEquals(ScriptType.ANCHOR, type("1 0x02 0x4e73"));
        assertEquals(ScriptType.WITNESS_UNKNOWN, type("2 0x02 0x4e73"));
        assertEquals(ScriptType.NONSTANDARD, type("0 0x03 0x4e7300"));
        assertEquals(ScriptType.NONSTANDARD, type("DUP DROP"));
    }

    @Test
    void solutionsCarryTheTemplateData() {
        StandardScripts.Solution pkh = StandardScripts.solve(
                ScriptAssembler.assemble("DUP HASH160 0x14 0x" + H20 + " EQUALVERIFY CHECKSIG"));
        assertEquals(ScriptType.PUBKEYHASH, pkh.type());
        assertEquals(H20, Hex.encode(pkh.data().get(0)));
        StandardScripts.Solution unknown = StandardScripts.solve(ScriptAssembler.assemble("16 0x02 0x4e73"));
        assertEquals(ScriptType.WITNESS_UNKNOWN, unknown.type());
        assertEquals("10", Hex.encode(unknown.data().get(0)));
        assertEquals("4e73", Hex.encode(unknown.data().get(1)));
        StandardScripts.Solution ms = StandardScripts.solve(
                ScriptAssembler.assemble("1 0x21 0x" + KEY33 + " 1 CHECKMULTISIG"));
        assertEquals(3, ms.data().size());
        assertEquals(KEY33, Hex.encode(ms.data().get(1)));
        assertEquals(0, StandardScripts.solve(ScriptAssembler.assemble("RETURN")).data().size());
    }

    @Test
    void multisigParameters() {
        StandardScripts.Multisig m = StandardScripts.multisig(
                ScriptAssembler.assemble("1 0x21 0x" + KEY33 + " 0x41 0x" + KEY65 + " 2 CHECKMULTISIG"));
        assertNotNull(m);
        assertEquals(1, m.required());
        assertEquals(2, m.keys().size());
        assertEquals(KEY65, Hex.encode(m.keys().get(1)));
        assertNull(StandardScripts.multisig(ScriptAssembler.assemble("1 0x21 0x" + KEY33 + " 1 CHECKMULTISIG DROP")));
    }

    @Test
    void parsesOperationsAndRejectsTruncatedPushes() throws Exception {
        List<ScriptChunk> chunks = Script.parse(Hex.decode("4c0201027651"));
        assertEquals(3, chunks.size());
        assertEquals(new ScriptChunk(Opcodes.OP_PUSHDATA1, new byte[] {1, 2}), chunks.get(0));
        assertEquals(Opcodes.OP_DUP, chunks.get(1).opcode());
        assertFalse(chunks.get(1).isPush());
        assertThrows(ScriptParseException.class, () -> Script.parse(Hex.decode("4c05010203")));
        assertThrows(ScriptParseException.class, () -> Script.parse(Hex.decode("4d01")));
        assertFalse(Script.isPushOnly(Hex.decode("4c05010203")));
        assertTrue(Script.isPushOnly(Hex.decode("00514f")));
    }

    @Test
    void pushUsesSmallestOpcode() {
        assertEquals("00", Hex.encode(Script.pushOf(new byte[0])));
        assertEquals("0105", Hex.encode(Script.pushOf(new byte[] {5})));
        assertEquals("4c4c", Hex.encode(Script.pushOf(new byte[76])).substring(0, 4));
        assertEquals("4d0001", Hex.encode(Script.pushOf(new byte[256])).substring(0, 6));
    }
}
