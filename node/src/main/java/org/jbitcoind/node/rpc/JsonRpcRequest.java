package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One parsed request object (Core's JSONRPCRequest::parse).
 *
 * @param id      the request's id; {@code null} when the request had no "id" member
 * @param version {@link Version#V2} only when "jsonrpc" is "2.0"
 * @param params  a JSON array or object
 */
record JsonRpcRequest(JsonNode id, Version version, String method, JsonNode params) {

    enum Version { V1_LEGACY, V2 }

    /** A JSON-RPC 2.0 request without an id: executed, never answered. */
    boolean isNotification() {
        return id == null && version == Version.V2;
    }

    /** The part of a request read before a parse error, so the error reply can echo id and version. */
    static final class Partial {
        JsonNode id = NullNode.getInstance();
        Version version = Version.V1_LEGACY;
    }

    static JsonRpcRequest parse(JsonNode value, Partial seen) throws RpcException {
        if (!value.isObject()) {
            throw new RpcException(RpcErrorCode.INVALID_REQUEST, "Invalid Request object");
        }
        JsonNode id = value.get("id");
        seen.id = id;
        Version version = Version.V1_LEGACY;
        JsonNode jsonrpc = value.get("jsonrpc");
        if (jsonrpc != null && !jsonrpc.isNull()) {
            if (!jsonrpc.isTextual()) {
                throw new RpcException(RpcErrorCode.INVALID_REQUEST, "jsonrpc field must be a string");
            }
            // Some old documentation put "1.0" here; Core keeps accepting it as the legacy form.
            switch (jsonrpc.textValue()) {
                case "1.0" -> version = Version.V1_LEGACY;
                case "2.0" -> version = Version.V2;
                default -> throw new RpcException(RpcErrorCode.INVALID_REQUEST, "JSON-RPC version not supported");
            }
        }
        seen.version = version;
        JsonNode method = value.get("method");
        if (method == null || method.isNull()) {
            throw new RpcException(RpcErrorCode.INVALID_REQUEST, "Missing method");
        }
        if (!method.isTextual()) {
            throw new RpcException(RpcErrorCode.INVALID_REQUEST, "Method must be a string");
        }
        JsonNode params = value.get("params");
        if (params == null || params.isNull()) {
            params = Json.FACTORY.arrayNode();
        } else if (!params.isArray() && !params.isObject()) {
            throw new RpcException(RpcErrorCode.INVALID_REQUEST, "Params must be an array or object");
        }
        return new JsonRpcRequest(id, version, method.textValue(), params);
    }
}
