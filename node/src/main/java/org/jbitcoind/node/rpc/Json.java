package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one Jackson setup for RPC: decimals kept exactly as written (amounts such as 0.00010000 keep their
 * scale, as UniValue keeps the number's text), and nesting bounded so a hostile body cannot exhaust the stack.
 */
public final class Json {
    public static final JsonNodeFactory FACTORY = JsonNodeFactory.instance;

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(FACTORY)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(512).build());
    }

    private Json() {
    }

    /** Parses one JSON value; trailing content or malformed text is an error. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new JsonProcessingException("no JSON value") {
            };
        }
        return node;
    }

    /** Compact single-line form, as the server sends replies; decimals plain (0.00010000, never 1.0E-4). */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException plainFailed) {
            // Only a decimal with an exponent beyond +-9999 (say, an echoed 1e100000) cannot be written plain;
            // scientific notation is still valid JSON for it.
            try {
                return MAPPER.writer().without(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize JSON tree", e);
            }
        }
    }
}
