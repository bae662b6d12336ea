package org.jbitcoind.node.rpc.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.address.Descriptors;
import org.jbitcoind.chain.script.Opcodes;
import org.jbitcoind.chain.script.Script;
import org.jbitcoind.chain.script.ScriptAsm;
import org.jbitcoind.chain.script.ScriptReader;
import org.jbitcoind.chain.script.ScriptType;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hashes;

/** Output scripts as Core's RPCs print them (ScriptToUniv) and decodescript's result. */
public final class ScriptJson {
    private ScriptJson() {
    }

    /** {asm, desc, hex?, address?, type}: a scriptPubKey object. */
    public static ObjectNode scriptPubKey(byte[] script, Network network, boolean includeHex) {
        ObjectNode o = RpcCall.json().objectNode();
        fill(o, script, network, includeHex);
        return o;
    }

    private static void fill(ObjectNode o, byte[] script, Network network, boolean includeHex) {
        o.put("asm", ScriptAsm.toAsm(script, false));
        o.put("desc", Descriptors.infer(script, network));
        if (includeHex) {
            o.put("hex", Hex.encode(script));
        }
        Addresses.fromScript(script, network).ifPresent(a -> o.put("address", a));
        o.put("type", StandardScripts.classify(script).rpcName());
    }

    /** decodescript: the script's fields plus the P2SH and P2WSH/P2WPKH wrappings where Core offers them. */
    public static ObjectNode decodeScript(byte[] script, Network network) {
        ObjectNode r = RpcCall.json().objectNode();
        fill(r, script, network, false);
        StandardScripts.Solution solution = StandardScripts.solve(script);
        ScriptType type = solution.type();
        if (!canWrap(script, type)) {
            return r;
        }
        r.put("p2sh", Addresses.fromScript(StandardScripts.payToScriptHash(Hashes.hash160(script)), network)
                .orElseThrow());
        if (!canWrapInWitness(type, solution.data())) {
            return r;
        }
        byte[] segwit = switch (type) {
            case PUBKEY -> StandardScripts.witnessProgram(0, Hashes.hash160(solution.data().get(0)));
            case PUBKEYHASH -> StandardScripts.witnessProgram(0, solution.data().get(0));
            default -> StandardScripts.witnessProgram(0, Hashes.sha256(script));
        };
        ObjectNode sr = scriptPubKey(segwit, network, true);
        sr.put("p2sh-segwit", Addresses.fromScript(StandardScripts.payToScriptHash(Hashes.hash160(segwit)), network)
                .orElseThrow());
        r.set("segwit", sr);
        return r;
    }

    /** Core offers a P2SH wrapping only for scripts that could be redeem scripts. */
    private static boolean canWrap(byte[] script, ScriptType type) {
        switch (type) {
            case NULL_DATA, SCRIPTHASH, WITNESS_UNKNOWN, WITNESS_V1_TAPROOT, ANCHOR:
                return false;
            default:
                break;
        }
        if (script.length > Script.MAX_SCRIPT_SIZE) {
            return false;
        }
        ScriptReader reader = new ScriptReader(script);
        while (reader.next()) {
            int op = reader.opcode();
            if (op > Opcodes.OP_CHECKSIGADD || op == Opcodes.OP_CHECKSIGADD || isOpSuccess(op)) {
                return false;
            }
        }
        return !reader.failed();
    }

    /** BIP342 OP_SUCCESSx opcodes. */
    private static boolean isOpSuccess(int op) {
        return op == 80 || op == 98 || (op >= 126 && op <= 129) || (op >= 131 && op <= 134)
                || (op >= 137 && op <= 138) || (op >= 141 && op <= 142) || (op >= 149 && op <= 153)
                || (op >= 187 && op <= 254);
    }

    /** Segwit signatures need compressed keys, and scripts already segwit or P2SH cannot nest again. */
    private static boolean canWrapInWitness(ScriptType type, List<byte[]> data) {
        return switch (type) {
            case MULTISIG, PUBKEY -> data.stream().allMatch(d -> d.length == 1 || d.length == 33);
            case NONSTANDARD, PUBKEYHASH -> true;
            default -> false;
        };
    }
}
