package org.jbitcoind.protocol.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Core's fixed-seed lists: every line parses, prints back the same, and survives addrv2 encoding. */
class SeedListTest {

    @ParameterizedTest
    @ValueSource(strings = {"nodes_main.txt", "nodes_test.txt", "nodes_testnet4.txt", "nodes_signet.txt"})
    void everySeedParsesAndReformats(String file) throws DecodeException {
        List<String> lines = SharedData.readText(SharedData.vector(file)).lines()
                .map(l -> l.contains("#") ? l.substring(0, l.indexOf('#')) : l)
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertTrue(lines.size() > 100);
        Map<NetworkId, Integer> perNetwork = new EnumMap<>(NetworkId.class);
        for (String line : lines) {
            PeerAddress a = PeerAddress.parse(line, 0);
            assertEquals(line, a.toHostPort(), "re-format of " + line);
            perNetwork.merge(a.address().network(), 1, Integer::sum);
            ByteWriter w = new ByteWriter();
            a.writeV2(w);
            PeerAddress back = PeerAddress.readV2(new ByteReader(w.toByteArray()));
            assertEquals(a.address(), back.address());
            assertEquals(a.port(), back.port());
        }
        assertTrue(perNetwork.getOrDefault(NetworkId.IPV4, 0) > 0, "has IPv4 seeds");
        if (file.equals("nodes_main.txt")) {
            for (NetworkId n : List.of(NetworkId.IPV6, NetworkId.TORV3, NetworkId.I2P, NetworkId.CJDNS)) {
                assertTrue(perNetwork.getOrDefault(n, 0) > 0, "mainnet list has " + n);
            }
        }
    }

    @Test
    void ipv6Formatting() {
        assertEquals("::1", NetAddress.parseHost("0:0:0:0:0:0:0:1").toHostString());
        assertEquals("2001:db8::1:0:0:1", NetAddress.parseHost("2001:db8:0:0:1:0:0:1").toHostString());
        assertEquals("2001:db8:0:1:1:1:1:1", NetAddress.parseHost("2001:db8:0:1:1:1:1:1").toHostString());
        assertTrue(NetAddress.parseHost("::1").isLoopback());
        assertTrue(NetAddress.parseHost("127.0.0.1").isLoopback());
    }

    @Test
    void legacyMappingOfIpv4() {
        NetAddress a = NetAddress.ipv4(192, 168, 1, 2);
        byte[] legacy = a.toLegacy();
        assertEquals((byte) 0xff, legacy[10]);
        assertEquals(a, NetAddress.fromLegacy(legacy));
        assertTrue(Arrays.equals(new byte[] {(byte) 192, (byte) 168, 1, 2}, Arrays.copyOfRange(legacy, 12, 16)));
    }

    @Test
    void badAddressesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NetAddress.parseHost("256.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> NetAddress.parseHost("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> NetAddress.parseHost("1::2::3"));
        // A v3 onion name with one character changed fails its checksum.
        assertThrows(IllegalArgumentException.class,
                () -> NetAddress.parseHost("3boy2eupcrkymvf456swszxglxgckeoasshdasbgp4kt6jobovnmb5ad.onion"));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("1.2.3.4:70000", 1));
    }
}
