package org.jbitcoind.node.rpc.methods;

import static org.jbitcoind.node.rpc.RpcArg.optional;
import static org.jbitcoind.node.rpc.RpcArg.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.spv.MerkleProofException;
import org.jbitcoind.chain.spv.TxOutProof;
import org.jbitcoind.chain.state.ChainTip;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.UnknownBlockException;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.rpc.RpcArgType;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.storage.BlockStatus;
import org.jbitcoind.storage.BlockUndo;
import org.jbitcoind.storage.Coin;
import org.jbitcoind.storage.StorageException;
import org.jbitcoind.storage.UtxoStats;

/** Core's "blockchain" category over the chain state. */
public final class BlockchainMethods {
    private static final String CATEGORY = "blockchain";

    private final Supplier<ChainstateManager> chain;
    private final Network network;
    private final TipWatcher tips;
    private final MempoolView mempool;
    private final java.util.function.LongSupplier diskSize;

    private BlockchainMethods(Supplier<ChainstateManager> chain, Network network, TipWatcher tips,
            MempoolView mempool, java.util.function.LongSupplier diskSize) {
        this.diskSize = diskSize;
        this.chain = chain;
        this.network = network;
        this.tips = tips;
        this.mempool = mempool;
    }

    public static void register(RpcRegistry registry, Supplier<ChainstateManager> chain, Network network,
            TipWatcher tips, MempoolView mempool, java.util.function.LongSupplier diskSize) {
        BlockchainMethods m = new BlockchainMethods(chain, network, tips, mempool, diskSize);
        registry.register(new RpcMethod("getblockchaininfo", CATEGORY, List.of(),
                "Returns an object containing various state info regarding blockchain processing.",
                "{ chain, blocks, headers, bestblockhash, bits, target, difficulty, time, mediantime, "
                        + "verificationprogress, initialblockdownload, chainwork, size_on_disk, pruned, "
                        + "pruneheight?, automatic_pruning?, prune_target_size?, warnings }",
                m::getblockchaininfo));
        registry.register(new RpcMethod("getblockcount", CATEGORY, List.of(),
                "Returns the height of the most-work fully-validated chain.\nThe genesis block has height 0.",
                "n    (numeric) The current block count", c -> RpcCall.json().numberNode(m.active().height())));
        registry.register(new RpcMethod("getbestblockhash", CATEGORY, List.of(),
                "Returns the hash of the best (tip) block in the most-work fully-validated chain.",
                "\"hex\"    (string) the block hash, hex-encoded",
                c -> RpcCall.json().textNode(m.active().tip().hash().toString())));
        registry.register(new RpcMethod("getblockhash", CATEGORY,
                List.of(required("height", RpcArgType.NUM, "The height index")),
                "Returns hash of block in best-block-chain at height provided.",
                "\"hex\"    (string) The block hash", m::getblockhash));
        registry.register(new RpcMethod("getblockheader", CATEGORY,
                List.of(required("blockhash", RpcArgType.STR_HEX, "The block hash"),
                        optional("verbose", RpcArgType.BOOL, "true", "true for a json object, false for the hex-encoded data")),
                "If verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'.\n"
                        + "If verbose is true, returns an Object with information about blockheader <hash>.",
                "{ hash, confirmations, height, version, versionHex, merkleroot, time, mediantime, nonce, bits, "
                        + "target, difficulty, chainwork, nTx, previousblockhash?, nextblockhash? } or \"hex\"",
                m::getblockheader));
        registry.register(new RpcMethod("getblock", CATEGORY,
                List.of(required("blockhash", RpcArgType.STR_HEX, "The block hash"),
                        optional("verbosity|verbose", RpcArgType.ANY, "1",
                                "0 for hex-encoded data, 1 for a JSON object, 2 for JSON with transaction data, "
                                        + "3 for JSON with transaction data including prevout information for inputs")),
                "If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.\n"
                        + "If verbosity is 1, returns an Object with information about block <hash>.\n"
                        + "If verbosity is 2, returns an Object with information about block <hash> and information "
                        + "about each transaction.\n"
                        + "If verbosity is 3, returns an Object with information about block <hash> and information "
                        + "about each transaction, including prevout information for inputs.",
                "\"hex\" or the header fields plus strippedsize, size, weight, tx", m::getblock));
        registry.register(new RpcMethod("getchaintips", CATEGORY, List.of(),
                "Return information about all known tips in the block tree, including the main chain as well as "
                        + "orphaned branches.",
                "[ { height, hash, branchlen, status }, ... ]", m::getchaintips));
        registry.register(new RpcMethod("getdifficulty", CATEGORY, List.of(),
                "Returns the proof-of-work difficulty as a multiple of the minimum difficulty.",
                "n.nnn    (numeric) the proof-of-work difficulty as a multiple of the minimum difficulty.",
                c -> RpcCall.json().numberNode(BlockJson.difficulty(m.active().tip().bits()))));
        registry.register(new RpcMethod("getchaintxstats", CATEGORY,
                List.of(optional("nblocks", RpcArgType.NUM, "one month", "Size of the window in number of blocks"),
                        optional("blockhash", RpcArgType.STR_HEX, "chain tip",
                                "The hash of the block that ends the window.")),
                "Compute statistics about the total number and rate of transactions in the chain.",
                "{ time, txcount, window_final_block_hash, window_final_block_height, window_block_count, "
                        + "window_interval?, window_tx_count?, txrate? }",
                m::getchaintxstats));
        registry.register(new RpcMethod("gettxout", CATEGORY,
                List.of(required("txid", RpcArgType.STR, "The transaction id"),
                        required("n", RpcArgType.NUM, "vout number"),
                        optional("include_mempool", RpcArgType.BOOL, "true", "Whether to include the mempool.")),
                "Returns details about an unspent transaction output.",
                "null if the output is spent or unknown, else { bestblock, confirmations, value, scriptPubKey, coinbase }",
                m::gettxout));
        registry.register(new RpcMethod("gettxoutsetinfo", CATEGORY,
                List.of(optional("hash_type", RpcArgType.STR, "hash_serialized_3",
                                "Which UTXO set hash should be calculated. Options: 'hash_serialized_3', 'muhash', 'none'."),
                        optional("hash_or_height", RpcArgType.ANY, "the current best block",
                                "The block hash or height of the target height (only the tip is supported)"),
                        optional("use_index", RpcArgType.BOOL, "true", "Use coinstatsindex (not available)")),
                "Returns statistics about the unspent transaction output set.\nNote this call may take some time.",
                "{ height, bestblock, txouts, bogosize, hash_serialized_3|muhash, total_amount, transactions, "
                        + "disk_size }",
                m::gettxoutsetinfo));
        registry.register(new RpcMethod("verifychain", CATEGORY,
                List.of(optional("checklevel", RpcArgType.NUM, "3", "How thorough the block verification is (0-4)"),
                        optional("nblocks", RpcArgType.NUM, "6", "The number of blocks to check (0 = all).")),
                "Verifies blockchain database.", "true|false    (boolean) Verification finished successfully.",
                m::verifychain));
        registry.register(new RpcMethod("invalidateblock", CATEGORY,
                List.of(required("blockhash", RpcArgType.STR_HEX, "the hash of the block to mark as invalid")),
                "Permanently marks a block as invalid, as if it violated a consensus rule.", null,
                c -> m.blockCommand(c, ChainstateManager::invalidateBlock)));
        registry.register(new RpcMethod("reconsiderblock", CATEGORY,
                List.of(required("blockhash", RpcArgType.STR_HEX, "the hash of the block to reconsider")),
                "Removes invalidity status of a block, its ancestors and its descendants, reconsider them for "
                        + "activation.\nThis can be used to undo the effects of invalidateblock.", null,
                c -> m.blockCommand(c, ChainstateManager::reconsiderBlock)));
        registry.register(new RpcMethod("preciousblock", CATEGORY,
                List.of(required("blockhash", RpcArgType.STR_HEX, "the hash of the block to mark as precious")),
                "Treats a block as if it were received before others with the same work.", null,
                c -> m.blockCommand(c, ChainstateManager::preciousBlock)));
        registry.register(new RpcMethod("pruneblockchain", CATEGORY,
                List.of(required("height", RpcArgType.NUM, "The block height to prune up to.")),
                "Prunes the block files up to the given height.",
                "n    (numeric) Height of the last block pruned", m::pruneblockchain));
        registry.register(new RpcMethod("gettxoutproof", CATEGORY,
                List.of(required("txids", RpcArgType.ARR, "The txids to filter"),
                        optional("blockhash", RpcArgType.STR_HEX, null, "If specified, looks for txid in the block with this hash")),
                "Returns a hex-encoded proof that \"txid\" was included in a block.",
                "\"str\"    (string) A string that is a serialized, hex-encoded data for the proof.",
                m::gettxoutproof));
        registry.register(new RpcMethod("verifytxoutproof", CATEGORY,
                List.of(required("proof", RpcArgType.STR, "The hex-encoded proof generated by gettxoutproof")),
                "Verifies that a proof points to a transaction in a block, returning the transaction it commits to\n"
                        + "and throwing an RPC error if the block is not in our best chain",
                "[ \"hex\", ... ]    The txid(s) which the proof commits to, or empty array if the proof cannot be validated.",
                m::verifytxoutproof));
        registry.register(new RpcMethod("getblockstats", CATEGORY,
                List.of(required("hash_or_height", RpcArgType.ANY, "The block hash or height of the target block"),
                        optional("stats", RpcArgType.ARR, "all values", "Values to plot (see result below)")),
                "Compute per block statistics for a given window. All amounts are in satoshis.\n"
                        + "It won't work for some heights with pruning.",
                "{ avgfee, avgfeerate, avgtxsize, blockhash, feerate_percentiles, height, ins, maxfee, maxfeerate, "
                        + "maxtxsize, medianfee, mediantime, mediantxsize, minfee, minfeerate, mintxsize, outs, subsidy, "
                        + "swtotal_size, swtotal_weight, swtxs, time, total_out, total_size, total_weight, totalfee, "
                        + "txs, utxo_increase, utxo_size_inc, utxo_increase_actual, utxo_size_inc_actual }",
                m::getblockstats));
        registry.register(new RpcMethod("waitfornewblock", CATEGORY,
                List.of(optional("timeout", RpcArgType.NUM, "0", "Time in milliseconds to wait for a response. 0 indicates no timeout.")),
                "Waits for any new block and returns useful info about it.\nReturns the current block on timeout or exit.",
                "{ hash, height }", c -> {
                    BlockIndex start = m.active().tip();
                    return tipJson(tips.await(t -> t != start, m.timeout(c, 0)));
                }));
        registry.register(new RpcMethod("waitforblock", CATEGORY,
                List.of(required("blockhash", RpcArgType.STR_HEX, "Block hash to wait for."),
                        optional("timeout", RpcArgType.NUM, "0", "Time in milliseconds to wait for a response. 0 indicates no timeout.")),
                "Waits for a specific new block and returns useful info about it.\nReturns the current block on timeout or exit.",
                "{ hash, height }", c -> {
                    Hash256 hash = c.hash(0, "blockhash");
                    return tipJson(tips.await(t -> t != null && t.hash().equals(hash), m.timeout(c, 1)));
                }));
        registry.register(new RpcMethod("waitforblockheight", CATEGORY,
                List.of(required("height", RpcArgType.NUM, "Block height to wait for."),
                        optional("timeout", RpcArgType.NUM, "0", "Time in milliseconds to wait for a response. 0 indicates no timeout.")),
                "Waits for (at least) block height and returns the height and hash\nof the current tip.\n"
                        + "Returns the current block on timeout or exit.",
                "{ hash, height }", c -> {
                    long height = c.longOr(0, 0);
                    return tipJson(tips.await(t -> t != null && t.height() >= height, m.timeout(c, 1)));
                }));
    }

