package org.jbitcoind.chain.mempool;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.coins.CoinsViewCache;
import org.jbitcoind.chain.script.Opcodes;
import org.jbitcoind.chain.script.Script;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptReader;
import org.jbitcoind.chain.script.ScriptType;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.script.Taproot;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * Bitcoin Core's standardness policy (policy/policy.cpp): which transactions this node relays and
 * mines although consensus would allow more. Each failure carries Core's reject reason.
 * TRUC (version 3, BIP431) is not implemented: version 3 is non-standard here.
 */
public final class Policy {
    /** Largest standard transaction, in weight units. */
    public static final int MAX_STANDARD_TX_WEIGHT = 400_000;
    /** Smaller non-witness serializations could be confused with a 64-byte merkle node (CVE-2017-12842). */
    public static final int MIN_STANDARD_TX_NONWITNESS_SIZE = 65;
    public static final int MAX_P2SH_SIGOPS = 15;
    public static final int MAX_STANDARD_TX_SIGOPS_COST = 80_000 / 5;
    public static final int MAX_STANDARD_SCRIPTSIG_SIZE = 1650;
    public static final int MAX_STANDARD_P2WSH_STACK_ITEMS = 100;
    public static final int MAX_STANDARD_P2WSH_STACK_ITEM_SIZE = 80;
    public static final int MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE = 80;
    public static final int MAX_STANDARD_P2WSH_SCRIPT_SIZE = 3600;
    public static final int TX_MIN_STANDARD_VERSION = 1;
    /** Core 30 allows 3 with the TRUC rules, which this node does not implement. */
    public static final int TX_MAX_STANDARD_VERSION = 2;
    /** Core's MAX_DUST_OUTPUTS_PER_TX (ephemeral dust). */
    public static final int MAX_DUST_OUTPUTS_PER_TX = 1;

    /** Flags every block enforces today: a failure under them makes a transaction invalid, not just non-standard. */
    public static final int MANDATORY_SCRIPT_VERIFY_FLAGS = ScriptFlags.P2SH | ScriptFlags.DERSIG
            | ScriptFlags.NULLDUMMY | ScriptFlags.CHECKLOCKTIMEVERIFY | ScriptFlags.CHECKSEQUENCEVERIFY
            | ScriptFlags.WITNESS | ScriptFlags.TAPROOT;

    /** Flags for mempool acceptance: mandatory plus the malleability and upgrade-hook rules. */
    public static final int STANDARD_SCRIPT_VERIFY_FLAGS = MANDATORY_SCRIPT_VERIFY_FLAGS | ScriptFlags.STRICTENC
            | ScriptFlags.MINIMALDATA | ScriptFlags.DISCOURAGE_UPGRADABLE_NOPS | ScriptFlags.CLEANSTACK
            | ScriptFlags.MINIMALIF | ScriptFlags.NULLFAIL | ScriptFlags.LOW_S
            | ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM | ScriptFlags.WITNESS_PUBKEYTYPE
            | ScriptFlags.CONST_SCRIPTCODE | ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION
            | ScriptFlags.DISCOURAGE_OP_SUCCESS | ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE;

    private Policy() {
    }

    /**
     * Core's GetDustThreshold: an output is dust when its value is below the fee, at
     * {@code dustRelayFee}, of the output itself plus a typical input spending it (148 bytes, or
     * 67 virtual bytes for a witness program). Unspendable outputs are never dust.
     */
    public static long dustThreshold(TxOut out, FeeRate dustRelayFee) {
        byte[] spk = out.scriptPubKey();
        if (Script.isUnspendable(spk)) {
            return 0;
        }
        long size = out.serializedSize();
        if (Script.isWitnessProgram(spk)) {
            // outpoint 36 + sequence 4 + scriptSig length 1 + witness (107 / WITNESS_SCALE_FACTOR) + input count share 4
            size += 32 + 4 + 1 + (107 / 4) + 4;
        } else {
            size += 32 + 4 + 1 + 107 + 4;
        }
        return dustRelayFee.fee(size);
    }

