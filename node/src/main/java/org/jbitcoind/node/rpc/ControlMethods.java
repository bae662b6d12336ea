package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Core's "control" category: help, stop, uptime, getrpcinfo, logging.
 */
public final class ControlMethods {
    /** stop's reply, as Core's "Bitcoin Core stopping". */
    public static final String STOPPING = "jbitcoind stopping";
    private static final long MAX_STOP_WAIT_MS = 60_000;

    private final RpcRegistry registry;
    private final Runnable requestShutdown;
    private final LoggingControl logging;
    private final Clock clock;
    private final Instant started;

    /**
     * @param requestShutdown asks the daemon to shut down; it runs on an RPC worker and must only signal (for
     *                        example release a latch the main thread waits on), never stop the RPC server itself
     *                        and wait
     */
    private ControlMethods(RpcRegistry registry, Runnable requestShutdown, LoggingControl logging, Clock clock) {
        this.registry = registry;
        this.requestShutdown = requestShutdown;
        this.logging = logging;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Registers the control methods; uptime counts from now. */
    public static void register(RpcRegistry registry, Runnable requestShutdown, LoggingControl logging, Clock clock) {
        ControlMethods m = new ControlMethods(registry, requestShutdown, logging, clock);
        registry.register(new RpcMethod("help", "control",
                List.of(RpcArg.optional("command", RpcArgType.STR, "all commands",
                        "The command to get help on")),
                "List all commands, or get help for a specified command.",
                "\"str\"    (string) The help text", m::help));
        registry.register(new RpcMethod("stop", "control",
                List.of(RpcArg.hidden("wait", RpcArgType.NUM, "how long to wait in ms")),
                "Request a graceful shutdown of jbitcoind.",
                "\"str\"    (string) A string with the content '" + STOPPING + "'", m::stop));
        registry.register(new RpcMethod("uptime", "control", List.of(),
                "Returns the total uptime of the server.",
                "n    (numeric) The number of seconds that the server has been running", m::uptime));
        registry.register(new RpcMethod("getrpcinfo", "control", List.of(),
                "Returns details of the RPC server.",
                "{                          (json object)\n"
                        + "  \"active_commands\" : [   (json array) All active commands\n"
                        + "    {                      (json object) Information about an active command\n"
                        + "      \"method\" : \"str\",    (string) The name of the RPC command\n"
                        + "      \"duration\" : n       (numeric) The running time in microseconds\n"
                        + "    },\n"
                        + "    ...\n"
                        + "  ],\n"
                        + "  \"logpath\" : \"str\"       (string) The complete file path to the debug log\n"
                        + "}",
                m::getrpcinfo));
        registry.register(new RpcMethod("logging", "control",
                List.of(
                        RpcArg.optional("include", RpcArgType.ARR, null,
                                "The categories to add to debug logging (\"all\" or \"1\" for every category)"),
                        RpcArg.optional("exclude", RpcArgType.ARR, null,
                                "The categories to remove from debug logging")),
                "Gets and sets the logging configuration.\n"
                        + "When called without an argument, returns the list of categories with status that are"
                        + " currently being debug logged or not.\n"
                        + "When called with arguments, adds or removes categories from debug logging and returns"
                        + " the lists above.\n"
                        + "The valid logging categories are: " + String.join(", ", logging.categories().keySet()),
                "{                   (json object) keys are the logging categories, and values indicates its status\n"
                        + "  \"category\" : true|false,  (boolean) if being debug logged or not."
                        + " false:inactive, true:active\n"
                        + "  ...\n"
                        + "}",
                m::logging));
    }

    private JsonNode help(RpcCall call) throws RpcException {
        String command = call.isNull(0) ? "" : call.string(0);
        return RpcCall.json().textNode(registry.help(command));
    }

    private JsonNode stop(RpcCall call) throws RpcException {
        requestShutdown.run();
        long waitMs = Math.min(Math.max(call.longOr(0, 0), 0), MAX_STOP_WAIT_MS);
        if (waitMs > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return RpcCall.json().textNode(STOPPING);
    }

    private JsonNode uptime(RpcCall call) {
        return RpcCall.json().numberNode(clock.instant().getEpochSecond() - started.getEpochSecond());
    }

    private JsonNode getrpcinfo(RpcCall call) {
        ObjectNode info = RpcCall.json().objectNode();
        ArrayNode commands = info.putArray("active_commands");
        long now = System.nanoTime();
        for (RpcRegistry.ActiveCommand command : registry.activeCommands()) {
            ObjectNode entry = commands.addObject();
            entry.put("method", command.method());
            entry.put("duration", TimeUnit.NANOSECONDS.toMicros(now - command.startNanos()));
        }
        info.put("logpath", logging.logFile().toAbsolutePath().toString());
        return info;
    }

    private JsonNode logging(RpcCall call) throws RpcException {
        changeCategories(call.param(0), true);
        changeCategories(call.param(1), false);
        ObjectNode result = RpcCall.json().objectNode();
        logging.categories().forEach(result::put);
        return result;
    }

    private void changeCategories(JsonNode categories, boolean enable) throws RpcException {
        if (!categories.isArray()) {
            return;
        }
        for (JsonNode category : categories) {
            String name = category.asText();
            boolean known = enable ? logging.enable(name) : logging.disable(name);
            if (!known) {
                throw new RpcException(RpcErrorCode.INVALID_PARAMETER, "unknown logging category " + name);
            }
        }
    }
}
