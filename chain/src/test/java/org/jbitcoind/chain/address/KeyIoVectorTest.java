package org.jbitcoind.chain.address;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Core's key_io_valid.json and key_io_invalid.json, one case per row: addresses decode to the
 * expected script and encode back to the same string; WIF keys decode to the expected secret; a
 * case-flipped string is valid exactly for the bech32 rows marked tryCaseFlip; every invalid row is
 * refused as address and as key on every network.
 */
class KeyIoVectorTest {

    record Valid(int row, String text, byte[] payload, Network network, boolean privKey, boolean compressed,
            boolean tryCaseFlip) {
        @Override
        public String toString() {
            return row + " " + text;
        }
    }

    static Stream<Arguments> valid() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("key_io_valid.json")));
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode r = root.get(i);
            JsonNode meta = r.get(2);
            Network network = Network.fromId(meta.get("chain").asText()).orElseThrow();
            out.add(Arguments.of(new Valid(i, r.get(0).asText(), Hex.decode(r.get(1).asText()), network,
                    meta.get("isPrivkey").asBoolean(), meta.path("isCompressed").asBoolean(false),
                    meta.path("tryCaseFlip").asBoolean(false))));
        }
        return out.stream();
    }

    static Stream<Arguments> invalid() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.read(SharedData.vector("key_io_invalid.json")));
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            out.add(Arguments.of(i, root.get(i).get(0).asText()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validRow(Valid v) throws AddressException {
        if (v.privKey()) {
            Wif.Key key = Wif.decode(v.text(), v.network());
            assertArrayEquals(v.payload(), key.secret());
            assertEquals(v.compressed(), key.compressed());
            assertEquals(v.text(), Wif.encode(v.payload(), v.compressed(), v.network()));
            assertFalse(Addresses.isValid(v.text(), v.network()), "a private key is no address");
            return;
        }
        assertArrayEquals(v.payload(), Addresses.toScript(v.text(), v.network()));
        assertEquals(v.text(), Addresses.fromScript(v.payload(), v.network()).orElseThrow());
        assertThrows(AddressException.class, () -> Wif.decode(v.text(), v.network()), "an address is no key");
        String flipped = flipCase(v.text());
        assertEquals(v.tryCaseFlip(), Addresses.isValid(flipped, v.network()), "case-flipped " + flipped);
        if (v.tryCaseFlip()) {
            assertArrayEquals(v.payload(), Addresses.toScript(flipped, v.network()));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalid")
    void invalidRow(int row, String text) {
        for (Network network : Network.values()) {
            assertFalse(Addresses.isValid(text, network), network + " address");
            assertThrows(AddressException.class, () -> Wif.decode(text, network), network + " key");
        }
    }

    @org.junit.jupiter.api.Test
    void base58RoundTripKeepsLeadingZeros() throws AddressException {
        byte[] data = {0, 0, 1, 2, 3};
        assertEquals("11Ldp", Base58.encode(data));
        assertArrayEquals(data, Base58.decode("11Ldp"));
        assertThrows(AddressException.class, () -> Base58.decode("0OIl"));
        assertTrue(Base58.decodeCheck(Base58.encodeCheck(data)).length == 5);
    }

    private static String flipCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return b.toString();
    }
}
