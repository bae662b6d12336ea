package org.jbitcoind.node.rpc.methods;

import static org.jbitcoind.node.rpc.RpcArg.optional;
import static org.jbitcoind.node.rpc.RpcArg.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jbitcoind.chain.address.AddressException;
import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.RpcArgType;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.BlockStatus;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.Coin;

/** Core's "rawtransactions" category, without the wallet and (until the mempool lands) without broadcasting. */
public final class RawTransactionMethods {
    private static final String CATEGORY = "rawtransactions";
    /** BIP125's highest sequence that still signals replaceability. */
    static final long MAX_BIP125_RBF_SEQUENCE = 0xfffffffdL;
    static final long MAX_SEQUENCE_NONFINAL = 0xfffffffeL;

    private final Supplier<ChainstateManager> chain;
    private final Network network;
    private final MempoolView mempool;

    private RawTransactionMethods(Supplier<ChainstateManager> chain, Network network, MempoolView mempool) {
        this.chain = chain;
        this.network = network;
        this.mempool = mempool;
    }

    public static void register(RpcRegistry registry, Supplier<ChainstateManager> chain, Network network,
            MempoolView mempool) {
        RawTransactionMethods m = new RawTransactionMethods(chain, network, mempool);
        registry.register(new RpcMethod("getrawtransaction", CATEGORY,
                List.of(required("txid", RpcArgType.STR_HEX, "The transaction id"),
                        optional("verbosity|verbose", RpcArgType.ANY, "0",
                                "0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout"),
                        optional("blockhash", RpcArgType.STR_HEX, null, "The block in which to look for the transaction")),
                "By default, this call only returns a transaction if it is in the mempool. If -txindex is enabled\n"
                        + "and no blockhash argument is passed, it will return the transaction if it is in a block in "
                        + "the blockchain.",
                "\"hex\" or { in_active_chain?, txid, hash, version, size, vsize, weight, locktime, vin, vout, fee?, "
                        + "hex, blockhash?, confirmations?, time?, blocktime? }",
                m::getrawtransaction));
        registry.register(new RpcMethod("decoderawtransaction", CATEGORY,
                List.of(required("hexstring", RpcArgType.STR_HEX, "The transaction hex string"),
                        optional("iswitness", RpcArgType.BOOL, "depends on heuristic tests",
                                "Whether the transaction hex is a serialized witness transaction.")),
                "Return a JSON object representing the serialized, hex-encoded transaction.",
                "{ txid, hash, size, vsize, weight, version, locktime, vin, vout }", m::decoderawtransaction));
        registry.register(new RpcMethod("decodescript", CATEGORY,
                List.of(required("hexstring", RpcArgType.STR_HEX, "the hex-encoded script")),
                "Decode a hex-encoded script.",
                "{ asm, desc, type, address?, p2sh?, segwit? }",
                c -> ScriptJson.decodeScript(c.hex(0, "hexstring"), network)));
        registry.register(new RpcMethod("createrawtransaction", CATEGORY,
                List.of(required("inputs", RpcArgType.ARR, "The inputs: [{\"txid\": hex, \"vout\": n, \"sequence\": n}, ...]"),
                        required("outputs", RpcArgType.ANY,
                                "The outputs: [{\"address\": amount}, {\"data\": \"hex\"}, ...] (an object is accepted too)"),
                        optional("locktime", RpcArgType.NUM, "0", "Raw locktime. Non-0 value also locktime-activates inputs"),
                        optional("replaceable", RpcArgType.BOOL, "true",
                                "Marks this transaction as BIP125-replaceable."),
                        optional("version", RpcArgType.NUM, "2", "Transaction version")),
                "Create a transaction spending the given inputs and creating new outputs.\n"
                        + "Returns hex-encoded raw transaction.\nNote that the transaction's inputs are not signed, "
                        + "and it is not stored in the wallet or transmitted to the network.",
                "\"hex\"    (string) hex string of the transaction", m::createrawtransaction));
        registry.register(new RpcMethod("signrawtransactionwithkey", CATEGORY,
                List.of(required("hexstring", RpcArgType.STR, "The transaction hex string"),
                        required("privkeys", RpcArgType.ARR, "The base58-encoded private keys for signing"),
                        optional("prevtxs", RpcArgType.ARR, null,
                                "The previous dependent transaction outputs: [{txid, vout, scriptPubKey, redeemScript?, "
                                        + "witnessScript?, amount}, ...]"),
                        optional("sighashtype", RpcArgType.STR, "DEFAULT", "The signature hash type")),
                "Sign inputs for raw transaction (serialized, hex-encoded).\nThe second argument is an array of "
                        + "base58-encoded private keys that will be the only keys used to sign the transaction.\n"
                        + "Supported outputs: P2PK, P2PKH, P2WPKH, P2SH-P2WPKH and P2TR key path (BIP86, no script tree).",
                "{ hex, complete, errors? }",
                c -> new TransactionSigner(chain.get(), network).sign(c)));
    }

