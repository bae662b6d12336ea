package org.jbitcoind.node.rpc.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbitcoind.chain.address.AddressException;
import org.jbitcoind.chain.address.Wif;
import org.jbitcoind.chain.crypto.Signer;
import org.jbitcoind.chain.script.InputSigner;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.chain.script.SignatureEncoding;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;

/**
 * signrawtransactionwithkey: signs each input whose output type and key it recognises (P2PK, P2PKH,
 * P2WPKH, P2SH-P2WPKH, BIP86 P2TR key path), then verifies every input under the standard script
 * flags; "complete" is true when all pass, and each failing input is listed under "errors".
 */
final class TransactionSigner {
    /** The script flags a relaying node checks (Core's STANDARD_SCRIPT_VERIFY_FLAGS). */
    static final int STANDARD_FLAGS = ScriptFlags.P2SH | ScriptFlags.DERSIG | ScriptFlags.STRICTENC
            | ScriptFlags.MINIMALDATA | ScriptFlags.NULLDUMMY | ScriptFlags.DISCOURAGE_UPGRADABLE_NOPS
            | ScriptFlags.CLEANSTACK | ScriptFlags.MINIMALIF | ScriptFlags.NULLFAIL | ScriptFlags.CHECKLOCKTIMEVERIFY
            | ScriptFlags.CHECKSEQUENCEVERIFY | ScriptFlags.LOW_S | ScriptFlags.WITNESS
            | ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM | ScriptFlags.WITNESS_PUBKEYTYPE
            | ScriptFlags.CONST_SCRIPTCODE | ScriptFlags.TAPROOT | ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION
            | ScriptFlags.DISCOURAGE_OP_SUCCESS | ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE;

    private final ChainstateManager chain;
    private final Network network;

    TransactionSigner(ChainstateManager chain, Network network) {
        this.chain = chain;
        this.network = network;
    }

    JsonNode sign(RpcCall call) throws RpcException {
        Transaction tx;
        try {
            tx = Transaction.deserialize(call.hex(0, "hexstring"));
        } catch (DecodeException e) {
            throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "TX decode failed. Make sure the tx has at least one input.");
        }
        List<byte[]> keys = new ArrayList<>();
        for (JsonNode k : call.param(1)) {
            try {
                keys.add(Wif.decode(k.asText(), network).secret());
            } catch (AddressException e) {
                throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Invalid private key");
            }
        }
        Map<OutPoint, TxOut> prevouts = prevTxs(call.param(2));
        int hashType = hashType(call.isNull(3) ? "DEFAULT" : call.string(3));

