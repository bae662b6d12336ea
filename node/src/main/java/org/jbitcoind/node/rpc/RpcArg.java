package org.jbitcoind.node.rpc;

import java.util.List;

/**
 * One declared argument of an RPC method. {@code name} may list alternatives separated by '|' (as Core's
 * "verbosity|verbose"); a named parameter matching any of them fills this position. Hidden arguments are
 * accepted but left out of the help text (Core's test-only arguments such as stop's "wait").
 */
public record RpcArg(String name, RpcArgType type, boolean optional, String defaultHint, String description,
        boolean hidden) {

    public RpcArg {
        if (name == null || name.isEmpty() || type == null || description == null) {
            throw new IllegalArgumentException("argument needs a name, type and description");
        }
    }

    public static RpcArg required(String name, RpcArgType type, String description) {
        return new RpcArg(name, type, false, null, description, false);
    }

    /** An optional argument; {@code defaultHint} is shown as "default=..." in help, or null for none. */
    public static RpcArg optional(String name, RpcArgType type, String defaultHint, String description) {
        return new RpcArg(name, type, true, defaultHint, description, false);
    }

    public static RpcArg hidden(String name, RpcArgType type, String description) {
        return new RpcArg(name, type, true, null, description, true);
    }

    /** Every name this argument answers to. */
    public List<String> names() {
        return List.of(name.split("\\|"));
    }

    public String firstName() {
        return names().get(0);
    }

    /** The form used in a method's one-line signature: strings quoted, containers as placeholders. */
    String signatureForm() {
        switch (type) {
            case STR:
            case STR_HEX:
                return '"' + firstName() + '"';
            case OBJ:
                return "{...}";
            case ARR:
                return "[...]";
            default:
                return firstName();
        }
    }
}