    public static boolean isDust(TxOut out, FeeRate dustRelayFee) {
        return out.value() < dustThreshold(out, dustRelayFee);
    }

    /** Core's IsStandard for an output script. */
    public static ScriptType standardOutputType(byte[] scriptPubKey) {
        ScriptType type = StandardScripts.classify(scriptPubKey);
        if (type == ScriptType.MULTISIG) {
            StandardScripts.Multisig m = StandardScripts.multisig(scriptPubKey);
            // Only 1..3 keys are standard (bare multisig is also gated by -permitbaremultisig).
            if (m.keys().size() < 1 || m.keys().size() > 3 || m.required() < 1 || m.required() > m.keys().size()) {
                return ScriptType.NONSTANDARD;
            }
        }
        return type;
    }

    /** Core's IsStandardTx, the rules that need no inputs. */
    public static void checkStandardTx(Transaction tx, MempoolOptions opts) throws ValidationException {
        if (tx.version() < TX_MIN_STANDARD_VERSION || tx.version() > TX_MAX_STANDARD_VERSION) {
            throw nonStandard("version");
        }
        if (tx.weight() > MAX_STANDARD_TX_WEIGHT) {
            throw nonStandard("tx-size");
        }
        for (TxIn in : tx.inputs()) {
            // Large enough for a 15-of-15 P2SH multisig; anything bigger is not needed by standard scripts.
            if (in.scriptSig().length > MAX_STANDARD_SCRIPTSIG_SIZE) {
                throw nonStandard("scriptsig-size");
            }
            if (!Script.isPushOnly(in.scriptSig())) {
                throw nonStandard("scriptsig-not-pushonly");
            }
        }
        long dataBytes = 0;
        for (TxOut out : tx.outputs()) {
            ScriptType type = standardOutputType(out.scriptPubKey());
            if (type == ScriptType.NONSTANDARD) {
                throw nonStandard("scriptpubkey");
            }
            if (type == ScriptType.NULL_DATA) {
                dataBytes += out.scriptPubKey().length;
            } else if (type == ScriptType.MULTISIG && !opts.permitBareMultisig()) {
                throw nonStandard("bare-multisig");
            }
        }
        if (dataBytes > 0 && (opts.maxDatacarrierBytes() < 0 || dataBytes > opts.maxDatacarrierBytes())) {
            throw nonStandard("datacarrier");
        }
        // Core 29+: one dust output is allowed on a zero-fee transaction (ephemeral dust, checked
        // against the fee by checkEphemeralDust once the fee is known).
        if (dustCount(tx, opts.dustRelayFee()) > MAX_DUST_OUTPUTS_PER_TX) {
            throw nonStandard("dust");
        }
    }

    /** Core's PreCheckEphemeralTx: a transaction with a dust output must pay no fee at all. */
    public static void checkEphemeralDust(Transaction tx, long fee, long modifiedFee, MempoolOptions opts)
            throws ValidationException {
        if ((fee != 0 || modifiedFee != 0) && dustCount(tx, opts.dustRelayFee()) > 0) {
            throw new ValidationException(ValidationException.Result.NOT_STANDARD, "dust",
                    "tx with dust output must be 0-fee");
        }
    }

