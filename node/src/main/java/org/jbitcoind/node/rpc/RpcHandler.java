package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** The body of an RPC method: positional parameters in, a JSON result out. */
@FunctionalInterface
public interface RpcHandler {
    /**
     * @return the result; {@code null} is sent as JSON null
     * @throws RpcException with Core's code and message for any failure the caller should see
     */
    JsonNode handle(RpcCall call) throws RpcException;
}
