package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON the way Bitcoin Core's UniValue does in pretty mode (bitcoin-cli's output, Core's "Wrong type
 * passed" messages): {@code "key": value}, one element per line, empty containers as "[\n]" / "{\n}",
 * decimals in plain notation, only quotes, backslashes and control characters escaped.
 */
public final class CoreJson {
    private CoreJson() {
    }

    public static String pretty(JsonNode node, int indent) {
        StringBuilder out = new StringBuilder();
        write(node, indent, 1, out);
        return out.toString();
    }

    private static void write(JsonNode node, int indent, int level, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            out.append("{\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                pad(indent, level, out);
                quote(field.getKey(), out);
                out.append(": ");
                write(field.getValue(), indent, level + 1, out);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            pad(indent, level - 1, out);
            out.append('}');
        } else if (node.isArray()) {
            out.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                pad(indent, level, out);
                write(node.get(i), indent, level + 1, out);
                out.append(i + 1 < node.size() ? ",\n" : "\n");
            }
            pad(indent, level - 1, out);
            out.append(']');
        } else if (node.isTextual()) {
            quote(node.textValue(), out);
        } else if (node.isBigDecimal()) {
            java.math.BigDecimal value = node.decimalValue();
            // Plain notation as Core prints amounts; an absurd exponent stays scientific rather than
            // expanding into millions of digits.
            out.append(Math.abs(value.scale()) <= 9999 ? value.toPlainString() : value.toString());
        } else {
            out.append(node.asText());
        }
    }

    private static void pad(int indent, int level, StringBuilder out) {
        out.append(" ".repeat(Math.max(0, indent * level)));
    }

    static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
