package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlMethodsTest {
    private final AtomicInteger shutdowns = new AtomicInteger();
    private final List<String> changes = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private RpcRegistry registry;

    @BeforeEach
    void setUp() {
        registry = new RpcRegistry();
        registry.register(new RpcMethod("getblockcount", "blockchain", List.of(), "Returns the height.",
                "n    (numeric) The current block count", call -> RpcCall.json().numberNode(0)));
        registry.register(new RpcMethod("secret", "hidden", List.of(), "Not listed.", null, call -> null));
        ControlMethods.register(registry, shutdowns::incrementAndGet,
                new LogCategories(List.of("net", "mempool", "rpc"), Path.of("/tmp/jb/debug.log"),
                        (c, on) -> changes.add(c + "=" + on)),
                clock);
    }

    private JsonNode call(String method, String paramsJson) throws Exception {
        return registry.execute(method, Json.parse(paramsJson), "tester");
    }

    @Test
    void helpListsByCategoryWithoutHidden() throws Exception {
        String help = call("help", "[]").asText();
        assertEquals("== Blockchain ==\ngetblockcount\n\n== Control ==\ngetrpcinfo\nhelp ( \"command\" )\n"
                + "logging ( [...] [...] )\nstop\nuptime", help);
    }

    @Test
    void helpForOneCommand() throws Exception {
        String help = call("help", "[\"getblockcount\"]").asText();
        assertTrue(help.startsWith("getblockcount\n\nReturns the height.\n\nResult:\nn    (numeric)"), help);
        assertTrue(call("help", "[\"secret\"]").asText().startsWith("secret\n"));
        assertEquals("help: unknown command: nosuch", call("help", "[\"nosuch\"]").asText());
        String logging = call("help", "[\"logging\"]").asText();
        assertTrue(logging.contains("\nArguments:\n1. include    (json array, optional)"), logging);
    }

    @Test
    void stopRequestsShutdown() throws Exception {
        assertEquals("jbitcoind stopping", call("stop", "[]").asText());
        assertEquals(1, shutdowns.get());
        assertFalse(call("help", "[\"stop\"]").asText().contains("wait"), "hidden argument stays out of help");
    }

    @Test
    void uptimeCountsSecondsSinceRegistration() throws Exception {
        assertEquals(0, call("uptime", "[]").asLong());
        clock.advance(Duration.ofSeconds(75));
        assertEquals(75, call("uptime", "[]").asLong());
    }

    @Test
    void getrpcinfoListsItselfAndLogPath() throws Exception {
        JsonNode info = call("getrpcinfo", "[]");
        assertEquals(1, info.get("active_commands").size());
        assertEquals("getrpcinfo", info.get("active_commands").get(0).get("method").asText());
        assertTrue(info.get("active_commands").get(0).get("duration").asLong() >= 0);
        assertEquals("/tmp/jb/debug.log", info.get("logpath").asText());
        assertTrue(registry.activeCommands().isEmpty());
    }

    @Test
    void loggingIncludesAndExcludes() throws Exception {
        assertEquals("{\"mempool\":false,\"net\":false,\"rpc\":false}", call("logging", "[]").toString());
        assertEquals("{\"mempool\":false,\"net\":true,\"rpc\":true}",
                call("logging", "[[\"net\",\"rpc\"]]").toString());
        assertEquals("{\"mempool\":true,\"net\":false,\"rpc\":true}",
                call("logging", "[[\"all\"],[\"net\"]]").toString());
        assertEquals(List.of("net=true", "rpc=true", "mempool=true", "net=false"), changes);
        assertEquals("{\"mempool\":false,\"net\":false,\"rpc\":false}",
                call("logging", "{\"exclude\":[\"1\"]}").toString());
    }

    @Test
    void loggingRejectsUnknownCategory() {
        RpcException e = assertThrows(RpcException.class, () -> call("logging", "[[\"bogus\"]]"));
        assertEquals(-8, e.code());
        assertEquals("unknown logging category bogus", e.getMessage());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