    private ChainView active() {
        return chain.get().activeChain();
    }

    private long timeout(RpcCall call, int index) throws RpcException {
        long t = call.longOr(index, 0);
        if (t < 0) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Negative timeout");
        }
        return t;
    }

    private static JsonNode tipJson(BlockIndex tip) {
        ObjectNode o = RpcCall.json().objectNode();
        o.put("hash", tip.hash().toString());
        o.put("height", tip.height());
        return o;
    }

    private JsonNode getblockchaininfo(RpcCall call) throws RpcException {
        ChainstateManager c = chain.get();
        ChainView view = c.activeChain();
        BlockIndex tip = view.tip();
        BlockIndex best = c.bestHeader();
        ObjectNode o = RpcCall.json().objectNode();
        o.put("chain", network.id());
        o.put("blocks", view.height());
        o.put("headers", best == null ? -1 : best.height());
        o.put("bestblockhash", tip.hash().toString());
        o.put("bits", String.format("%08x", tip.bits()));
        o.put("target", BlockJson.target(tip.bits()));
        o.put("difficulty", BlockJson.difficulty(tip.bits()));
        o.put("time", tip.time());
        o.put("mediantime", tip.medianTimePast());
        o.put("verificationprogress", verificationProgress(tip, best));
        o.put("initialblockdownload", c.isInitialBlockDownload());
        o.put("chainwork", BlockJson.hex64(tip.chainWork()));
        o.put("size_on_disk", diskSize.getAsLong());
        boolean pruned = c.options().pruneEnabled();
        o.put("pruned", pruned);
        if (pruned) {
            o.put("pruneheight", pruneHeight(c, view));
            o.put("automatic_pruning", c.options().pruneAutomatic());
            if (c.options().pruneAutomatic()) {
                o.put("prune_target_size", c.options().pruneTargetBytes());
            }
        }
        o.putArray("warnings");
        return o;
    }

    /**
     * Core estimates progress from transaction counts and a per-network rate; without that table the share
     * of known headers that are connected is the honest figure (1.0 once the tip reaches the best header).
     */
    private static double verificationProgress(BlockIndex tip, BlockIndex best) {
        if (best == null || best.chainTxCount() == 0 || tip.chainTxCount() >= best.chainTxCount()) {
            return best == null || tip.height() >= best.height() ? 1.0 : (double) tip.height() / best.height();
        }
        return (double) tip.chainTxCount() / best.chainTxCount();
    }

    /** The first block whose data is still stored (Core's pruneheight). */
    private static int pruneHeight(ChainstateManager c, ChainView view) {
        int h = view.height();
        while (h > 0 && BlockStatus.has(view.get(h - 1).status(), BlockStatus.HAVE_DATA)) {
            h--;
        }
        return h;
    }

    private JsonNode getblockhash(RpcCall call) throws RpcException {
        long height = call.longOr(0, -1);
        ChainView view = active();
        if (height < 0 || height > view.height()) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Block height out of range");
        }
        return RpcCall.json().textNode(view.get((int) height).hash().toString());
    }

    private JsonNode getblockheader(RpcCall call) throws RpcException {
        BlockIndex index = Args.block(chain, call, 0);
        if (!call.boolOr(1, true)) {
            return RpcCall.json().textNode(Hex.encode(index.header().serialize()));
        }
        return BlockJson.header(index, active());
    }

    private JsonNode getblock(RpcCall call) throws RpcException {
        BlockIndex index = Args.block(chain, call, 0);
        int verbosity = Args.verbosity(call, 1, 1);
        ChainstateManager c = chain.get();
        if (!c.haveBlockData(index)) {
            if (c.options().pruneEnabled() && index.txCount() > 0) {
                throw Args.error(RpcErrorCode.MISC_ERROR, "Block not available (pruned data)");
            }
            throw Args.error(RpcErrorCode.MISC_ERROR, "Block not found on disk");
        }
        if (verbosity <= 0) {
            byte[] raw = c.getRawBlock(index.hash())
                    .orElseThrow(() -> Args.error(RpcErrorCode.MISC_ERROR, "Block not found on disk"));
            return RpcCall.json().textNode(Hex.encode(raw));
        }
        Block block = c.getBlock(index.hash())
                .orElseThrow(() -> Args.error(RpcErrorCode.MISC_ERROR, "Block not found on disk"));
        BlockUndo undo = verbosity >= 2 && BlockStatus.has(index.status(), BlockStatus.HAVE_UNDO)
                ? c.getUndo(index.hash()).orElse(null) : null;
        return BlockJson.block(block, index, c.activeChain(), verbosity, undo, network);
    }

    private JsonNode getblockstats(RpcCall call) throws RpcException {
        ChainstateManager c = chain.get();
        ChainView view = c.activeChain();
        JsonNode target = call.param(0);
        BlockIndex index;
        if (target.isNumber()) {
            long height = call.longOr(0, 0);
            if (height < 0) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Target block height " + height + " is negative");
            }
            if (height > view.height()) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Target block height " + height
                        + " after current tip " + view.height());
            }
            index = view.get((int) height);
        } else if (target.isTextual()) {
            index = Args.block(chain, call, 0);
            if (!view.contains(index)) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Block is not in chain " + network.id());
            }
        } else {
            throw Args.error(RpcErrorCode.TYPE_ERROR, "JSON value of type " + RpcArgType.jsonTypeName(target)
                    + " is not of expected type string or number");
        }
        if (!c.haveBlockData(index) || (index.height() > 0 && !BlockStatus.has(index.status(), BlockStatus.HAVE_UNDO))) {
            throw Args.error(RpcErrorCode.MISC_ERROR, "Block not available (pruned data)");
        }
        Block block = c.getBlock(index.hash())
                .orElseThrow(() -> Args.error(RpcErrorCode.MISC_ERROR, "Block not found on disk"));
        BlockUndo undo = index.height() == 0 ? new BlockUndo(List.of()) : c.getUndo(index.hash())
                .orElseThrow(() -> Args.error(RpcErrorCode.MISC_ERROR, "Undo data expected but can't be read. "
                        + "This could be due to disk corruption or a conflict with a pruning event."));
        ObjectNode all = BlockStats.compute(block, undo, index, c.params());
        if (call.isNull(1)) {
            return all;
        }
        ObjectNode selected = RpcCall.json().objectNode();
        for (JsonNode stat : call.param(1)) {
            String name = stat.asText();
            if (!all.has(name)) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid selected statistic '" + name + "'");
            }
            selected.set(name, all.get(name));
        }
        return selected;
    }

    private JsonNode getchaintips(RpcCall call) {
        ArrayNode out = RpcCall.json().arrayNode();
        for (ChainTip tip : chain.get().chainTips()) {
            ObjectNode o = out.addObject();
            o.put("height", tip.height());
            o.put("hash", tip.hash().toString());
            o.put("branchlen", tip.branchLength());
            o.put("status", tip.status());
        }
        return out;
    }

    private JsonNode getchaintxstats(RpcCall call) throws RpcException {
        ChainView view = active();
        BlockIndex end = call.isNull(1) ? view.tip() : Args.block(chain, call, 1);
        if (!view.contains(end)) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Block is not in main chain");
        }
        ChainstateManager c = chain.get();
        long month = 30L * 24 * 60 * 60 / c.params().powTargetSpacing();
        long blockcount;
        if (call.isNull(0)) {
            blockcount = Math.max(0, Math.min(month, end.height() - 1));
        } else {
            blockcount = call.longOr(0, 0);
            if (blockcount < 0 || (blockcount > 0 && blockcount >= end.height())) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER,
                        "Invalid block count: should be between 0 and the block's height - 1");
            }
        }
        BlockIndex past = end.getAncestor((int) (end.height() - blockcount));
        ObjectNode o = RpcCall.json().objectNode();
        o.put("time", end.time());
        o.put("txcount", end.chainTxCount());
        o.put("window_final_block_hash", end.hash().toString());
        o.put("window_final_block_height", end.height());
        o.put("window_block_count", blockcount);
        if (blockcount > 0) {
            long interval = end.medianTimePast() - past.medianTimePast();
            long txs = end.chainTxCount() - past.chainTxCount();
            o.put("window_interval", interval);
            o.put("window_tx_count", txs);
            if (interval > 0) {
                o.put("txrate", (double) txs / interval);
            }
        }
        return o;
    }

    private JsonNode gettxout(RpcCall call) throws RpcException {
        Hash256 txid = call.hash(0, "txid");
        long n = call.longOr(1, 0);
        boolean includeMempool = call.boolOr(2, true);
        if (n < 0 || n > 0xffffffffL) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
        }
        OutPoint outpoint = new OutPoint(txid, (int) n);
        ChainstateManager c = chain.get();
        Optional<Coin> coin;
        ChainView view = c.activeChain();
        boolean fromMempool = false;
        if (includeMempool && mempool.available()) {
            if (mempool.isSpent(outpoint)) {
                return null;
            }
            Optional<Coin> pooled = mempool.output(outpoint);
            coin = pooled.isPresent() ? pooled : c.getCoin(outpoint);
            fromMempool = pooled.isPresent();
        } else {
            coin = c.getCoin(outpoint);
        }
        if (coin.isEmpty()) {
            return null;
        }
        ObjectNode o = RpcCall.json().objectNode();
        o.put("bestblock", view.tip().hash().toString());
        o.put("confirmations", fromMempool ? 0 : view.height() - coin.get().height() + 1);
        o.set("value", RpcCall.amountValue(coin.get().output().value()));
        o.set("scriptPubKey", ScriptJson.scriptPubKey(coin.get().output().scriptPubKey(), network, true));
        o.put("coinbase", coin.get().coinbase());
        return o;
    }

    private JsonNode gettxoutsetinfo(RpcCall call) throws RpcException {
        String type = call.isNull(0) ? "hash_serialized_3" : call.string(0);
        UtxoStats.HashType hashType = switch (type) {
            case "hash_serialized_3" -> UtxoStats.HashType.HASH_SERIALIZED;
            case "muhash" -> UtxoStats.HashType.MUHASH;
            case "none" -> UtxoStats.HashType.NONE;
            default -> throw Args.error(RpcErrorCode.INVALID_PARAMETER,
                    type + " is not a valid hash_type");
        };
        if (!call.isNull(1)) {
            JsonNode target = call.param(1);
            BlockIndex tip = active().tip();
            boolean isTip = target.isNumber() ? target.asLong() == tip.height()
                    : target.isTextual() && target.asText().equalsIgnoreCase(tip.hash().toString());
            if (!isTip) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Querying specific block heights requires coinstatsindex");
            }
        }
        UtxoStats stats;
        try {
            stats = chain.get().utxoStats(hashType);
        } catch (StorageException e) {
            throw Args.error(RpcErrorCode.INTERNAL_ERROR, "Unable to read UTXO set: " + e.getMessage());
        }
        ObjectNode o = RpcCall.json().objectNode();
        o.put("height", stats.height());
        o.put("bestblock", stats.bestBlock().toString());
        o.put("txouts", stats.txouts());
        o.put("bogosize", stats.bogoSize());
        stats.hashSerialized3().ifPresent(h -> o.put("hash_serialized_3", h.toString()));
        stats.muhash().ifPresent(h -> o.put("muhash", h.toString()));
        o.set("total_amount", RpcCall.amountValue(stats.totalAmount()));
        o.put("transactions", stats.transactions());
        o.put("disk_size", stats.diskSize());
        return o;
    }

    private JsonNode verifychain(RpcCall call) throws RpcException {
        int level = Args.intIn(call, 0, 3);
        int depth = Args.intIn(call, 1, 6);
        ChainView view = active();
        int checkDepth = depth <= 0 || depth > view.height() ? view.height() : depth;
        return RpcCall.json().booleanNode(
                chain.get().verifyChain(Math.max(0, Math.min(4, level)), checkDepth).isEmpty());
    }

    private interface BlockCommand {
        void apply(ChainstateManager c, Hash256 hash) throws UnknownBlockException;
    }

    private JsonNode blockCommand(RpcCall call, BlockCommand command) throws RpcException {
        Hash256 hash = call.hash(0, "blockhash");
        try {
            command.apply(chain.get(), hash);
        } catch (UnknownBlockException e) {
            throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found");
        }
        return null;
    }

    private JsonNode pruneblockchain(RpcCall call) throws RpcException {
        ChainstateManager c = chain.get();
        if (!c.options().pruneEnabled()) {
            throw Args.error(RpcErrorCode.MISC_ERROR, "Cannot prune blocks because node is not in prune mode.");
        }
        long height = call.longOr(0, 0);
        if (height < 0) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Negative block height.");
        }
        ChainView view = c.activeChain();
        if (height > 1_000_000_000L) {
            // A timestamp: prune up to the last block more than two hours older than it, as Core does.
            long time = height - 7200;
            int h = view.height();
            while (h > 0 && view.get(h).time() > time) {
                h--;
            }
            height = h;
        }
        if (height > view.height()) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Blockchain is shorter than the attempted prune height.");
        }
        c.pruneBlockchain((int) height);
        // As Core: the height of the last block pruned so far (by this call or an earlier one), -1 if none,
        // so that a repeated call (e.g. after a crash) answers the same.
        int firstStored = pruneHeight(c, c.activeChain());
        return RpcCall.json().numberNode(firstStored > 0 ? firstStored - 1 : -1);
    }

    private JsonNode gettxoutproof(RpcCall call) throws RpcException {
        Set<Hash256> txids = new LinkedHashSet<>();
        JsonNode list = call.param(0);
        for (JsonNode id : list) {
            if (!id.isTextual()) {
                throw Args.error(RpcErrorCode.TYPE_ERROR, "Expected type string, got " + id.getNodeType());
            }
            Hash256 txid = parseTxid(id.asText());
            if (!txids.add(txid)) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid parameter, duplicated txid: " + id.asText());
            }
        }
        ChainstateManager c = chain.get();
        BlockIndex index;
        if (!call.isNull(1)) {
            index = Args.block(chain, call, 1);
        } else {
            index = findBlockOf(c, txids);
        }
        if (!c.haveBlockData(index)) {
            throw Args.error(RpcErrorCode.INTERNAL_ERROR, "Block not available");
        }
        Block block = c.getBlock(index.hash()).orElseThrow(() -> Args.error(RpcErrorCode.INTERNAL_ERROR,
                "Can't read block from disk"));
        try {
            return RpcCall.json().textNode(Hex.encode(TxOutProof.build(block, txids)));
        } catch (MerkleProofException e) {
            throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY,
                    "Not all transactions found in specified or retrieved block");
        }
    }

    /** Without a block hash Core looks the first txid up as an unspent output, then in -txindex. */
    private BlockIndex findBlockOf(ChainstateManager c, Set<Hash256> txids) throws RpcException {
        Hash256 first = txids.iterator().next();
        ChainView view = c.activeChain();
        for (int n = 0; n < 16; n++) {
            Optional<Coin> coin = c.getCoin(new OutPoint(first, n));
            if (coin.isPresent() && coin.get().height() <= view.height()) {
                return view.get(coin.get().height());
            }
        }
        Optional<ChainstateManager.IndexedTransaction> indexed = c.getTransaction(first);
        if (indexed.isPresent()) {
            Optional<BlockIndex> b = c.getBlockIndex(indexed.get().blockHash());
            if (b.isPresent()) {
                return b.get();
            }
        }
        throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Transaction not yet in block");
    }

    private static Hash256 parseTxid(String hex) throws RpcException {
        if (hex.length() != 64) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER,
                    "txid must be of length 64 (not " + hex.length() + ", for '" + hex + "')");
        }
        if (!Hex.isHex(hex)) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "txid must be hexadecimal string (not '" + hex + "')");
        }
        return Hash256.fromHex(hex);
    }

    private JsonNode verifytxoutproof(RpcCall call) throws RpcException {
        byte[] proof = call.hex(0, "proof");
        TxOutProof.Verified verified;
        try {
            verified = TxOutProof.verify(proof);
        } catch (MerkleProofException e) {
            // Core answers a proof whose matches do not reach the header's root with an empty list.
            if (e.getMessage() != null && e.getMessage().startsWith("malformed")) {
                throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "proof decode failed: " + e.getMessage());
            }
            return RpcCall.json().arrayNode();
        }
        ChainstateManager c = chain.get();
        Optional<BlockIndex> index = c.getBlockIndex(verified.header().hash());
        if (index.isEmpty() || !c.activeChain().contains(index.get())) {
            throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found in chain");
        }
        ArrayNode out = RpcCall.json().arrayNode();
        if (index.get().txCount() != verified.transactionCount()) {
            return out;
        }
        verified.txids().forEach(t -> out.add(t.toString()));
        return out;
    }

}
