package org.jbitcoind.node.rpc;

import static org.jbitcoind.node.rpc.TestRpc.basic;
import static org.jbitcoind.node.rpc.TestRpc.json;
import static org.jbitcoind.node.rpc.TestRpc.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials (user/password, -rpcauth, cookie) and client address filtering. */
class RpcAuthTest {
    private static final String WHOAMI = "{\"method\":\"whoami\",\"id\":1}";

    // Core's test/functional/rpc_users.py pair: rpcauth.py output for user "rt" and this password.
    private static final String CORE_RPCAUTH =
            "rt:93648e835a54c573682c2eb19f882535$7681e9c5b74bdd85e78166031d2058e1069b3ed7ed967c93fc63abba06f31144";
    private static final String CORE_RPCAUTH_PASSWORD = "cA773lm788buwYe4g4WT+05pKyNruVKjQ25x3n0DQcM=";

    private static RpcRegistry registry() {
        RpcRegistry registry = new RpcRegistry();
        registry.register(new RpcMethod("whoami", "test", List.of(), "The authenticated user.", null,
                call -> RpcCall.json().textNode(call.authUser())));
        return registry;
    }

    @Test
    void missingCredentialsGet401WithChallenge() throws Exception {
        try (RpcServer server = RpcServer.start(TestRpc.loopback(), registry())) {
            HttpResponse<String> r = post(server.port(), WHOAMI, null);
            assertEquals(401, r.statusCode());
            assertEquals("Basic realm=\"jsonrpc\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals("", r.body());
        }
    }

    @Test
    void wrongCredentialsGet401AfterTheDelay() throws Exception {
        try (RpcServer server = RpcServer.start(TestRpc.loopback(), registry())) {
            for (String header : List.of(basic("alice", "wrong"), basic("bob", "secret"), "Bearer abc",
                    "Basic !!!notbase64", basic("alicesecret", ""))) {
                long start = System.nanoTime();
                HttpResponse<String> r = post(server.port(), WHOAMI, header);
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(401, r.statusCode(), header);
                assertEquals("Basic realm=\"jsonrpc\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
                assertTrue(elapsedMs >= 240, "401 for " + header + " came after " + elapsedMs + " ms");
            }
        }
    }

    @Test
    void userPasswordIsAccepted() throws Exception {
        try (RpcServer server = RpcServer.start(TestRpc.loopback(), registry())) {
            HttpResponse<String> r = post(server.port(), WHOAMI, basic("alice", "secret"));
            assertEquals(200, r.statusCode());
            assertEquals("alice", json(r).get("result").asText());
        }
    }

    @Test
    void rpcauthEntriesAreAccepted() throws Exception {
        RpcAuthEntry core = RpcAuthEntry.parse(CORE_RPCAUTH);
        RpcAuthEntry made = RpcAuthEntry.create("carol", "0123456789abcdef", "hunter2");
        RpcServerConfig config = TestRpc.loopback().withRpcAuth(List.of(core, made));
        try (RpcServer server = RpcServer.start(config, registry())) {
            assertEquals("rt", json(post(server.port(), WHOAMI, basic("rt", CORE_RPCAUTH_PASSWORD)))
                    .get("result").asText());
            assertEquals("carol", json(post(server.port(), WHOAMI, basic("carol", "hunter2"))).get("result").asText());
            assertEquals(401, post(server.port(), WHOAMI, basic("rt", "hunter2")).statusCode());
            assertEquals(401, post(server.port(), WHOAMI, basic("carol", CORE_RPCAUTH_PASSWORD)).statusCode());
            // The plain -rpcuser/-rpcpassword pair keeps working beside the entries.
            assertEquals(200, post(server.port(), WHOAMI, basic("alice", "secret")).statusCode());
        }
    }

    @Test
    void cookieIsWrittenOwnerOnlyUsableAndDeletedAtClose(@TempDir Path dir) throws Exception {
        Path cookie = dir.resolve(".cookie");
        RpcServerConfig base = TestRpc.loopback();
        RpcServerConfig config = new RpcServerConfig(base.bindAddresses(), base.allowedSubnets(), null, null, cookie,
                List.of(), 1, 4, base.serverTimeout(), base.authFailureDelay());
        RpcServer server = RpcServer.start(config, registry());
        try {
            assertTrue(Files.exists(cookie));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cookie)));
            String content = Files.readString(cookie);
            assertTrue(content.matches("__cookie__:[0-9a-f]{64}"), content);
            assertFalse(Files.exists(dir.resolve(".cookie.tmp")));
            String password = content.substring("__cookie__:".length());
            assertEquals("__cookie__",
                    json(post(server.port(), WHOAMI, basic("__cookie__", password))).get("result").asText());
            assertEquals(401, post(server.port(), WHOAMI, basic("__cookie__", "00" + password.substring(2)))
                    .statusCode());
        } finally {
            server.close();
        }
        assertFalse(Files.exists(cookie));
    }

    @Test
    void eachStartMakesANewCookie(@TempDir Path dir) throws Exception {
        Path cookie = dir.resolve("regtest").resolve(".cookie");
        String first = AuthCookie.generate(cookie);
        String second = AuthCookie.generate(cookie);
        assertFalse(first.equals(second));
        assertEquals(second, AuthCookie.read(cookie));
    }

    @Test
    void passwordTurnsTheCookieOff(@TempDir Path dir) throws Exception {
        Path cookie = dir.resolve(".cookie");
        RpcServerConfig base = TestRpc.loopback();
        RpcServerConfig config = new RpcServerConfig(base.bindAddresses(), base.allowedSubnets(), "alice", "secret",
                cookie, List.of(), 1, 4, base.serverTimeout(), base.authFailureDelay());
        try (RpcServer server = RpcServer.start(config, registry())) {
            assertFalse(Files.exists(cookie));
            assertEquals(200, post(server.port(), WHOAMI).statusCode());
        }
    }

    @Test
    void clientOutsideAllowedSubnetsGets403() throws Exception {
        RpcServerConfig config = TestRpc.loopback().withAllowed(List.of(Subnet.parse("10.0.0.0/8"),
                Subnet.parse("::2")));
        try (RpcServer server = RpcServer.start(config, registry())) {
            HttpResponse<String> r = post(server.port(), WHOAMI);
            assertEquals(403, r.statusCode());
            assertEquals("", r.body());
        }
    }

    @Test
    void allowedSubnetByNetmaskAdmitsClient() throws Exception {
        RpcServerConfig config = TestRpc.loopback().withAllowed(List.of(Subnet.parse("127.0.0.0/255.255.255.0")));
        try (RpcServer server = RpcServer.start(config, registry())) {
            assertEquals(200, post(server.port(), WHOAMI).statusCode());
        }
    }
}
