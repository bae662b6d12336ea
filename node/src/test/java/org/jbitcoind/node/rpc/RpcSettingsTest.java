package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jbitcoind.config.Network;
import org.junit.jupiter.api.Test;

class RpcSettingsTest {
    private static final Path NET_DIR = Path.of("/data/regtest");

    private static RpcSettings.Source source(String... keyValues) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.computeIfAbsent(keyValues[i], k -> new java.util.ArrayList<>()).add(keyValues[i + 1]);
        }
        return key -> map.getOrDefault(key, List.of());
    }

    @Test
    void defaultsAreCoresLocalhostCookieSetup() throws Exception {
        RpcServerConfig c = RpcSettings.toConfig(source(), Network.REGTEST, NET_DIR);
        assertEquals(List.of(new InetSocketAddress("::1", 18443), new InetSocketAddress("127.0.0.1", 18443)),
                c.bindAddresses());
        assertEquals(NET_DIR.resolve(".cookie"), c.cookieFile());
        assertFalse(c.usesPassword());
        assertEquals(4, c.threads());
        assertEquals(16, c.workQueueDepth());
        assertEquals(Duration.ofSeconds(30), c.serverTimeout());
        assertEquals(2, c.allowedSubnets().size());
        assertTrue(RpcSettings.serverEnabled(source()));
        assertFalse(RpcSettings.serverEnabled(source("server", "0")));
    }

    @Test
    void bindNeedsAllowIpAsInCore() throws Exception {
        RpcServerConfig ignored = RpcSettings.toConfig(source("rpcbind", "0.0.0.0", "rpcport", "9000"),
                Network.MAIN, NET_DIR);
        assertEquals(new InetSocketAddress("127.0.0.1", 9000), ignored.bindAddresses().get(1));
        RpcServerConfig both = RpcSettings.toConfig(source("rpcbind", "0.0.0.0", "rpcbind", "[::]:9100",
                "rpcallowip", "10.0.0.0/8"), Network.MAIN, NET_DIR);
        assertEquals(List.of(new InetSocketAddress("0.0.0.0", 8332), new InetSocketAddress("::", 9100)),
                both.bindAddresses());
        assertTrue(both.allowedSubnets().stream().anyMatch(s -> {
            try {
                return s.contains(InetAddress.getByName("10.1.2.3"));
            } catch (Exception e) {
                return false;
            }
        }));
    }

    @Test
    void credentialsAndLimits() throws Exception {
        RpcServerConfig c = RpcSettings.toConfig(source("rpcuser", "u", "rpcpassword", "p", "rpcthreads", "0",
                "rpcworkqueue", "64", "rpcauth",
                "rt:93648e835a54c573682c2eb19f882535$7681e9c5b74bdd85e78166031d2058e1069b3ed7ed967c93fc63abba06f31144",
                "rpccookiefile", "mycookie"), Network.REGTEST, NET_DIR);
        assertTrue(c.usesPassword());
        assertEquals("u", c.rpcUser());
        assertEquals(1, c.threads());
        assertEquals(64, c.workQueueDepth());
        assertEquals(1, c.rpcAuth().size());
        assertEquals(NET_DIR.resolve("mycookie"), c.cookieFile());
        assertNull(RpcSettings.toConfig(source("rpccookiefile", "0", "rpcpassword", "p"), Network.REGTEST, NET_DIR)
                .cookieFile());
    }

    @Test
    void badValuesNameTheSetting() {
        assertEquals("Invalid port provided in -rpcport: abc", assertThrows(RpcConfigException.class,
                () -> RpcSettings.toConfig(source("rpcport", "abc"), Network.MAIN, NET_DIR)).getMessage());
        assertTrue(assertThrows(RpcConfigException.class,
                () -> RpcSettings.toConfig(source("rpcallowip", "nonsense"), Network.MAIN, NET_DIR)).getMessage()
                .startsWith("Invalid -rpcallowip subnet specification: nonsense"));
        assertTrue(assertThrows(RpcConfigException.class,
                () -> RpcSettings.toConfig(source("rpcauth", "bad"), Network.MAIN, NET_DIR)).getMessage()
                .startsWith("Invalid -rpcauth argument"));
        assertEquals("Invalid value for -rpcthreads: x", assertThrows(RpcConfigException.class,
                () -> RpcSettings.toConfig(source("rpcthreads", "x"), Network.MAIN, NET_DIR)).getMessage());
        assertThrows(RpcConfigException.class,
                () -> RpcSettings.toConfig(source("rpccookiefile", "0"), Network.MAIN, NET_DIR));
        assertThrows(RpcConfigException.class, () -> RpcSettings.endpoint("[::1", 1));
    }
}