    private JsonNode getrawtransaction(RpcCall call) throws RpcException {
        Hash256 txid = call.hash(0, "parameter 1");
        int verbosity = Args.verbosity(call, 1, 0);
        ChainstateManager c = chain.get();
        if (txid.equals(c.params().genesisBlock().transactions().get(0).txid())) {
            throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "The genesis block coinbase is not considered an "
                    + "ordinary transaction and cannot be retrieved");
        }
        BlockIndex blockIndex = null;
        Transaction tx = null;
        if (!call.isNull(2)) {
            blockIndex = c.getBlockIndex(call.hash(2, "parameter 3")).orElseThrow(
                    () -> Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block hash not found"));
            if (!c.haveBlockData(blockIndex)) {
                throw Args.error(RpcErrorCode.MISC_ERROR, "Block not available");
            }
            Block block = c.getBlock(blockIndex.hash()).orElseThrow(
                    () -> Args.error(RpcErrorCode.MISC_ERROR, "Block not available"));
            tx = block.transactions().stream().filter(t -> t.txid().equals(txid)).findFirst().orElseThrow(
                    () -> Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY,
                            "No such transaction found in the provided block. Use gettransaction for wallet transactions."));
        } else {
            Optional<Transaction> pooled = mempool.get(txid);
            if (pooled.isPresent()) {
                tx = pooled.get();
            } else {
                Optional<ChainstateManager.IndexedTransaction> indexed = c.getTransaction(txid);
                if (indexed.isPresent()) {
                    tx = indexed.get().transaction();
                    blockIndex = c.getBlockIndex(indexed.get().blockHash()).orElse(null);
                }
            }
            if (tx == null) {
                throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, c.options().txIndex()
                        ? "No such mempool or blockchain transaction. Use gettransaction for wallet transactions."
                        : "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain "
                                + "transaction queries. Use gettransaction for wallet transactions.");
            }
        }
        if (verbosity <= 0) {
            return RpcCall.json().textNode(Hex.encode(tx.serialize()));
        }
        ObjectNode result = RpcCall.json().objectNode();
        ChainView view = c.activeChain();
        if (!call.isNull(2)) {
            result.put("in_active_chain", view.contains(blockIndex));
        }
        List<Coin> spent = verbosity >= 2 && blockIndex != null ? spentCoins(c, blockIndex, txid) : null;
        result.setAll(TxJson.toJson(tx, network, spent, verbosity >= 2, true));
        if (blockIndex != null) {
            result.put("blockhash", blockIndex.hash().toString());
            if (view.contains(blockIndex)) {
                result.put("confirmations", view.height() - blockIndex.height() + 1);
                result.put("time", blockIndex.time());
                result.put("blocktime", blockIndex.time());
            } else {
                result.put("confirmations", 0);
            }
        }
        return result;
    }

    /** The coins a confirmed transaction spent, from its block's undo data; null when unavailable. */
    private static List<Coin> spentCoins(ChainstateManager c, BlockIndex index, Hash256 txid) {
        if (!BlockStatus.has(index.status(), BlockStatus.HAVE_UNDO)) {
            return null;
        }
        Optional<Block> block = c.getBlock(index.hash());
        Optional<BlockUndo> undo = c.getUndo(index.hash());
        if (block.isEmpty() || undo.isEmpty()) {
            return null;
        }
        List<Transaction> txs = block.get().transactions();
        for (int i = 1; i < txs.size(); i++) {
            if (txs.get(i).txid().equals(txid)) {
                return undo.get().txUndos().get(i - 1).spent();
            }
        }
        return null;
    }

    private JsonNode decoderawtransaction(RpcCall call) throws RpcException {
        byte[] raw = call.hex(0, "hexstring");
        Transaction tx;
        try {
            tx = Transaction.deserialize(raw);
        } catch (DecodeException e) {
            throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "TX decode failed");
        }
        return TxJson.toJson(tx, network, null, false, false);
    }

    private JsonNode createrawtransaction(RpcCall call) throws RpcException {
        long lockTime = call.longOr(2, 0);
        if (lockTime < 0 || lockTime > 0xffffffffL) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, locktime out of range");
        }
        boolean replaceable = call.boolOr(3, true);
        long version = call.longOr(4, 2);
        if (version < 1 || version > 3) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, version out of range(1~3)");
        }
        List<TxIn> inputs = new ArrayList<>();
        for (JsonNode in : call.param(0)) {
            inputs.add(input(in, lockTime, replaceable));
        }
        List<TxOut> outputs = outputs(call.param(1));
        Transaction tx = new Transaction((int) version, inputs, outputs, lockTime);
        return RpcCall.json().textNode(Hex.encode(tx.serialize()));
    }

    private static TxIn input(JsonNode in, long lockTime, boolean replaceable) throws RpcException {
        if (!in.isObject()) {
            throw Args.error(RpcErrorCode.TYPE_ERROR, "JSON value of type " + in.getNodeType().name().toLowerCase()
                    + " is not of expected type object");
        }
        JsonNode txidNode = in.get("txid");
        if (txidNode == null || !txidNode.isTextual()) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, missing txid key");
        }
        String txid = txidNode.asText();
        if (txid.length() != 64 || !Hex.isHex(txid)) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "txid must be of length 64 (not " + txid.length()
                    + ", for '" + txid + "')");
        }
        JsonNode voutNode = in.get("vout");
        if (voutNode == null || !voutNode.isNumber()) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, missing vout key");
        }
        long vout = voutNode.asLong();
        if (vout < 0 || vout > 0xffffffffL) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
        }
        long sequence = replaceable ? MAX_BIP125_RBF_SEQUENCE
                : lockTime != 0 ? MAX_SEQUENCE_NONFINAL : TxIn.SEQUENCE_FINAL;
        JsonNode seq = in.get("sequence");
        if (seq != null) {
            if (!seq.isIntegralNumber() || seq.asLong() < 0 || seq.asLong() > 0xffffffffL) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, sequence number is out of range");
            }
            sequence = seq.asLong();
        }
        return new TxIn(new OutPoint(Hash256.fromHex(txid), (int) vout), new byte[0], sequence);
    }

    private List<TxOut> outputs(JsonNode outputs) throws RpcException {
        List<Map.Entry<String, JsonNode>> pairs = new ArrayList<>();
        if (outputs.isObject()) {
            outputs.fields().forEachRemaining(pairs::add);
        } else if (outputs.isArray()) {
            for (JsonNode o : outputs) {
                if (!o.isObject()) {
                    throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, key-value pair not an object as expected");
                }
                if (o.size() != 1) {
                    throw Args.error(RpcErrorCode.INVALID_PARAMETER,
                            "Invalid parameter, key-value pair must contain exactly one key");
                }
                o.fields().forEachRemaining(pairs::add);
            }
        } else {
            throw Args.error(RpcErrorCode.TYPE_ERROR, "Expected type array or object for outputs");
        }
        List<TxOut> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean hasData = false;
        for (Map.Entry<String, JsonNode> e : pairs) {
            if (e.getKey().equals("data")) {
                if (hasData) {
                    throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, duplicate key: data");
                }
                hasData = true;
                String hex = e.getValue().asText();
                if (!Hex.isHex(hex)) {
                    throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Data must be hexadecimal string (not '" + hex + "')");
                }
                out.add(new TxOut(0, nullData(Hex.decode(hex))));
                continue;
            }
            byte[] script;
            try {
                script = Addresses.toScript(e.getKey(), network);
            } catch (AddressException ex) {
                throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Invalid Bitcoin address: " + e.getKey());
            }
            if (!seen.add(e.getKey())) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, duplicated address: " + e.getKey());
            }
            out.add(new TxOut(amount(e.getValue()), script));
        }
        return out;
    }

    private static long amount(JsonNode value) throws RpcException {
        ArrayNode holder = RpcCall.json().arrayNode().add(value);
        return new RpcCall("amount", holder, "").amount(0);
    }

    /** OP_RETURN followed by one push of the data. */
    private static byte[] nullData(byte[] data) {
        byte[] push = org.jbitcoind.chain.script.Script.pushOf(data);
        byte[] s = new byte[push.length + 1];
        s[0] = 0x6a;
        System.arraycopy(push, 0, s, 1, push.length);
        return s;
    }

}
