package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One invocation of a method as its handler sees it: named parameters already mapped to positions, arity and
 * declared types already checked by {@link RpcRegistry}. Absent trailing parameters read as JSON null.
 */
public final class RpcCall {
    private final String method;
    private final ArrayNode params;
    private final String authUser;

    public RpcCall(String method, ArrayNode params, String authUser) {
        this.method = method;
        this.params = params;
        this.authUser = authUser;
    }

    public String method() {
        return method;
    }

    /** The user the request authenticated as ("__cookie__" for cookie auth). */
    public String authUser() {
        return authUser;
    }

    public int size() {
        return params.size();
    }

    /** The parameter at {@code index}, or JSON null when absent. */
    public JsonNode param(int index) {
        JsonNode value = index < params.size() ? params.get(index) : null;
        return value == null ? NullNode.getInstance() : value;
    }

    public boolean isNull(int index) {
        return param(index).isNull();
    }

    public String string(int index) throws RpcException {
        JsonNode value = param(index);
        if (!value.isTextual()) {
            throw typeError(value, "string");
        }
        return value.textValue();
    }

    public long longOr(int index, long fallback) throws RpcException {
        JsonNode value = param(index);
        if (value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw typeError(value, "number");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            // Core's UniValue::getInt reports fractions and overflow alike, as a plain runtime error.
            throw new RpcException(RpcErrorCode.MISC_ERROR, "JSON integer out of range");
        }
        return value.longValue();
    }

    public boolean boolOr(int index, boolean fallback) throws RpcException {
        JsonNode value = param(index);
        if (value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw typeError(value, "bool");
        }
        return value.booleanValue();
    }

    /** Core's UniValue::type_error, which its RPC layer reports as -3. */
    private static RpcException typeError(JsonNode value, String expected) {
        return new RpcException(RpcErrorCode.TYPE_ERROR,
                "JSON value of type " + RpcArgType.jsonTypeName(value) + " is not of expected type " + expected);
    }

    /** Factory for building results. */
    public static JsonNodeFactory json() {
        return Json.FACTORY;
    }
}
