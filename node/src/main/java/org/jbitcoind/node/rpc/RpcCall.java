package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;

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

    /**
     * A block or transaction hash in display hex (Core's ParseHashV).
     *
     * @param name the parameter's name for the error message, e.g. "blockhash"
     */
    public Hash256 hash(int index, String name) throws RpcException {
        String hex = string(index);
        if (hex.length() != 2 * Hash256.LENGTH) {
            throw new RpcException(RpcErrorCode.INVALID_PARAMETER, name + " must be of length " + 2 * Hash256.LENGTH
                    + " (not " + hex.length() + ", for '" + hex + "')");
        }
        if (!Hex.isHex(hex)) {
            throw new RpcException(RpcErrorCode.INVALID_PARAMETER,
                    name + " must be hexadecimal string (not '" + hex + "')");
        }
        return Hash256.fromHex(hex);
    }

    /** Hex-encoded bytes (Core's ParseHexV). */
    public byte[] hex(int index, String name) throws RpcException {
        String hex = string(index);
        if (!Hex.isHex(hex)) {
            throw new RpcException(RpcErrorCode.INVALID_PARAMETER,
                    name + " must be hexadecimal string (not '" + hex + "')");
        }
        return Hex.decode(hex);
    }

    /**
     * An amount in BTC, as a JSON number or string, converted to satoshis (Core's AmountFromValue): at most 8
     * decimals and within the money range, else -3.
     */
    public long amount(int index) throws RpcException {
        JsonNode value = param(index);
        if (!value.isNumber() && !value.isTextual()) {
            throw new RpcException(RpcErrorCode.TYPE_ERROR, "Amount is not a number or string");
        }
        long satoshis;
        try {
            BigDecimal btc = value.isTextual() ? new BigDecimal(value.textValue().strip()) : value.decimalValue();
            // Core's ParseFixedPoint refuses anything that is not a whole number of satoshis below 10^18.
            satoshis = btc.movePointRight(8).longValueExact();
            if (Math.abs(satoshis) >= 1_000_000_000_000_000_000L) {
                throw new ArithmeticException("too large");
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RpcException(RpcErrorCode.TYPE_ERROR, "Invalid amount");
        }
        if (!Consensus.moneyRange(satoshis)) {
            throw new RpcException(RpcErrorCode.TYPE_ERROR, "Amount out of range");
        }
        return satoshis;
    }

    /** A satoshi amount as Core prints it: BTC with exactly 8 decimals (Core's ValueFromAmount). */
    public static JsonNode amountValue(long satoshis) {
        return Json.FACTORY.numberNode(BigDecimal.valueOf(satoshis, 8));
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
