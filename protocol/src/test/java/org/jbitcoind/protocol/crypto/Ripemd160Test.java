package org.jbitcoind.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.jbitcoind.protocol.codec.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our RIPEMD-160 ({@link Ripemd160}, behind {@link Hashes#ripemd160}): the published test vectors
 * of the algorithm's authors, and agreement with BouncyCastle's implementation on random messages
 * of every length around the padding boundaries and on several threads.
 */
class Ripemd160Test {
    @ParameterizedTest
    @CsvSource({
        "'', 9c1185a5c5e9fc54612808977ee8f548b2258d31",
        "a, 0bdc9d2d256b3ee9daae347be6f4dc835a467ffe",
        "abc, 8eb208f7e05d987a9b044a8e98c6b087f15a0bfc",
        "message digest, 5d0689ef49d2fae572b881b123a85ffa21595f36",
        "abcdefghijklmnopqrstuvwxyz, f71c27109c692c1b56bbdceb5b9d2865b3708dbc",
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq, 12a053384a9c0c88e405a06c27dcf49ada62eb2b",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789, b0e20b6e3116640286ed3a87a5713079b21f5189",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890,"
                + " 9b752e45573d4b39f4dbd3323cab82bf63326bfb",
    })
    void publishedVectors(String message, String expected) {
        byte[] data = message.getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected, Hex.encode(Hashes.ripemd160(data)));
        // Stateless: the same answer again.
        assertEquals(expected, Hex.encode(Hashes.ripemd160(data)));
    }

    @Test
    void publishedMillionTimesA() {
        byte[] data = new byte[1_000_000];
        Arrays.fill(data, (byte) 'a');
        assertEquals("52783243c1697bdbe16d37f97f68f08325dc1528", Hex.encode(Ripemd160.digest(data)));
    }

    private static byte[] bouncyCastle(byte[] data, int off, int len) {
        RIPEMD160Digest d = new RIPEMD160Digest();
        d.update(data, off, len);
        byte[] out = new byte[20];
        d.doFinal(out, 0);
        return out;
    }

    /** Every length up to five blocks: one and two padding blocks, and the 55/56/63/64 byte edges. */
    @Test
    void agreesWithBouncyCastleOnEveryLengthUpTo320() {
        SplittableRandom random = new SplittableRandom(160);
        for (int len = 0; len <= 320; len++) {
            byte[] data = new byte[len];
            for (int i = 0; i < len; i++) {
                data[i] = (byte) random.nextInt(256);
            }
            assertArrayEquals(bouncyCastle(data, 0, len), Ripemd160.digest(data), "length " + len);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 65, 1000})
    void agreesWithBouncyCastleOnARangeOfALargerArray(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 200; n++) {
            byte[] data = new byte[random.nextInt(1, 600)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) random.nextInt(256);
            }
            int off = random.nextInt(data.length + 1);
            int len = random.nextInt(data.length - off + 1);
            assertArrayEquals(bouncyCastle(data, off, len), Ripemd160.digest(data, off, len),
                    "offset " + off + " length " + len);
        }
    }

    @Test
    void rejectsARangeOutsideTheArray() {
        byte[] data = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> Ripemd160.digest(data, 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> Ripemd160.digest(data, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Ripemd160.digest(data, 0, -1));
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        byte[] data = new byte[] {(byte) seed, (byte) i, (byte) (i >> 8)};
                        if (!Arrays.equals(bouncyCastle(data, 0, data.length), Hashes.ripemd160(data))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertEquals(true, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
