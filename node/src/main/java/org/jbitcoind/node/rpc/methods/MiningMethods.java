package org.jbitcoind.node.rpc.methods;

import static org.jbitcoind.node.rpc.RpcArg.optional;
import static org.jbitcoind.node.rpc.RpcArg.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jbitcoind.chain.address.AddressException;
import org.jbitcoind.chain.address.Addresses;
import org.jbitcoind.chain.address.Descriptors;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.mining.AssemblerOptions;
import org.jbitcoind.chain.mining.BlockAssembler;
import org.jbitcoind.chain.mining.BlockGenerator;
import org.jbitcoind.chain.mining.BlockMaker;
import org.jbitcoind.chain.mining.BlockTemplate;
import org.jbitcoind.chain.mining.Miner;
import org.jbitcoind.chain.mining.MiningException;
import org.jbitcoind.chain.mempool.TxMempool;
import org.jbitcoind.node.mempool.MempoolService;
import org.jbitcoind.chain.pow.Pow;
import org.jbitcoind.chain.state.BlockProcessResult;
import org.jbitcoind.chain.state.ChainView;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.chain.state.HeadersResult;
import org.jbitcoind.chain.validation.Subsidy;
import org.jbitcoind.chain.validation.TxCheck;
import org.jbitcoind.chain.validation.ValidationException;
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
import org.jbitcoind.protocol.primitives.BlockHeader;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;
import org.jbitcoind.storage.Coin;

/**
 * Core's "mining" category (submitblock, submitheader, getmininginfo, getnetworkhashps) and the
 * regtest "generating" methods, which mine on the caller's thread with {@link BlockMaker}.
 */
public final class MiningMethods {
    private static final long DEFAULT_MAX_TRIES = 1_000_000;

    private final Supplier<ChainstateManager> chain;
    private final Network network;
    private final MempoolView pooled;
    private final Supplier<Optional<MempoolService>> mempool;
    /** One generate call at a time: each builds on the tip the previous one produced. */
    private final Object generateLock = new Object();

    private MiningMethods(Supplier<ChainstateManager> chain, Network network, MempoolView pooled,
            Supplier<Optional<MempoolService>> mempool) {
        this.chain = chain;
        this.network = network;
        this.pooled = pooled;
        this.mempool = mempool;
    }

    /** @param mempool the mempool service when the node runs one (block templates and generate* use it) */
    public static void register(RpcRegistry registry, Supplier<ChainstateManager> chain, Network network,
            MempoolView pooled, Supplier<Optional<MempoolService>> mempool) {
        MiningMethods m = new MiningMethods(chain, network, pooled, mempool);
        registry.register(new RpcMethod("submitblock", "mining",
                List.of(required("hexdata", RpcArgType.STR_HEX, "the hex-encoded block data to submit"),
                        optional("dummy", RpcArgType.STR, "ignored", "dummy value, for compatibility with BIP22.")),
                "Attempts to submit new block to network.\nSee https://en.bitcoin.it/wiki/BIP_0022 for full specification.",
                "null if accepted, else a string with the reason (\"duplicate\", \"inconclusive\", a reject reason)",
                m::submitblock));
        registry.register(new RpcMethod("submitheader", "mining",
                List.of(required("hexdata", RpcArgType.STR_HEX, "the hex-encoded block header data")),
                "Decode the given hexdata as a header and submit it as a candidate chain tip if valid.\n"
                        + "Throws when the header is invalid.", null, m::submitheader));
        registry.register(new RpcMethod("getmininginfo", "mining", List.of(),
                "Returns a json object containing mining-related information.",
                "{ blocks, bits, difficulty, target, networkhashps, pooledtx, chain, next: { height, bits, "
                        + "difficulty, target }, warnings }", m::getmininginfo));
        registry.register(new RpcMethod("getnetworkhashps", "mining",
                List.of(optional("nblocks", RpcArgType.NUM, "120",
                                "The number of previous blocks to calculate estimate from, or -1 for blocks since last difficulty change."),
                        optional("height", RpcArgType.NUM, "-1",
                                "To estimate at the time of the given height.")),
                "Returns the estimated network hashes per second based on the last n blocks.",
                "x    (numeric) Hashes per second estimated", c -> RpcCall.json().numberNode(
                        m.networkHashPs(Args.intIn(c, 0, 120), Args.intIn(c, 1, -1)))));
        registry.register(new RpcMethod("generatetoaddress", "generating",
                List.of(required("nblocks", RpcArgType.NUM, "How many blocks are generated."),
                        required("address", RpcArgType.STR, "The address to send the newly generated bitcoin to."),
                        optional("maxtries", RpcArgType.NUM, "1000000", "How many iterations to try.")),
                "Mine to a specified address and return the block hashes (regtest only).",
                "[ \"hex\", ... ]    hashes of blocks generated", c -> {
                    byte[] script = m.addressScript(c.string(1));
                    return m.generate(Args.intIn(c, 0, 0), script, maxTries(c, 2));
                }));
        registry.register(new RpcMethod("generatetodescriptor", "generating",
                List.of(required("num_blocks", RpcArgType.NUM, "How many blocks are generated."),
                        required("descriptor", RpcArgType.STR, "The descriptor to send the newly generated bitcoin to."),
                        optional("maxtries", RpcArgType.NUM, "1000000", "How many iterations to try.")),
                "Mine to a specified descriptor and return the block hashes (regtest only).",
                "[ \"hex\", ... ]    hashes of blocks generated", c -> {
                    byte[] script = m.descriptorScript(c.string(1));
                    return m.generate(Args.intIn(c, 0, 0), script, maxTries(c, 2));
                }));
        registry.register(new RpcMethod("generateblock", "generating",
                List.of(required("output", RpcArgType.STR, "The address or descriptor to send the newly generated bitcoin to."),
                        required("transactions", RpcArgType.ARR,
                                "An array of hex strings which are either txids or raw transactions."),
                        optional("submit", RpcArgType.BOOL, "true", "Whether to submit the block before the RPC call returns or to return it as hex.")),
                "Mine a set of ordered transactions to a specified address or descriptor and return the block hash "
                        + "(regtest only).",
                "{ hash, hex? }", m::generateblock));
    }

