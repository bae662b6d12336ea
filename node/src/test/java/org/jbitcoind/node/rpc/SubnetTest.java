package org.jbitcoind.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubnetTest {

    @ParameterizedTest
    @CsvSource({
        "1.2.3.4, 1.2.3.4/32",
        "1.2.3.4/24, 1.2.3.0/24",
        "1.2.3.4/255.255.255.0, 1.2.3.0/24",
        "10.0.0.0/255.0.0.0, 10.0.0.0/8",
        "0.0.0.0/0, 0.0.0.0/0",
        "::1, 0:0:0:0:0:0:0:1/128",
        "fd00::/8, fd00:0:0:0:0:0:0:0/8",
        "2001:db8::/ffff:ffff::, 2001:db8:0:0:0:0:0:0/32"})
    void parsesCoreForms(String text, String canonical) throws Exception {
        assertEquals(canonical, Subnet.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com/24", "1.2.3", "1.2.3.256", "1.2.3.4/33",
        "1.2.3.4/255.0.255.0", "1.2.3.4/ffff::", "::1/129", "1.2.3.4/-1", "1.2.3.4/"})
    void rejectsWhatCoreRejects(String text) {
        RpcConfigException e = assertThrows(RpcConfigException.class, () -> Subnet.parse(text));
        assertTrue(e.getMessage().startsWith("Invalid -rpcallowip subnet specification: " + text));
    }

    @Test
    void containsByPrefix() throws Exception {
        Subnet net = Subnet.parse("192.168.1.0/24");
        assertTrue(net.contains(InetAddress.getByName("192.168.1.200")));
        assertFalse(net.contains(InetAddress.getByName("192.168.2.1")));
        assertFalse(net.contains(InetAddress.getByName("::1")));
        assertTrue(Subnet.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8")));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[13] = (byte) 168;
        mapped[14] = 1;
        mapped[15] = 7;
        assertTrue(net.contains(java.net.Inet6Address.getByAddress(null, mapped, -1)));
    }

    @Test
    void localhostIsAlwaysAllowedFirst() throws Exception {
        List<Subnet> all = Subnet.withLocalhost(List.of(Subnet.parse("10.0.0.0/8")));
        assertEquals(3, all.size());
        assertTrue(all.get(0).contains(InetAddress.getByName("127.5.6.7")));
        assertTrue(all.get(1).contains(InetAddress.getByName("::1")));
    }
}
