package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed bodies always produce a well-formed JSON-RPC error, never an exception or a hang. */
class JsonRpcDispatcherTest {
    private static final JsonRpcDispatcher DISPATCHER = dispatcher();

    private static JsonRpcDispatcher dispatcher() {
        RpcRegistry registry = new RpcRegistry();
        registry.register(new RpcMethod("echo", "test", List.of(RpcArg.optional("a", RpcArgType.ANY, null, "any")),
                "Echo.", null, call -> call.param(0)));
        return new JsonRpcDispatcher(registry);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty body           | ''                                          | 500 | -32700",
        "whitespace           | '   '                                       | 500 | -32700",
        "unterminated         | '{\"method\":\"echo\"'                      | 500 | -32700",
        "trailing garbage     | '{\"method\":\"echo\"} x'                   | 500 | -32700",
        "two objects          | '{\"method\":\"echo\"}{\"method\":\"echo\"}' | 500 | -32700",
        "single quotes        | '{''method'':''echo''}'                     | 500 | -32700",
        "string body          | '\"echo\"'                                  | 500 | -32700",
        "null body            | 'null'                                      | 500 | -32700",
        "deep nesting         | DEEP                                        | 500 | -32700",
        "lone surrogate       | '{\"method\":\"\\ud800\"}'                  | 404 | -32601",
        "nul in method        | '{\"method\":\"ec\\u0000ho\"}'              | 404 | -32601",
        "method object        | '{\"method\":{}}'                           | 400 | -32600",
        "params string        | '{\"method\":\"echo\",\"params\":\"x\"}'   | 400 | -32600",
        "huge exponent echoed | '{\"method\":\"echo\",\"params\":[1e400]}' | 200 | 0",
        "exponent echoed far  | '{\"method\":\"echo\",\"params\":[1e100000]}' | 200 | 0",
        "exponent echoed huge | '{\"method\":\"echo\",\"params\":[1e999999999]}' | 200 | 0",
    })
    void malformedBodiesGetErrors(String name, String body, int status, int code) throws Exception {
        String text = body.equals("DEEP") ? "[".repeat(100_000) + "]".repeat(100_000) : body;
        JsonRpcDispatcher.Reply reply = DISPATCHER.handle(text, "u");
        assertEquals(status, reply.status(), name);
        JsonNode json = Json.parse(reply.body());
        if (code != 0) {
            assertEquals(code, json.get("error").get("code").asInt(), name);
        } else {
            String expected = name.endsWith("far") ? "1E+100000" : name.endsWith("huge") ? "1E+999999999" : "1E+400";
            assertEquals(0, new BigDecimal(expected).compareTo(json.get("result").decimalValue()), name);
        }
    }
}
