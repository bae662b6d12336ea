package org.jbitcoind.node.rpc.methods;

import static org.jbitcoind.node.rpc.RpcArg.optional;
import static org.jbitcoind.node.rpc.RpcArg.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mempool.AcceptResult;
import org.jbitcoind.chain.mempool.EntryInfo;
import org.jbitcoind.chain.mempool.FeeRate;
import org.jbitcoind.chain.mempool.MempoolInfo;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.chain.mining.AssemblerOptions;
import org.jbitcoind.chain.mining.BlockAssembler;
import org.jbitcoind.chain.mining.BlockTemplate;
import org.jbitcoind.chain.mining.BlockTemplateData;
import org.jbitcoind.chain.mining.LongPoll;
import org.jbitcoind.chain.script.Script;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.mempool.MempoolService;
import org.jbitcoind.node.rpc.RpcArgType;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * The methods that need the node's mempool: sendrawtransaction, testmempoolaccept, getmempoolinfo,
 * savemempool, getrawmempool and getblocktemplate.
 */
public final class MempoolMethods {
    /** Core's DEFAULT_MAX_RAW_TX_FEE_RATE: 0.10 BTC/kvB. */
    static final long DEFAULT_MAX_FEE_RATE = 10_000_000;
    static final int MAX_PACKAGE_COUNT = 25;

    private final Supplier<ChainstateManager> chain;
    private final Supplier<MempoolService> mempool;
    private final Network network;
    /** Peers connected, for getblocktemplate's "not connected" check off regtest. */
    private final Supplier<Integer> peerCount;

    private MempoolMethods(Supplier<ChainstateManager> chain, Supplier<MempoolService> mempool, Network network,
            Supplier<Integer> peerCount) {
        this.chain = chain;
        this.mempool = mempool;
        this.network = network;
        this.peerCount = peerCount;
    }

    public static void register(RpcRegistry registry, Supplier<ChainstateManager> chain,
            Supplier<MempoolService> mempool, Network network, Supplier<Integer> peerCount) {
        MempoolMethods m = new MempoolMethods(chain, mempool, network, peerCount);
        registry.register(new RpcMethod("sendrawtransaction", "rawtransactions",
                List.of(required("hexstring", RpcArgType.STR_HEX, "The hex string of the raw transaction"),
                        optional("maxfeerate", RpcArgType.AMOUNT, "0.10",
                                "Reject transactions whose fee rate is higher than the specified value, expressed in BTC/kvB. Set to 0 to accept any fee rate."),
                        optional("maxburnamount", RpcArgType.AMOUNT, "0",
                                "Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN opcode) greater than the specified value, expressed in BTC.")),
                "Submit a raw transaction (serialized, hex-encoded) to the local node's mempool.\n"
                        + "Relaying it to peers is the P2P layer's job once it is in the mempool.",
                "\"hex\"    (string) The transaction hash in hex", m::sendrawtransaction));
        registry.register(new RpcMethod("testmempoolaccept", "rawtransactions",
                List.of(required("rawtxs", RpcArgType.ARR, "An array of hex strings of raw transactions."),
                        optional("maxfeerate", RpcArgType.AMOUNT, "0.10",
                                "Reject transactions whose fee rate is higher than the specified value, expressed in BTC/kvB")),
                "Returns result of mempool acceptance tests indicating if raw transaction(s) would be accepted by "
                        + "mempool.\nEach transaction is tested on its own against the current mempool (no package "
                        + "evaluation).\nThis checks if transactions violate the consensus or policy rules.",
                "[ { txid, wtxid, allowed, vsize?, fees?: { base, effective-feerate, effective-includes }, "
                        + "reject-reason? }, ... ]", m::testmempoolaccept));
        registry.register(new RpcMethod("getmempoolinfo", "blockchain", List.of(),
                "Returns details on the active state of the TX memory pool.",
                "{ loaded, size, bytes, usage, total_fee, maxmempool, mempoolminfee, minrelaytxfee, "
                        + "incrementalrelayfee, unbroadcastcount, fullrbf }", m::getmempoolinfo));
        registry.register(new RpcMethod("savemempool", "blockchain", List.of(),
                "Dumps the mempool to disk (mempool.dat in the data folder: written to mempool.dat.new, synced,"
                        + " then renamed over the old file).",
                "{ \"filename\" : \"str\" }    (the file the mempool was written to)", m::savemempool));
        registry.register(new RpcMethod("getrawmempool", "blockchain",
                List.of(optional("verbose", RpcArgType.BOOL, "false", "True for a json object, false for array of transaction ids"),
                        optional("mempool_sequence", RpcArgType.BOOL, "false", "If verbose=false, returns a json object with transaction list and mempool sequence number attached.")),
                "Returns all transaction ids in memory pool as a json array of string transaction ids.",
                "[ \"hex\", ... ] or { txid: { vsize, weight, time, height, descendantcount, descendantsize, "
                        + "ancestorcount, ancestorsize, wtxid, fees, depends, spentby, bip125-replaceable, "
                        + "unbroadcast } } or { txids, mempool_sequence }", m::getrawmempool));
        registry.register(new RpcMethod("getblocktemplate", "mining",
                List.of(optional("template_request", RpcArgType.OBJ, "{}",
                        "Format of the template: {\"mode\": \"template\", \"rules\": [\"segwit\"], \"longpollid\": \"...\"}")),
                "If the request parameters include a 'mode' key, that is used to explicitly select between the default "
                        + "'template' request or a 'proposal'.\nIt returns data needed to construct a block to work on.\n"
                        + "For full specification, see BIPs 22, 23, 9, and 145.",
                "{ version, rules, vbavailable, capabilities, vbrequired, previousblockhash, transactions, "
                        + "coinbaseaux, coinbasevalue, longpollid, target, mintime, mutable, noncerange, sigoplimit, "
                        + "sizelimit, weightlimit, curtime, bits, height, default_witness_commitment, signet_challenge? }",
                m::getblocktemplate));
    }