        List<TxOut> spent = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (TxIn in : tx.inputs()) {
            TxOut out = prevouts.get(in.prevout());
            if (out == null) {
                Optional<Coin> coin = chain.getCoin(in.prevout());
                out = coin.map(Coin::output).orElse(null);
            }
            spent.add(out == null ? new TxOut(0, new byte[0]) : out);
            missing.add(out == null ? "Input not found or already spent" : null);
        }
        PrecomputedTransactionData unsigned = new PrecomputedTransactionData(tx, spent);
        List<TxIn> signed = new ArrayList<>(tx.inputs());
        for (int i = 0; i < tx.inputs().size(); i++) {
            if (missing.get(i) == null) {
                signed.set(i, signInput(unsigned, i, keys, hashType));
            }
        }
        Transaction result = new Transaction(tx.version(), signed, tx.outputs(), tx.lockTime());
        PrecomputedTransactionData check = new PrecomputedTransactionData(result, spent);
        ScriptVerifier verifier = new ScriptVerifier();
        ArrayNode errors = RpcCall.json().arrayNode();
        for (int i = 0; i < signed.size(); i++) {
            String error = missing.get(i);
            if (error == null) {
                ScriptError e = verifier.verify(check, i, STANDARD_FLAGS);
                error = e == ScriptError.OK ? null : e.description();
            }
            if (error != null) {
                errors.add(errorEntry(signed.get(i), error));
            }
        }
        ObjectNode o = RpcCall.json().objectNode();
        o.put("hex", Hex.encode(result.serialize()));
        o.put("complete", errors.isEmpty());
        if (!errors.isEmpty()) {
            o.set("errors", errors);
        }
        return o;
    }

    private TxIn signInput(PrecomputedTransactionData data, int i, List<byte[]> keys, int hashType) {
        TxIn in = data.tx().inputs().get(i);
        byte[] spk = data.spentOutputs().get(i).scriptPubKey();
        StandardScripts.Solution s = StandardScripts.solve(spk);
        int ecdsaType = hashType == SignatureEncoding.SIGHASH_DEFAULT ? SignatureEncoding.SIGHASH_ALL : hashType;
        for (byte[] key : keys) {
            byte[] pub = Signer.publicKey(key);
            byte[] keyHash = Hashes.hash160(pub);
            switch (s.type()) {
                case PUBKEY -> {
                    if (Arrays.equals(s.data().get(0), pub)) {
                        return in.withScriptSig(InputSigner.p2pkScriptSig(data, i, key, ecdsaType));
                    }
                }
                case PUBKEYHASH -> {
                    if (Arrays.equals(s.data().get(0), keyHash)) {
                        return in.withScriptSig(InputSigner.p2pkhScriptSig(data, i, key, ecdsaType));
                    }
                }
                case WITNESS_V0_KEYHASH -> {
                    if (Arrays.equals(s.data().get(0), keyHash)) {
                        return in.withWitness(InputSigner.p2wpkhWitness(data, i, key, ecdsaType));
                    }
                }
                case SCRIPTHASH -> {
                    byte[] redeem = StandardScripts.witnessProgram(0, keyHash);
                    if (Arrays.equals(s.data().get(0), Hashes.hash160(redeem))) {
                        return in.withScriptSig(InputSigner.p2shP2wpkhScriptSig(key))
                                .withWitness(InputSigner.p2wpkhWitness(data, i, key, ecdsaType));
                    }
                }
                case WITNESS_V1_TAPROOT -> {
                    if (Arrays.equals(s.data().get(0), InputSigner.taprootOutputKey(key, null))) {
                        return in.withWitness(InputSigner.p2trKeyPathWitness(data, i, key, null, hashType,
                                Hashes.sha256(Hashes.sha256(key))));
                    }
                }
                default -> {
                    return in;
                }
            }
        }
        return in;
    }

    private static ObjectNode errorEntry(TxIn in, String error) {
        ObjectNode e = RpcCall.json().objectNode();
        e.put("txid", in.prevout().txid().toString());
        e.put("vout", in.prevout().indexUnsigned());
        ArrayNode w = e.putArray("witness");
        in.witness().forEach(item -> w.add(Hex.encode(item)));
        e.put("scriptSig", Hex.encode(in.scriptSig()));
        e.put("sequence", in.sequence());
        e.put("error", error);
        return e;
    }

    private static Map<OutPoint, TxOut> prevTxs(JsonNode list) throws RpcException {
        Map<OutPoint, TxOut> out = new HashMap<>();
        if (list == null || list.isNull()) {
            return out;
        }
        for (JsonNode p : list) {
            JsonNode txid = p.get("txid");
            JsonNode vout = p.get("vout");
            JsonNode spk = p.get("scriptPubKey");
            if (txid == null || vout == null || spk == null) {
                throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR,
                        "expected object with {\"txid'\",\"vout\",\"scriptPubKey\"}");
            }
            if (!Hex.isHex(txid.asText()) || txid.asText().length() != 64) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "txid must be hexadecimal string (not '"
                        + txid.asText() + "')");
            }
            if (!vout.isIntegralNumber() || vout.asLong() < 0) {
                throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "vout cannot be negative");
            }
            if (!Hex.isHex(spk.asText())) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "scriptPubKey must be hexadecimal string (not '"
                        + spk.asText() + "')");
            }
            long amount = 0;
            if (p.has("amount")) {
                amount = new RpcCall("amount", RpcCall.json().arrayNode().add(p.get("amount")), "").amount(0);
            }
            out.put(new OutPoint(Hash256.fromHex(txid.asText()), (int) vout.asLong()),
                    new TxOut(amount, Hex.decode(spk.asText())));
        }
        return out;
    }

    /** Core's sighash names. */
    static int hashType(String name) throws RpcException {
        return switch (name) {
            case "DEFAULT" -> SignatureEncoding.SIGHASH_DEFAULT;
            case "ALL" -> SignatureEncoding.SIGHASH_ALL;
            case "NONE" -> SignatureEncoding.SIGHASH_NONE;
            case "SINGLE" -> SignatureEncoding.SIGHASH_SINGLE;
            case "ALL|ANYONECANPAY" -> SignatureEncoding.SIGHASH_ALL | SignatureEncoding.SIGHASH_ANYONECANPAY;
            case "NONE|ANYONECANPAY" -> SignatureEncoding.SIGHASH_NONE | SignatureEncoding.SIGHASH_ANYONECANPAY;
            case "SINGLE|ANYONECANPAY" -> SignatureEncoding.SIGHASH_SINGLE | SignatureEncoding.SIGHASH_ANYONECANPAY;
            default -> throw Args.error(RpcErrorCode.INVALID_PARAMETER, "'" + name + "' is not a valid sighash parameter.");
        };
    }
}
