package org.jbitcoind.node.addrmgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jbitcoind.protocol.net.NetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NetGroupsTest {
    @ParameterizedTest
    @CsvSource({"1.2.3.4,true", "8.8.8.8,true", "10.0.0.1,false", "127.0.0.1,false", "172.31.255.255,false",
            "172.32.0.1,true", "192.168.1.1,false", "100.64.0.1,false", "100.128.0.1,true", "169.254.3.3,false",
            "198.18.0.1,false", "192.0.2.1,false", "198.51.100.1,false", "203.0.113.9,false", "224.0.0.1,false",
            "0.0.0.0,false", "2001:4860::8888,true", "::1,false", "fe80::1,false", "2001:db8::1,false",
            "ff02::1,false"})
    void routability(String host, boolean routable) {
        assertEquals(routable, NetGroups.isRoutable(NetAddress.parseHost(host)), host);
    }

    @Test
    void groupsAreSlash16ForIpv4AndSlash32ForIpv6() {
        assertArrayEquals(NetGroups.group(NetAddress.parseHost("1.2.3.4")),
                NetGroups.group(NetAddress.parseHost("1.2.200.200")));
        assertNotEquals(NetGroups.groupString(NetAddress.parseHost("1.2.3.4")),
                NetGroups.groupString(NetAddress.parseHost("1.3.3.4")));
        assertEquals(NetGroups.groupString(NetAddress.parseHost("2001:4860:1::1")),
                NetGroups.groupString(NetAddress.parseHost("2001:4860:ffff::2")));
        assertNotEquals(NetGroups.groupString(NetAddress.parseHost("2001:4860::1")),
                NetGroups.groupString(NetAddress.parseHost("2001:4861::1")));
        // all unroutable IPv4 addresses share one group
        assertEquals(NetGroups.groupString(NetAddress.parseHost("10.0.0.1")),
                NetGroups.groupString(NetAddress.parseHost("192.168.7.7")));
    }

    @Test
    void onlyIpNetworksAreDirectlyReachable() {
        assertTrue(NetGroups.isDirectlyReachable(org.jbitcoind.protocol.net.NetworkId.IPV4));
        assertTrue(NetGroups.isDirectlyReachable(org.jbitcoind.protocol.net.NetworkId.IPV6));
        assertFalse(NetGroups.isDirectlyReachable(org.jbitcoind.protocol.net.NetworkId.TORV3));
        assertFalse(NetGroups.isDirectlyReachable(org.jbitcoind.protocol.net.NetworkId.I2P));
    }
}
