package org.jbitcoind.node.rpc.methods;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jbitcoind.chain.filterindex.BlockFilterIndex;
import org.jbitcoind.chain.filterindex.FilterEntry;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.node.rpc.RpcArg;
import org.jbitcoind.node.rpc.RpcArgType;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.storage.BlockStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code getblockfilter "blockhash" ( "filtertype" )}: a block's BIP158 filter and filter header
 * from the filter index (-blockfilterindex), with Core's errors.
 */
public final class BlockFilterMethods {
    /** How long a call waits for the index to reach the tip (Core's BlockUntilSyncedToCurrentChain). */
    static final Duration SYNC_WAIT = Duration.ofSeconds(2);

    private final Supplier<ChainstateManager> chain;
    private final Supplier<Optional<BlockFilterIndex>> index;

    private BlockFilterMethods(Supplier<ChainstateManager> chain, Supplier<Optional<BlockFilterIndex>> index) {
        this.chain = chain;
        this.index = index;
    }

    /**
     * @param chain the chain state (valid once the chain service has started)
     * @param index the filter index, empty when -blockfilterindex is off
     */
    public static void register(RpcRegistry registry, Supplier<ChainstateManager> chain,
            Supplier<Optional<BlockFilterIndex>> index) {
        BlockFilterMethods m = new BlockFilterMethods(chain, index);
        registry.register(new RpcMethod("getblockfilter", "blockchain",
                List.of(RpcArg.required("blockhash", RpcArgType.STR_HEX, "The hash of the block"),
                        RpcArg.optional("filtertype", RpcArgType.STR, "basic", "The type name of the filter")),
                "Retrieve a BIP 157 content filter for a particular block.",
                "{\n  \"filter\" : \"hex\",    (string) the hex-encoded filter data\n"
                        + "  \"header\" : \"hex\"     (string) the hex-encoded filter header\n}",
                m::getblockfilter));
    }

    private JsonNode getblockfilter(RpcCall call) throws RpcException {
        Hash256 hash = call.hash(0, "blockhash");
        String type = call.isNull(1) ? "basic" : call.string(1);
        if (!type.equals("basic")) {
            throw new RpcException(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Unknown filtertype");
        }
        BlockFilterIndex idx = index.get().orElseThrow(() -> new RpcException(RpcErrorCode.MISC_ERROR,
                "Index is not enabled for filtertype basic"));
        BlockIndex block = chain.get().getBlockIndex(hash).orElseThrow(() -> new RpcException(
                RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found"));
        boolean connected = block.isValid(BlockStatus.VALID_SCRIPTS);
        Optional<FilterEntry> entry = idx.entry(hash);
        if (entry.isEmpty()) {
            // A block connected a moment ago may still be on its way into the index; while the
            // index is catching up there is nothing to wait for (Core's BlockUntilSyncedToCurrentChain).
            boolean ready = idx.hasCaughtUp() && awaitSynced(idx);
            entry = idx.entry(hash);
            if (entry.isEmpty()) {
                throw notFound(connected, ready);
            }
        }
        ObjectNode out = RpcCall.json().objectNode();
        out.put("filter", Hex.encode(entry.get().filter()));
        out.put("header", entry.get().header().toString());
        return out;
    }

    private static boolean awaitSynced(BlockFilterIndex idx) throws RpcException {
        try {
            return idx.awaitSynced(SYNC_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(RpcErrorCode.MISC_ERROR, "interrupted");
        }
    }

    /** Core's three reasons, from the most to the least likely. */
    private static RpcException notFound(boolean connected, boolean ready) {
        if (!connected) {
            return new RpcException(RpcErrorCode.INVALID_ADDRESS_OR_KEY,
                    "Filter not found. Block was not connected to active chain.");
        }
        if (!ready) {
            return new RpcException(RpcErrorCode.MISC_ERROR,
                    "Filter not found. Block filters are still in the process of being indexed.");
        }
        return new RpcException(RpcErrorCode.INTERNAL_ERROR,
                "Filter not found. This error is unexpected and indicates index corruption.");
    }
}
