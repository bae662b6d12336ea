package org.jbitcoind.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The method table (Core's CRPCTable): registration, the warm-up gate, named-to-positional parameter mapping,
 * arity and type checks, and the list of commands in flight for {@code getrpcinfo}. Thread-safe: methods are
 * usually all registered before the server starts, but registering later is allowed.
 */
public final class RpcRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(RpcRegistry.class);

    /** A command being executed, as getrpcinfo reports it. */
    public record ActiveCommand(String method, long startNanos) {
    }

    /** Told about every executed call (metrics); must be fast and never throw. */
    @FunctionalInterface
    public interface CallListener {
        void called(String method, long nanos, boolean failed);
    }

    private final Map<String, RpcMethod> methods = new ConcurrentHashMap<>();
    private volatile CallListener listener = (method, nanos, failed) -> { };
    private final Map<Long, ActiveCommand> active = new ConcurrentHashMap<>();
    private final AtomicLong nextCommandId = new AtomicLong();
    private final Object warmupLock = new Object();
    private boolean inWarmup;
    private String warmupStatus = "RPC server started";

    public void register(RpcMethod method) {
        if (methods.putIfAbsent(method.name(), method) != null) {
            throw new IllegalStateException("RPC method registered twice: " + method.name());
        }
    }

    public void setCallListener(CallListener callListener) {
        this.listener = callListener;
    }

    public Optional<RpcMethod> method(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    public Collection<RpcMethod> methods() {
        return List.copyOf(methods.values());
    }

    /**
     * Puts the server in warm-up: every call fails with -28 and this status as message until
     * {@link #setWarmupFinished()}. Core's statuses: "Loading block index…", "Verifying blocks…", ...
     */
    public void setWarmupStatus(String status) {
        synchronized (warmupLock) {
            inWarmup = true;
            warmupStatus = status;
        }
    }

    public void setWarmupFinished() {
        synchronized (warmupLock) {
            inWarmup = false;
        }
    }

    /** The warm-up message while warming up, empty once finished. */
    public Optional<String> warmupStatus() {
        synchronized (warmupLock) {
            return inWarmup ? Optional.of(warmupStatus) : Optional.empty();
        }
    }

    /** Commands executing now, oldest first. */
    public List<ActiveCommand> activeCommands() {
        List<ActiveCommand> list = new ArrayList<>(active.values());
        list.sort(Comparator.comparingLong(ActiveCommand::startNanos));
        return list;
    }

    /**
     * Runs a method with its request parameters (a JSON array, a JSON object of named parameters, or null).
     *
     * @throws RpcException the error the caller gets, with Core's code and message
     */
    public JsonNode execute(String name, JsonNode params, String authUser) throws RpcException {
        Optional<String> warmup = warmupStatus();
        if (warmup.isPresent()) {
            throw new RpcException(RpcErrorCode.IN_WARMUP, warmup.get());
        }
        RpcMethod method = methods.get(name);
        if (method == null) {
            throw new RpcException(RpcErrorCode.METHOD_NOT_FOUND, "Method not found");
        }
        ArrayNode positional = params != null && params.isObject()
                ? namedToPositional((ObjectNode) params, method.args())
                : params != null && params.isArray() ? (ArrayNode) params : Json.FACTORY.arrayNode();
        checkArguments(method, positional);

        long id = nextCommandId.incrementAndGet();
        long start = System.nanoTime();
        active.put(id, new ActiveCommand(name, start));
        boolean failed = true;
        try {
            JsonNode result = method.handler().handle(new RpcCall(name, positional, authUser));
            failed = false;
            return result == null ? NullNode.getInstance() : result;
        } catch (RpcException e) {
            throw e;
        } catch (RuntimeException e) {
            // Core turns any std::exception out of a handler into RPC_MISC_ERROR with its text.
            LOG.debug("RPC {} failed", name, e);
            throw new RpcException(RpcErrorCode.MISC_ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            active.remove(id);
            listener.called(name, System.nanoTime() - start, failed);
        }
    }

    /**
     * Core's transformNamedArguments: each declared argument takes the named value matching one of its names;
     * gaps before a given argument become nulls, trailing gaps are dropped; an "args" array supplies leading
     * positional values; any leftover name is an error.
     */
    static ArrayNode namedToPositional(ObjectNode named, List<RpcArg> declared) throws RpcException {
        Map<String, JsonNode> remaining = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : named.properties()) {
            remaining.put(field.getKey(), field.getValue());
        }
        ArrayNode out = Json.FACTORY.arrayNode();
        int hole = 0;
        int initialHole = 0;
        String firstGiven = null;
        for (RpcArg arg : declared) {
            String found = null;
            for (String candidate : arg.names()) {
                if (remaining.containsKey(candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found != null) {
                for (int i = 0; i < hole; i++) {
                    out.addNull();
                }
                hole = 0;
                if (firstGiven == null) {
                    firstGiven = arg.name();
                }
                out.add(remaining.remove(found));
            } else {
                hole++;
                if (out.isEmpty()) {
                    initialHole = hole;
                }
            }
        }
        JsonNode positionalArgs = remaining.get("args");
        if (positionalArgs != null && positionalArgs.isArray()) {
            remaining.remove("args");
            if (firstGiven != null && initialHole < positionalArgs.size()) {
                throw new RpcException(RpcErrorCode.INVALID_PARAMETER,
                        "Parameter " + firstGiven + " specified twice both as positional and named argument");
            }
            ArrayNode merged = Json.FACTORY.arrayNode();
            merged.addAll((ArrayNode) positionalArgs);
            for (int i = merged.size(); i < out.size(); i++) {
                merged.add(out.get(i));
            }
            out = merged;
        }
        if (!remaining.isEmpty()) {
            throw new RpcException(RpcErrorCode.INVALID_PARAMETER,
                    "Unknown named parameter " + remaining.keySet().iterator().next());
        }
        return out;
    }

    /** Core's RPCHelpMan checks: arity (the help text as a -1 error) then each declared type (-3). */
    private static void checkArguments(RpcMethod method, ArrayNode params) throws RpcException {
        if (params.size() < method.requiredArgs() || params.size() > method.args().size()) {
            throw new RpcException(RpcErrorCode.MISC_ERROR, method.helpText());
        }
        Map<String, String> mismatches = new LinkedHashMap<>();
        for (int i = 0; i < method.args().size(); i++) {
            RpcArg arg = method.args().get(i);
            JsonNode value = i < params.size() ? params.get(i) : NullNode.getInstance();
            if (arg.optional() && value.isNull()) {
                continue;
            }
            Optional<String> expected = arg.type().expectedJsonType();
            String actual = RpcArgType.jsonTypeName(value);
            if (expected.isPresent() && !expected.get().equals(actual)) {
                mismatches.put("Position " + (i + 1) + " (" + arg.name() + ")",
                        "JSON value of type " + actual + " is not of expected type " + expected.get());
            }
        }
        if (!mismatches.isEmpty()) {
            ObjectNode detail = Json.FACTORY.objectNode();
            mismatches.forEach(detail::put);
            throw new RpcException(RpcErrorCode.TYPE_ERROR, "Wrong type passed:\n" + CoreJson.pretty(detail, 4));
        }
    }

    /**
     * Core's CRPCTable::help: with no command, the first line of every non-hidden method grouped under
     * "== Category ==" headers (sorted by category, then name); with a command, its full help text.
     */
    public String help(String command) {
        List<RpcMethod> sorted = new ArrayList<>(methods.values());
        sorted.sort(Comparator.comparing((RpcMethod m) -> m.category() + m.name()));
        StringBuilder out = new StringBuilder();
        String category = null;
        for (RpcMethod method : sorted) {
            boolean wanted = command.isEmpty() ? !method.category().equals("hidden") : method.name().equals(command);
            if (!wanted) {
                continue;
            }
            if (command.isEmpty()) {
                if (!method.category().equals(category)) {
                    if (category != null) {
                        out.append('\n');
                    }
                    category = method.category();
                    out.append("== ").append(capitalize(category)).append(" ==\n");
                }
                out.append(method.signature()).append('\n');
            } else {
                out.append(method.helpText()).append('\n');
            }
        }
        if (out.length() == 0) {
            out.append("help: unknown command: ").append(command).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private static String capitalize(String category) {
        return category.isEmpty() ? category : Character.toUpperCase(category.charAt(0)) + category.substring(1);
    }
}
