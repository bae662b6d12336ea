package org.jbitcoind.node.rpc;

import java.util.List;

/**
 * A registered RPC method: Core's CRPCCommand plus the RPCHelpMan facts the server needs (argument names for
 * named parameters, arity and types for checking, text for {@code help}).
 *
 * @param category  Core's category ("control", "blockchain", "network", ...); "hidden" keeps it out of the
 *                  help listing
 * @param result    the "Result:" section of the help text
 */
public record RpcMethod(String name, String category, List<RpcArg> args, String description, String result,
        RpcHandler handler) {

    public RpcMethod {
        if (name == null || name.isEmpty() || category == null || description == null || handler == null) {
            throw new IllegalArgumentException("method needs a name, category, description and handler");
        }
        args = List.copyOf(args);
        result = result == null ? "null    (json null)" : result;
        boolean seenOptional = false;
        for (RpcArg arg : args) {
            if (seenOptional && !arg.optional()) {
                throw new IllegalArgumentException(name + ": required argument " + arg.name() + " after an optional one");
            }
            seenOptional |= arg.optional();
        }
    }

    /** How many leading arguments a call must supply. */
    public int requiredArgs() {
        int required = 0;
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).optional()) {
                required = i + 1;
            }
        }
        return required;
    }

    /** The first line of the help text, e.g. {@code getblock "blockhash" ( verbosity )}. */
    public String signature() {
        StringBuilder line = new StringBuilder(name);
        boolean inOptional = false;
        for (RpcArg arg : args) {
            if (arg.hidden()) {
                break;
            }
            line.append(' ');
            if (arg.optional() && !inOptional) {
                line.append("( ");
                inOptional = true;
            }
            line.append(arg.signatureForm());
        }
        if (inOptional) {
            line.append(" )");
        }
        return line.toString();
    }

    /** The full text {@code help <name>} returns. */
    public String helpText() {
        StringBuilder text = new StringBuilder(signature()).append("\n\n").append(description.strip()).append('\n');
        List<RpcArg> shown = args.stream().filter(a -> !a.hidden()).toList();
        if (!shown.isEmpty()) {
            text.append("\nArguments:\n");
            int position = 1;
            for (RpcArg arg : shown) {
                text.append(position++).append(". ").append(arg.firstName()).append("    (")
                        .append(arg.type().helpName()).append(", ");
                if (arg.optional()) {
                    text.append("optional");
                    if (arg.defaultHint() != null) {
                        text.append(", default=").append(arg.defaultHint());
                    }
                } else {
                    text.append("required");
                }
                text.append(") ").append(arg.description()).append('\n');
            }
        }
        text.append("\nResult:\n").append(result.strip()).append('\n');
        text.append("\nExamples:\n> jbitcoin-cli ").append(name).append('\n');
        return text.toString();
    }
}
