package org.jbitcoind.node.rpc.methods;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.function.Supplier;
import org.jbitcoind.chain.index.BlockIndex;
import org.jbitcoind.chain.state.ChainstateManager;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.protocol.crypto.Hash256;

/** Parameter helpers shared by the method groups, with Core's error messages. */
final class Args {
    private Args() {
    }

    static RpcException error(int code, String message) {
        return new RpcException(code, message);
    }

    /** A verbosity given as a number or, as Core still accepts, a boolean. */
    static int verbosity(RpcCall call, int index, int fallback) throws RpcException {
        JsonNode v = call.param(index);
        if (v.isNull()) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? 1 : 0;
        }
        return (int) call.longOr(index, fallback);
    }

    static BlockIndex block(Supplier<ChainstateManager> chain, RpcCall call, int index) throws RpcException {
        Hash256 hash = call.hash(index, "blockhash");
        Optional<BlockIndex> found = chain.get().getBlockIndex(hash);
        if (found.isEmpty()) {
            throw error(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found");
        }
        return found.get();
    }

    static int intIn(RpcCall call, int index, long fallback) throws RpcException {
        long v = call.longOr(index, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error(RpcErrorCode.MISC_ERROR, "JSON integer out of range");
        }
        return (int) v;
    }
}
