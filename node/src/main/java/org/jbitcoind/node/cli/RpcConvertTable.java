package org.jbitcoind.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jbitcoind.node.rpc.Json;

/**
 * Which command-line arguments are JSON rather than strings, per method (position and name), as in Bitcoin
 * Core's client-side conversion table (rpc/client.cpp) for the node's non-wallet methods. Everything not
 * listed is sent as a JSON string, so {@code getblockhash 0} sends the number 0 but {@code getblock 00..}
 * sends the hash as text.
 */
final class RpcConvertTable {

    private record Entry(String method, int index, String name) {
    }

    private static final List<Entry> ENTRIES = List.of(
            // control
            e("stop", 0, "wait"), e("logging", 0, "include"), e("logging", 1, "exclude"),
            // blockchain
            e("getblockhash", 0, "height"), e("getblock", 1, "verbosity"), e("getblock", 1, "verbose"),
            e("getblockheader", 1, "verbose"), e("getchaintxstats", 0, "nblocks"),
            e("getblockstats", 0, "hash_or_height"), e("getblockstats", 1, "stats"),
            e("gettxout", 1, "n"), e("gettxout", 2, "include_mempool"), e("gettxoutproof", 0, "txids"),
            e("gettxoutsetinfo", 1, "hash_or_height"), e("gettxoutsetinfo", 2, "use_index"),
            e("verifychain", 0, "checklevel"), e("verifychain", 1, "nblocks"), e("pruneblockchain", 0, "height"),
            e("waitforblockheight", 0, "height"), e("waitforblockheight", 1, "timeout"),
            e("waitforblock", 1, "timeout"), e("waitfornewblock", 0, "timeout"),
            e("scantxoutset", 1, "scanobjects"), e("scanblocks", 1, "scanobjects"),
            e("scanblocks", 2, "start_height"), e("scanblocks", 3, "stop_height"), e("scanblocks", 5, "options"),
            e("getblockfrompeer", 1, "peer_id"), e("dumptxoutset", 2, "options"),
            // mempool
            e("getrawmempool", 0, "verbose"), e("getrawmempool", 1, "mempool_sequence"),
            e("getmempoolancestors", 1, "verbose"), e("getmempooldescendants", 1, "verbose"),
            e("testmempoolaccept", 0, "rawtxs"), e("testmempoolaccept", 1, "maxfeerate"),
            e("submitpackage", 0, "package"), e("submitpackage", 1, "maxfeerate"),
            e("submitpackage", 2, "maxburnamount"), e("prioritisetransaction", 1, "dummy"),
            e("prioritisetransaction", 2, "fee_delta"), e("gettxspendingprevout", 0, "outputs"),
            e("importmempool", 1, "options"), e("getorphantxs", 0, "verbosity"),
            // mining and fees
            e("getnetworkhashps", 0, "nblocks"), e("getnetworkhashps", 1, "height"),
            e("getblocktemplate", 0, "template_request"), e("generatetoaddress", 0, "nblocks"),
            e("generatetoaddress", 2, "maxtries"), e("generatetodescriptor", 0, "num_blocks"),
            e("generatetodescriptor", 2, "maxtries"), e("generateblock", 1, "transactions"),
            e("generateblock", 2, "submit"), e("estimatesmartfee", 0, "conf_target"),
            e("estimaterawfee", 0, "conf_target"), e("estimaterawfee", 1, "threshold"),
            // network
            e("setban", 2, "bantime"), e("setban", 3, "absolute"), e("setnetworkactive", 0, "state"),
            e("disconnectnode", 1, "nodeid"), e("getnodeaddresses", 0, "count"), e("addnode", 2, "v2transport"),
            e("addpeeraddress", 1, "port"), e("addpeeraddress", 2, "tried"), e("addconnection", 2, "v2transport"),
            e("sendmsgtopeer", 0, "peer_id"),
            // raw transactions and PSBT
            e("getrawtransaction", 1, "verbosity"), e("getrawtransaction", 1, "verbose"),
            e("createrawtransaction", 0, "inputs"), e("createrawtransaction", 1, "outputs"),
            e("createrawtransaction", 2, "locktime"), e("createrawtransaction", 3, "replaceable"),
            e("createrawtransaction", 4, "version"), e("decoderawtransaction", 1, "iswitness"),
            e("sendrawtransaction", 1, "maxfeerate"), e("sendrawtransaction", 2, "maxburnamount"),
            e("signrawtransactionwithkey", 1, "privkeys"), e("signrawtransactionwithkey", 2, "prevtxs"),
            e("combinerawtransaction", 0, "txs"), e("createpsbt", 0, "inputs"), e("createpsbt", 1, "outputs"),
            e("createpsbt", 2, "locktime"), e("createpsbt", 3, "replaceable"), e("createpsbt", 4, "version"),
            e("combinepsbt", 0, "txs"), e("joinpsbts", 0, "txs"), e("finalizepsbt", 1, "extract"),
            e("converttopsbt", 1, "permitsigdata"), e("converttopsbt", 2, "iswitness"),
            e("utxoupdatepsbt", 1, "descriptors"), e("descriptorprocesspsbt", 1, "descriptors"),
            e("descriptorprocesspsbt", 3, "bip32derivs"), e("descriptorprocesspsbt", 4, "finalize"),
            // util and hidden
            e("createmultisig", 0, "nrequired"), e("createmultisig", 1, "keys"), e("deriveaddresses", 1, "range"),
            e("setmocktime", 0, "timestamp"), e("mockscheduler", 0, "delta_time"),
            e("echojson", 0, "arg0"), e("echojson", 1, "arg1"), e("echojson", 2, "arg2"),
            e("echojson", 3, "arg3"), e("echojson", 4, "arg4"), e("echojson", 5, "arg5"),
            e("echojson", 6, "arg6"), e("echojson", 7, "arg7"), e("echojson", 8, "arg8"),
            e("echojson", 9, "arg9"));

