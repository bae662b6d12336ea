package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jbitcoind.node.rpc.JsonRpcRequest.Version;

/**
 * Turns an authenticated request body into an HTTP status and reply body, following Core's HTTPReq_JSONRPC
 * (Core 28 and later):
 * <ul>
 * <li>a legacy (1.0/1.1) request's errors come back with HTTP 500, or 400 for -32600 and 404 for -32601, with
 * both "result" and "error" members;</li>
 * <li>a "jsonrpc":"2.0" request's execution errors come back with HTTP 200 and only "error"; a 2.0 request
 * without id is a notification: executed, answered with 204 and no body;</li>
 * <li>a batch always answers 200 with one reply per non-notification element (204 if there are none);</li>
 * <li>malformed JSON is -32700 "Parse error", a body that is neither object nor array -32700 "Top-level object
 * parse error".</li>
 * </ul>
 */
final class JsonRpcDispatcher {

    /** What to send: {@code body} is null for 204. */
    record Reply(int status, String body) {
    }

    private final RpcRegistry registry;

    JsonRpcDispatcher(RpcRegistry registry) {
        this.registry = registry;
    }

    Reply handle(String body, String authUser) {
        JsonRpcRequest.Partial seen = new JsonRpcRequest.Partial();
        JsonNode value;
        try {
            value = Json.parse(body);
        } catch (JsonProcessingException e) {
            return errorReply(new RpcException(RpcErrorCode.PARSE_ERROR, "Parse error"), seen);
        }
        if (value.isObject()) {
            return single(value, authUser, seen);
        }
        if (value.isArray()) {
            return batch((ArrayNode) value, authUser);
        }
        return errorReply(new RpcException(RpcErrorCode.PARSE_ERROR, "Top-level object parse error"), seen);
    }

    private Reply single(JsonNode value, String authUser, JsonRpcRequest.Partial seen) {
        JsonRpcRequest request;
        try {
            request = JsonRpcRequest.parse(value, seen);
        } catch (RpcException e) {
            return errorReply(e, seen);
        }
        JsonNode result;
        try {
            result = registry.execute(request.method(), request.params(), authUser);
        } catch (RpcException e) {
            if (request.version() != Version.V2) {
                return errorReply(e, seen);
            }
            if (request.isNotification()) {
                return new Reply(204, null);
            }
            return new Reply(200, Json.write(replyObject(null, e, request.id(), request.version())) + "\n");
        }
        if (request.isNotification()) {
            return new Reply(204, null);
        }
        return new Reply(200, Json.write(replyObject(result, null, request.id(), request.version())) + "\n");
    }

    private Reply batch(ArrayNode elements, String authUser) {
        ArrayNode replies = Json.FACTORY.arrayNode();
        for (JsonNode element : elements) {
            JsonRpcRequest.Partial seen = new JsonRpcRequest.Partial();
            JsonRpcRequest request;
            try {
                request = JsonRpcRequest.parse(element, seen);
            } catch (RpcException e) {
                replies.add(replyObject(null, e, seen.id, seen.version));
                continue;
            }
            ObjectNode reply;
            try {
                reply = replyObject(registry.execute(request.method(), request.params(), authUser), null,
                        request.id(), request.version());
            } catch (RpcException e) {
                reply = replyObject(null, e, request.id(), request.version());
            }
            if (!request.isNotification()) {
                replies.add(reply);
            }
        }
        // An empty batch still gets "[]": it carries no version, so legacy clients expect an answer.
        if (!elements.isEmpty() && replies.isEmpty()) {
            return new Reply(204, null);
        }
        return new Reply(200, Json.write(replies) + "\n");
    }

    private static Reply errorReply(RpcException e, JsonRpcRequest.Partial seen) {
        int status = switch (e.code()) {
            case RpcErrorCode.INVALID_REQUEST -> 400;
            case RpcErrorCode.METHOD_NOT_FOUND -> 404;
            default -> 500;
        };
        return new Reply(status, Json.write(replyObject(null, e, seen.id, seen.version)) + "\n");
    }

    /** Core's JSONRPCReplyObj: 2.0 replies carry "jsonrpc" and omit the null member; 1.0 replies carry both. */
    static ObjectNode replyObject(JsonNode result, RpcException error, JsonNode id, Version version) {
        ObjectNode reply = Json.FACTORY.objectNode();
        if (version == Version.V2) {
            reply.put("jsonrpc", "2.0");
        }
        if (error == null) {
            reply.set("result", result == null ? NullNode.getInstance() : result);
            if (version == Version.V1_LEGACY) {
                reply.putNull("error");
            }
        } else {
            if (version == Version.V1_LEGACY) {
                reply.putNull("result");
            }
            ObjectNode err = reply.putObject("error");
            err.put("code", error.code());
            err.put("message", error.getMessage());
        }
        if (id != null) {
            reply.set("id", id);
        }
        return reply;
    }
}