    static int dustCount(Transaction tx, FeeRate dustRelayFee) {
        int n = 0;
        for (TxOut out : tx.outputs()) {
            if (isDust(out, dustRelayFee)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Core's AreInputsStandard: every spent output is of a known type, and P2SH redeem scripts
     * stay within {@link #MAX_P2SH_SIGOPS}.
     */
    public static boolean areInputsStandard(Transaction tx, List<TxOut> spent) {
        for (int i = 0; i < tx.inputs().size(); i++) {
            byte[] spk = spent.get(i).scriptPubKey();
            ScriptType type = StandardScripts.classify(spk);
            if (type == ScriptType.NONSTANDARD || type == ScriptType.WITNESS_UNKNOWN) {
                return false;
            }
            if (type == ScriptType.SCRIPTHASH) {
                List<byte[]> stack = pushes(tx.inputs().get(i).scriptSig());
                if (stack == null || stack.isEmpty()) {
                    return false;
                }
                byte[] redeem = stack.get(stack.size() - 1);
                if (Script.sigOpCount(redeem, true) > MAX_P2SH_SIGOPS) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Core's IsWitnessStandard: witness stacks within the standard item counts and sizes. */
    public static boolean isWitnessStandard(Transaction tx, List<TxOut> spent) {
        for (int i = 0; i < tx.inputs().size(); i++) {
            TxIn in = tx.inputs().get(i);
            if (!in.hasWitness()) {
                continue;
            }
            byte[] program = spent.get(i).scriptPubKey();
            boolean p2sh = false;
            if (Script.isPayToScriptHash(program)) {
                List<byte[]> stack = pushes(in.scriptSig());
                if (stack == null || stack.isEmpty()) {
                    return false;
                }
                program = stack.get(stack.size() - 1);
                p2sh = true;
            }
            if (Script.isPayToAnchor(program)) {
                return false; // anchors are spent with an empty witness
            }
            if (!Script.isWitnessProgram(program)) {
                return false; // witness data on a non-witness spend
            }
            int version = Script.witnessVersion(program);
            int programLength = program.length - 2;
            List<byte[]> witness = in.witness();
            if (version == 0 && programLength == Script.WITNESS_V0_SCRIPTHASH_SIZE) {
                byte[] witnessScript = witness.get(witness.size() - 1);
                if (witnessScript.length > MAX_STANDARD_P2WSH_SCRIPT_SIZE) {
                    return false;
                }
                if (witness.size() - 1 > MAX_STANDARD_P2WSH_STACK_ITEMS) {
                    return false;
                }
                for (int j = 0; j < witness.size() - 1; j++) {
                    if (witness.get(j).length > MAX_STANDARD_P2WSH_STACK_ITEM_SIZE) {
                        return false;
                    }
                }
            }
            if (version == 1 && programLength == Script.WITNESS_V1_TAPROOT_SIZE && !p2sh) {
                List<byte[]> stack = new ArrayList<>(witness);
                byte[] last = stack.get(stack.size() - 1);
                if (stack.size() >= 2 && last.length > 0 && (last[0] & 0xff) == Taproot.ANNEX_TAG) {
                    return false; // the annex is reserved for future upgrades
                }
                if (stack.size() >= 2) {
                    byte[] control = stack.get(stack.size() - 1);
                    if ((control[0] & Taproot.LEAF_MASK) == Taproot.LEAF_TAPSCRIPT) {
                        for (int j = 0; j < stack.size() - 2; j++) {
                            if (stack.get(j).length > MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE) {
                                return false;
                            }
                        }
                    }
                } else if (stack.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The spent outputs of {@code tx} from {@code view}, which must have them all. */
    static List<TxOut> spentOutputs(Transaction tx, CoinsViewCache view) {
        List<TxOut> out = new ArrayList<>(tx.inputs().size());
        for (TxIn in : tx.inputs()) {
            out.add(view.accessCoin(in.prevout()).output());
        }
        return out;
    }

    /** The data pushed by a push-only script in order, or null when it has other operations or does not parse. */
    static List<byte[]> pushes(byte[] script) {
        ScriptReader r = new ScriptReader(script);
        List<byte[]> stack = new ArrayList<>();
        while (r.next()) {
            int op = r.opcode();
            if (op > Opcodes.OP_16) {
                return null;
            }
            if (op >= Opcodes.OP_1 && op <= Opcodes.OP_16) {
                stack.add(new byte[] {(byte) (op - Opcodes.OP_1 + 1)});
            } else if (op == Opcodes.OP_1NEGATE) {
                stack.add(new byte[] {(byte) 0x81});
            } else {
                stack.add(r.pushData());
            }
        }
        return r.failed() ? null : stack;
    }

    private static ValidationException nonStandard(String reason) {
        return new ValidationException(ValidationException.Result.NOT_STANDARD, reason);
    }
}