    private byte[] addressScript(String address) throws RpcException {
        try {
            return Addresses.toScript(address, network);
        } catch (AddressException e) {
            throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Error: Invalid address");
        }
    }

    private byte[] descriptorScript(String descriptor) throws RpcException {
        try {
            return Descriptors.toScript(descriptor, network, false);
        } catch (AddressException e) {
            throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, e.getMessage());
        }
    }

    private void requireRegtest() throws RpcException {
        if (network != Network.REGTEST) {
            throw Args.error(RpcErrorCode.METHOD_NOT_FOUND,
                    "generating blocks is only supported on regtest (no usable hash rate elsewhere)");
        }
    }

    private BlockGenerator generator() {
        ChainstateManager c = chain.get();
        return new BlockGenerator(c.params(), assembler(c), new BlockGenerator.Chain() {
            @Override
            public BlockIndex tip() {
                return c.activeChain().tip();
            }

            @Override
            public boolean submit(Block block) {
                return c.processNewBlock(block).status() == BlockProcessResult.Status.ACCEPTED;
            }
        });
    }

    private static BlockAssembler assembler(ChainstateManager c) {
        return new BlockAssembler(c.params(), AssemblerOptions.defaults(), () -> System.currentTimeMillis() / 1000);
    }

    private static long maxTries(RpcCall call, int index) throws RpcException {
        long tries = call.longOr(index, DEFAULT_MAX_TRIES);
        if (tries < 1) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid maxtries");
        }
        return tries;
    }

    /** generatetoaddress / generatetodescriptor: blocks with the best mempool transactions (Core's generateBlocks). */
    private JsonNode generate(int count, byte[] script, long maxTries) throws RpcException {
        requireRegtest();
        if (count < 0) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid number of blocks");
        }
        ArrayNode hashes = RpcCall.json().arrayNode();
        synchronized (generateLock) {
            try {
                TxMempool pool = mempool.get().map(MempoolService::pool).orElse(null);
                generator().generate(count, script, pool, maxTries).forEach(h -> hashes.add(h.toString()));
            } catch (MiningException e) {
                throw Args.error(RpcErrorCode.INTERNAL_ERROR, e.getMessage());
            }
        }
        return hashes;
    }

    private JsonNode generateblock(RpcCall call) throws RpcException {
        requireRegtest();
        String output = call.string(0);
        byte[] script;
        try {
            script = Addresses.toScript(output, network);
        } catch (AddressException notAnAddress) {
            try {
                script = Descriptors.toScript(output, network, false);
            } catch (AddressException e) {
                throw Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Error: Invalid address or descriptor");
            }
        }
        List<Transaction> txs = new ArrayList<>();
        for (JsonNode item : call.param(1)) {
            String text = item.asText();
            if (text.length() == 64 && Hex.isHex(text)) {
                Hash256 txid = Hash256.fromHex(text);
                txs.add(pooled.get(txid).orElseThrow(() -> Args.error(RpcErrorCode.INVALID_ADDRESS_OR_KEY,
                        "Transaction " + text + " not in mempool.")));
                continue;
            }
            Transaction tx;
            try {
                tx = Transaction.deserialize(Hex.isHex(text) ? Hex.decode(text) : new byte[0]);
            } catch (DecodeException e) {
                throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "Transaction decode failed for " + text);
            }
            try {
                TxCheck.checkTransaction(tx);
            } catch (ValidationException e) {
                throw Args.error(RpcErrorCode.VERIFY_ERROR, "TestBlockValidity failed: " + e.rejectReason());
            }
            txs.add(tx);
        }
        boolean submit = call.boolOr(2, true);
        ObjectNode o = RpcCall.json().objectNode();
        synchronized (generateLock) {
            if (submit) {
                try {
                    o.put("hash", generator().generateBlock(txs, script, DEFAULT_MAX_TRIES).toString());
                } catch (MiningException e) {
                    throw Args.error(RpcErrorCode.VERIFY_ERROR, "TestBlockValidity failed: " + e.getMessage());
                }
            } else {
                ChainstateManager c = chain.get();
                BlockTemplate template = assembler(c).createWithTransactions(c.activeChain().tip(), txs, script);
                Block block = Miner.solve(template, c.params(), DEFAULT_MAX_TRIES).orElseThrow(
                        () -> Args.error(RpcErrorCode.MISC_ERROR, "Failed to make block."));
                o.put("hash", block.hash().toString());
                o.put("hex", Hex.encode(block.serialize()));
            }
        }
        return o;
    }

    private JsonNode submitblock(RpcCall call) throws RpcException {
        Block block;
        try {
            block = Block.deserialize(call.hex(0, "hexdata"));
        } catch (DecodeException e) {
            throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "Block decode failed");
        }
        if (block.transactions().isEmpty() || !block.transactions().get(0).isCoinbase()) {
            throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "Block does not start with a coinbase");
        }
        ChainstateManager c = chain.get();
        Optional<BlockIndex> known = c.getBlockIndex(block.hash());
        if (known.isPresent() && c.haveBlockData(known.get())) {
            return RpcCall.json().textNode(!failed(known.get()) ? "duplicate"
                    : "duplicate-invalid");
        }
        BlockProcessResult result = c.processNewBlock(block);
        return switch (result.status()) {
            case ACCEPTED -> null;
            case DUPLICATE -> RpcCall.json().textNode("duplicate");
            case NOT_STORED -> RpcCall.json().textNode("inconclusive");
            case INVALID, MISSING_PARENT -> RpcCall.json().textNode(result.rejectReason().isEmpty()
                    ? "rejected" : result.rejectReason());
        };
    }

    private static boolean failed(BlockIndex index) {
        return (index.status() & org.jbitcoind.storage.BlockStatus.FAILED_MASK) != 0;
    }

    private JsonNode submitheader(RpcCall call) throws RpcException {
        BlockHeader header;
        try {
            byte[] raw = call.hex(0, "hexdata");
            if (raw.length != BlockHeader.SIZE) {
                throw new DecodeException("header is " + raw.length + " bytes");
            }
            header = BlockHeader.deserialize(raw);
        } catch (DecodeException e) {
            throw Args.error(RpcErrorCode.DESERIALIZATION_ERROR, "Block header decode failed");
        }
        ChainstateManager c = chain.get();
        if (c.getBlockIndex(header.prevBlock()).isEmpty()) {
            throw Args.error(RpcErrorCode.VERIFY_ERROR, "Must submit previous header (" + header.prevBlock() + ") first");
        }
        HeadersResult result = c.processNewBlockHeaders(List.of(header));
        if (result.rejectReason() != null && !result.rejectReason().isEmpty()) {
            throw Args.error(RpcErrorCode.VERIFY_ERROR, result.rejectReason());
        }
        return null;
    }

    private JsonNode getmininginfo(RpcCall call) {
        ChainstateManager c = chain.get();
        ChainView view = c.activeChain();
        BlockIndex tip = view.tip();
        ObjectNode o = RpcCall.json().objectNode();
        o.put("blocks", view.height());
        o.put("bits", String.format("%08x", tip.bits()));
        o.put("difficulty", BlockJson.difficulty(tip.bits()));
        o.put("target", BlockJson.target(tip.bits()));
        o.put("networkhashps", networkHashPs(120, -1));
        o.put("pooledtx", pooled.size());
        o.put("chain", network.id());
        long time = Math.max(tip.medianTimePast() + 1, System.currentTimeMillis() / 1000);
        long nextBits = Pow.getNextWorkRequired(tip,
                new BlockHeader(BlockMaker.VERSION, tip.hash(), Hash256.ZERO, time, 0, 0), c.params());
        ObjectNode next = o.putObject("next");
        next.put("height", tip.height() + 1);
        next.put("bits", String.format("%08x", nextBits));
        next.put("difficulty", BlockJson.difficulty(nextBits));
        next.put("target", BlockJson.target(nextBits));
        o.putArray("warnings");
        return o;
    }

    /** Core's GetNetworkHashPS: work done over the window divided by the time it spanned. */
    double networkHashPs(int lookup, int height) {
        ChainstateManager c = chain.get();
        ChainView view = c.activeChain();
        BlockIndex pb = height >= 0 && height < view.height() ? view.get(height) : view.tip();
        if (pb == null || pb.height() == 0) {
            return 0;
        }
        int n = lookup;
        if (n <= 0) {
            n = pb.height() % c.params().difficultyAdjustmentInterval() + 1;
        }
        if (n > pb.height()) {
            n = pb.height();
        }
        BlockIndex walk = pb;
        long minTime = pb.time();
        long maxTime = minTime;
        for (int i = 0; i < n; i++) {
            walk = walk.prev();
            minTime = Math.min(minTime, walk.time());
            maxTime = Math.max(maxTime, walk.time());
        }
        if (minTime == maxTime) {
            return 0;
        }
        BigInteger work = pb.chainWork().subtract(walk.chainWork());
        return work.doubleValue() / (maxTime - minTime);
    }
}
