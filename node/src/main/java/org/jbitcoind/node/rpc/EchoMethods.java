package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Core's hidden test methods {@code echo} and {@code echojson}: they return their arguments, so scripts can
 * check how a client sends values. They differ only on the client side (jbitcoin-cli parses echojson's
 * arguments as JSON).
 */
public final class EchoMethods {
    private EchoMethods() {
    }

    public static void register(RpcRegistry registry) {
        List<RpcArg> args = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            args.add(RpcArg.optional("arg" + i, RpcArgType.ANY, null, "any value"));
        }
        String description = "Simply echo back the input arguments. This command is for testing.\n\n"
                + "The difference between echo and echojson is that echojson has argument conversion enabled in the"
                + " client-side table in jbitcoin-cli. There is no server-side difference.";
        String result = "any    (any) the arguments, as an array";
        registry.register(new RpcMethod("echo", "hidden", args, description, result, EchoMethods::echo));
        registry.register(new RpcMethod("echojson", "hidden", args, description, result, EchoMethods::echo));
    }

    private static JsonNode echo(RpcCall call) {
        ArrayNode out = RpcCall.json().arrayNode();
        for (int i = 0; i < call.size(); i++) {
            out.add(call.param(i));
        }
        return out;
    }
}
