package org.jbitcoind.chain.spv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jbitcoind.protocol.codec.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MurmurHash3 x86_32 against the published values used by BIP37 implementations (Core's hash_tests). */
class Murmur3VectorTest {

    @ParameterizedTest(name = "seed {1} data \"{2}\"")
    @CsvSource(nullValues = "none", value = {
        "00000000, 00000000, ''",
        "6a396f08, fba4c795, ''",
        "81f16f39, ffffffff, ''",
        "514e28b7, 00000000, 00",
        "ea3f0b17, fba4c795, 00",
        "fd6cf10d, 00000000, ff",
        "16c6b7ab, 00000000, 0011",
        "8eb51c3d, 00000000, 001122",
        "b4471bf8, 00000000, 00112233",
        "e2301fa8, 00000000, 0011223344",
        "fc2e4a15, 00000000, 001122334455",
        "b074502c, 00000000, 00112233445566",
        "8034d2a0, 00000000, 0011223344556677",
        "b4698def, 00000000, 001122334455667788",
    })
    void hash32(String expected, String seed, String data) {
        byte[] bytes = Hex.decode(data == null ? "" : data);
        int h = Murmur3.hash32(Integer.parseUnsignedInt(seed, 16), bytes);
        assertEquals(expected, String.format("%08x", h));
    }
}