    private MempoolService service() {
        return mempool.get();
    }

    private static Transaction decode(String hex) throws RpcException {
        try {
            if (!Hex.isHex(hex)) {
                throw new DecodeException("not hex");
            }
            return Transaction.deserialize(Hex.decode(hex));
        } catch (DecodeException e) {
            throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "TX decode failed. Make sure the tx has at least one input.");
        }
    }

    private static long feeRateArg(RpcCall call, int index) throws RpcException {
        return call.isNull(index) ? DEFAULT_MAX_FEE_RATE : call.amount(index);
    }

    private JsonNode sendrawtransaction(RpcCall call) throws RpcException {
        Transaction tx = decode(call.string(0));
        long maxFeeRate = feeRateArg(call, 1);
        long maxBurn = call.isNull(2) ? 0 : call.amount(2);
        for (TxOut out : tx.outputs()) {
            if (Script.isUnspendable(out.scriptPubKey()) && out.value() > maxBurn) {
                throw Args.error(RpcErrorCode.VERIFY_ERROR,
                        "Unspendable output exceeds maximum configured by user (maxburnamount)");
            }
        }
        MempoolService s = service();
        Hash256 txid = tx.txid();
        if (s.pool().contains(txid)) {
            return RpcCall.json().textNode(txid.toString());
        }
        ChainstateManager c = chain.get();
        for (int n = 0; n < tx.outputs().size(); n++) {
            if (c.getCoin(new OutPoint(txid, n)).isPresent()) {
                throw Args.error(RpcErrorCode.VERIFY_ALREADY_IN_CHAIN, "Transaction outputs already in utxo set");
            }
        }
        try {
            if (maxFeeRate > 0) {
                AcceptResult test = s.testAccept(tx);
                if (test.fee() > new FeeRate(maxFeeRate).fee(test.vsize())) {
                    throw Args.error(RpcErrorCode.VERIFY_ERROR,
                            "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
                }
            }
            s.accept(tx);
        } catch (ValidationException e) {
            throw rejected(e);
        }
        return RpcCall.json().textNode(txid.toString());
    }

    /** Core's mapping of a mempool rejection to RPC errors. */
    private static RpcException rejected(ValidationException e) {
        if (e.result() == ValidationException.Result.MISSING_INPUTS) {
            return Args.error(RpcErrorCode.VERIFY_ERROR, "bad-txns-inputs-missingorspent");
        }
        return Args.error(RpcErrorCode.VERIFY_REJECTED, e.rejectReason());
    }

    private JsonNode testmempoolaccept(RpcCall call) throws RpcException {
        JsonNode raw = call.param(0);
        if (raw.size() < 1 || raw.size() > MAX_PACKAGE_COUNT) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Array must contain between 1 and "
                    + MAX_PACKAGE_COUNT + " transactions.");
        }
        long maxFeeRate = feeRateArg(call, 1);
        ArrayNode out = RpcCall.json().arrayNode();
        for (JsonNode hex : raw) {
            Transaction tx = decode(hex.asText());
            ObjectNode o = out.addObject();
            o.put("txid", tx.txid().toString());
            o.put("wtxid", tx.wtxid().toString());
            try {
                AcceptResult r = service().testAccept(tx);
                if (maxFeeRate > 0 && r.fee() > new FeeRate(maxFeeRate).fee(r.vsize())) {
                    o.put("allowed", false);
                    o.put("reject-reason", "max-fee-exceeded");
                    continue;
                }
                o.put("allowed", true);
                o.put("vsize", r.vsize());
                ObjectNode fees = o.putObject("fees");
                fees.set("base", RpcCall.amountValue(r.fee()));
                fees.set("effective-feerate", RpcCall.amountValue(FeeRate.of(r.fee(), r.vsize()).satPerKvB()));
                fees.putArray("effective-includes").add(tx.wtxid().toString());
            } catch (ValidationException e) {
                o.put("allowed", false);
                o.put("reject-reason", e.rejectReason());
            }
        }
        return out;
    }

    private JsonNode savemempool(RpcCall call) throws RpcException {
        try {
            java.nio.file.Path file = service().save();
            return RpcCall.json().objectNode().put("filename", file.toString());
        } catch (java.io.IOException e) {
            throw Args.error(RpcErrorCode.MISC_ERROR, "Unable to dump mempool to disk");
        }
    }

    private JsonNode getmempoolinfo(RpcCall call) {
        MempoolInfo info = service().pool().info();
        ObjectNode o = RpcCall.json().objectNode();
        o.put("loaded", true);
        o.put("size", info.size());
        o.put("bytes", info.bytes());
        o.put("usage", info.usage());
        o.set("total_fee", RpcCall.amountValue(info.totalFee()));
        o.put("maxmempool", info.maxMempool());
        o.set("mempoolminfee", RpcCall.amountValue(info.mempoolMinFee().satPerKvB()));
        o.set("minrelaytxfee", RpcCall.amountValue(info.minRelayTxFee().satPerKvB()));
        o.set("incrementalrelayfee", RpcCall.amountValue(info.incrementalRelayFee().satPerKvB()));
        o.put("unbroadcastcount", info.unbroadcastCount());
        o.put("fullrbf", info.fullRbf());
        return o;
    }

    private JsonNode getrawmempool(RpcCall call) throws RpcException {
        boolean verbose = call.boolOr(0, false);
        boolean withSequence = call.boolOr(1, false);
        TxMempool pool = service().pool();
        if (verbose && withSequence) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER,
                    "Verbose results cannot contain mempool sequence values.");
        }
        if (!verbose) {
            ArrayNode ids = RpcCall.json().arrayNode();
            pool.txids().forEach(t -> ids.add(t.toString()));
            if (!withSequence) {
                return ids;
            }
            ObjectNode o = RpcCall.json().objectNode();
            o.set("txids", ids);
            o.put("mempool_sequence", pool.sequence());
            return o;
        }
        ObjectNode o = RpcCall.json().objectNode();
        for (EntryInfo e : pool.entries()) {
            ObjectNode entry = o.putObject(e.txid().toString());
            entry.put("vsize", e.vsize());
            entry.put("weight", e.weight());
            entry.put("time", e.time());
            entry.put("height", e.height());
            entry.put("descendantcount", e.descendantCount());
            entry.put("descendantsize", e.descendantSize());
            entry.put("ancestorcount", e.ancestorCount());
            entry.put("ancestorsize", e.ancestorSize());
            entry.put("wtxid", e.wtxid().toString());
            ObjectNode fees = entry.putObject("fees");
            fees.set("base", RpcCall.amountValue(e.fee()));
            fees.set("modified", RpcCall.amountValue(e.modifiedFee()));
            fees.set("ancestor", RpcCall.amountValue(e.ancestorFees()));
            fees.set("descendant", RpcCall.amountValue(e.descendantFees()));
            ArrayNode depends = entry.putArray("depends");
            e.depends().forEach(d -> depends.add(d.toString()));
            ArrayNode spentBy = entry.putArray("spentby");
            e.spentBy().forEach(d -> spentBy.add(d.toString()));
            entry.put("bip125-replaceable", e.bip125Replaceable());
            entry.put("unbroadcast", e.unbroadcast());
        }
        return o;
    }

    private JsonNode getblocktemplate(RpcCall call) throws RpcException {
        JsonNode request = call.param(0);
        String mode = request.path("mode").asText("template");
        if (!mode.equals("template")) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid mode (only 'template' is supported)");
        }
        Set<String> rules = new HashSet<>();
        request.path("rules").forEach(r -> rules.add(r.asText()));
        if (!rules.contains("segwit")) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER,
                    "getblocktemplate must be called with the segwit rule set (call with {\"rules\": [\"segwit\"]})");
        }
        ChainstateManager c = chain.get();
        if (network != Network.REGTEST) {
            if (peerCount.get() == 0) {
                throw Args.error(RpcErrorCode.CLIENT_NOT_CONNECTED, "jbitcoind is not connected!");
            }
            if (c.isInitialBlockDownload()) {
                throw Args.error(RpcErrorCode.CLIENT_IN_INITIAL_DOWNLOAD,
                        "jbitcoind is in initial sync and waiting for blocks...");
            }
        }
        TxMempool pool = service().pool();
        String longPollId = request.path("longpollid").asText("");
        if (!longPollId.isEmpty()) {
            try {
                // Core waits without limit; a bound keeps a worker from being held forever (clients re-poll).
                LongPoll.await(longPollId, () -> c.activeChain().tip().hash(), pool::sequence,
                        LongPoll.DEFAULT_MEMPOOL_DELAY, Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        BlockIndex tip = c.activeChain().tip();
        long sequence = pool.sequence();
        BlockTemplate template = new BlockAssembler(c.params(), AssemblerOptions.defaults(),
                () -> System.currentTimeMillis() / 1000).createNewBlock(tip, pool.miningCandidates(), new byte[] {0x51});
        return render(BlockTemplateData.of(template, c.params(), sequence));
    }

    private static ObjectNode render(BlockTemplateData d) {
        ObjectNode o = RpcCall.json().objectNode();
        ArrayNode caps = o.putArray("capabilities");
        d.capabilities().forEach(caps::add);
        o.put("version", d.version());
        ArrayNode rules = o.putArray("rules");
        d.rules().forEach(rules::add);
        o.putObject("vbavailable");
        o.put("vbrequired", d.vbrequired());
        o.put("previousblockhash", d.previousblockhash());
        ArrayNode txs = o.putArray("transactions");
        for (BlockTemplateData.Tx t : d.transactions()) {
            ObjectNode e = txs.addObject();
            e.put("data", t.data());
            e.put("txid", t.txid());
            e.put("hash", t.hash());
            ArrayNode depends = e.putArray("depends");
            t.depends().forEach(depends::add);
            e.put("fee", t.fee());
            e.put("sigops", t.sigops());
            e.put("weight", t.weight());
        }
        o.putObject("coinbaseaux");
        o.put("coinbasevalue", d.coinbasevalue());
        o.put("longpollid", d.longpollid());
        o.put("target", d.target());
        o.put("mintime", d.mintime());
        ArrayNode mutable = o.putArray("mutable");
        d.mutable().forEach(mutable::add);
        o.put("noncerange", d.noncerange());
        o.put("sigoplimit", d.sigoplimit());
        o.put("sizelimit", d.sizelimit());
        o.put("weightlimit", d.weightlimit());
        o.put("curtime", d.curtime());
        o.put("bits", d.bits());
        o.put("height", d.height());
        if (d.signetChallenge() != null) {
            o.put("signet_challenge", d.signetChallenge());
        }
        o.put("default_witness_commitment", d.defaultWitnessCommitment());
        return o;
    }
}
