package org.jbitcoind.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of bip340_test_vectors.csv, on both backends: verification, and signing where a secret key is given. */
class Bip340VectorTest {
    static Stream<Arguments> rows() {
        String[] lines = SharedData.readText(SharedData.vector("bip340_test_vectors.csv")).split("\r?\n");
        List<Arguments> out = new ArrayList<>();
        List<Secp256k1Backend> backends = List.of(new NativeSecp256k1(), new BouncyCastleSecp256k1());
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",", -1);
            for (Secp256k1Backend b : backends) {
                out.add(Arguments.of(f[0], b.name(), b, f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("rows")
    void row(String index, String backendName, Secp256k1Backend backend, String[] f) {
        byte[] pub = Hex.decode(f[2].toLowerCase());
        byte[] aux = Hex.decode(f[3].toLowerCase());
        byte[] msg = Hex.decode(f[4].toLowerCase());
        byte[] sig = Hex.decode(f[5].toLowerCase());
        boolean expected = f[6].equals("TRUE");
        if (!f[1].isEmpty()) {
            byte[] sec = Hex.decode(f[1].toLowerCase());
            byte[] pubFromSec = backend.pubKeyCreate(sec);
            assertArrayEquals(pub, java.util.Arrays.copyOfRange(pubFromSec, 1, 33), "public key");
            assertArrayEquals(sig, backend.signSchnorr(sec, msg, aux), "signature");
        }
        assertEquals(expected, backend.verifySchnorr(sig, msg, pub), f[7]);
    }
}
