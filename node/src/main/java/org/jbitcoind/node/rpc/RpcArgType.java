package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The declared type of a method argument, as Bitcoin Core's RPCArg::Type. It drives the server's type check
 * ("Wrong type passed") and the help text; AMOUNT, RANGE and ANY accept several JSON types and are checked by
 * the handler itself, as in Core.
 */
public enum RpcArgType {
    STR("string", "string"),
    STR_HEX("string", "string"),
    NUM("numeric", "number"),
    BOOL("boolean", "bool"),
    OBJ("json object", "object"),
    ARR("json array", "array"),
    AMOUNT("numeric or string", null),
    RANGE("numeric or array", null),
    ANY("any", null);

    private final String helpName;
    private final String jsonType;

    RpcArgType(String helpName, String jsonType) {
        this.helpName = helpName;
        this.jsonType = jsonType;
    }

    /** The word Core's help text uses for this type. */
    public String helpName() {
        return helpName;
    }

    /** The single JSON type a value must have, when there is one. */
    public Optional<String> expectedJsonType() {
        return Optional.ofNullable(jsonType);
    }

    /** Core's names for JSON value types (UniValue's uvTypeName). */
    public static String jsonTypeName(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        return value.isNumber() ? "number" : "null";
    }
}
