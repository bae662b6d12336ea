package org.jbitcoind.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.jbitcoind.protocol.codec.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RIPEMD-160 through the per-thread digest: the published test vectors, in any order and on several threads. */
class Ripemd160Test {
    @ParameterizedTest
    @CsvSource({
        "'', 9c1185a5c5e9fc54612808977ee8f548b2258d31",
        "a, 0bdc9d2d256b3ee9daae347be6f4dc835a467ffe",
        "abc, 8eb208f7e05d987a9b044a8e98c6b087f15a0bfc",
        "message digest, 5d0689ef49d2fae572b881b123a85ffa21595f36",
        "abcdefghijklmnopqrstuvwxyz, f71c27109c692c1b56bbdceb5b9d2865b3708dbc",
    })
    void publishedVectorsTwiceInARow(String message, String expected) {
        byte[] data = message.getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected, Hex.encode(Hashes.ripemd160(data)));
        // The reused digest must have been reset by the first call.
        assertEquals(expected, Hex.encode(Hashes.ripemd160(data)));
    }

    /** A digest object of its own, as before the per-thread one. */
    private static byte[] fresh(byte[] data) {
        RIPEMD160Digest d = new RIPEMD160Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[20];
        d.doFinal(out, 0);
        return out;
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
                        if (!java.util.Arrays.equals(fresh(data), Hashes.ripemd160(data))) {
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