    private static final Set<String> BY_INDEX = new HashSet<>();
    private static final Set<String> BY_NAME = new HashSet<>();

    static {
        for (Entry entry : ENTRIES) {
            BY_INDEX.add(entry.method() + "\0" + entry.index());
            BY_NAME.add(entry.method() + "\0" + entry.name());
        }
    }

    private RpcConvertTable() {
    }

    private static Entry e(String method, int index, String name) {
        return new Entry(method, index, name);
    }

    /**
     * Arguments Core's table marks "also string": a block hash or a height, so text that is not JSON
     * (a hash) is sent as a string instead of failing.
     */
    private static final Set<String> ALSO_STRING = Set.of("getblockstats\0" + 0, "getblockstats\0hash_or_height",
            "gettxoutsetinfo\0" + 1, "gettxoutsetinfo\0hash_or_height");

    private static JsonNode convert(String method, String key, String raw) throws CliException {
        if (ALSO_STRING.contains(method + "\0" + key)) {
            try {
                return Json.parse(raw);
            } catch (JsonProcessingException e) {
                return Json.FACTORY.textNode(raw);
            }
        }
        return parseJson(raw);
    }

    static boolean isJson(String method, int index) {
        return BY_INDEX.contains(method + "\0" + index);
    }

    static boolean isJson(String method, String name) {
        return BY_NAME.contains(method + "\0" + name);
    }

    /** Core's RPCConvertValues: positional arguments, JSON where the table says so. */
    static ArrayNode positional(String method, List<String> args) throws CliException {
        ArrayNode params = Json.FACTORY.arrayNode();
        for (int i = 0; i < args.size(); i++) {
            params.add(isJson(method, i) ? convert(method, Integer.toString(i), args.get(i))
                    : Json.FACTORY.textNode(args.get(i)));
        }
        return params;
    }

    /**
     * Core's RPCConvertNamedValues: "name=value" arguments become named parameters (a later one replaces an
     * earlier one), arguments without '=' are collected, in order, into an "args" array of positional values.
     */
    static ObjectNode named(String method, List<String> args) throws CliException {
        ObjectNode params = Json.FACTORY.objectNode();
        ArrayNode positional = Json.FACTORY.arrayNode();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                int index = positional.size();
                positional.add(isJson(method, index) ? convert(method, Integer.toString(index), arg)
                        : Json.FACTORY.textNode(arg));
                continue;
            }
            String name = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            params.set(name, isJson(method, name) ? convert(method, name, value) : Json.FACTORY.textNode(value));
        }
        if (!positional.isEmpty() && !params.has("args")) {
            params.set("args", positional);
        }
        return params;
    }

    private static JsonNode parseJson(String raw) throws CliException {
        try {
            return Json.parse(raw);
        } catch (JsonProcessingException e) {
            throw new CliException("Error parsing JSON: " + raw);
        }
    }
}
