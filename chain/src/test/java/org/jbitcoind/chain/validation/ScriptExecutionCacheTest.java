package org.jbitcoind.chain.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.crypto.Hashes;
import org.junit.jupiter.api.Test;

/** The script execution cache answers only for the exact (wtxid, flags) recorded, stays bounded, and is per instance. */
class ScriptExecutionCacheTest {
    private static final int FLAGS = ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.TAPROOT;

    private static Hash256 wtxid(int i) {
        return Hash256.of(Hashes.sha256(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}));
    }

    @Test
    void answersOnlyForTheExactFlagsRecorded() {
        ScriptExecutionCache cache = new ScriptExecutionCache(1000);
        cache.add(wtxid(1), FLAGS);
        assertTrue(cache.contains(wtxid(1), FLAGS, false));
        assertFalse(cache.contains(wtxid(1), FLAGS | ScriptFlags.NULLDUMMY, false), "more flags");
        assertFalse(cache.contains(wtxid(1), ScriptFlags.P2SH, false), "fewer flags");
        assertFalse(cache.contains(wtxid(2), FLAGS, false), "another transaction");
        assertFalse(new ScriptExecutionCache(1000).contains(wtxid(1), FLAGS, false), "another salt");
    }

    @Test
    void aComputedKeyIsTheSameEntryAndOnlyForItsOwnCache() {
        ScriptExecutionCache cache = new ScriptExecutionCache(1000);
        ScriptExecutionCache.Key key = cache.keyOf(wtxid(4), FLAGS);
        cache.add(key);
        assertTrue(cache.contains(wtxid(4), FLAGS, false));
        assertFalse(cache.contains(cache.keyOf(wtxid(4), ScriptFlags.P2SH), false), "other flags");
        cache.add(wtxid(5), FLAGS);
        assertTrue(cache.contains(cache.keyOf(wtxid(5), FLAGS), false));
        ScriptExecutionCache other = new ScriptExecutionCache(1000);
        assertThrows(IllegalArgumentException.class, () -> other.contains(key, false), "another salt");
        assertThrows(IllegalArgumentException.class, () -> other.add(key));
    }

    @Test
    void anErasingHitIsUsedUp() {
        ScriptExecutionCache cache = new ScriptExecutionCache(1000);
        cache.add(wtxid(3), FLAGS);
        assertEquals(1, cache.size());
        assertTrue(cache.contains(wtxid(3), FLAGS, true));
        assertFalse(cache.contains(wtxid(3), FLAGS, false));
        assertEquals(0, cache.size());
    }

    @Test
    void staysBoundedUnderConcurrentInsertsAndKeepsTheLastAdded() throws Exception {
        ScriptExecutionCache cache = new ScriptExecutionCache(400);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 10_000;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 3000; i++) {
                    cache.add(wtxid(base + i), FLAGS);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(10_000);
        }
        assertTrue(cache.size() <= 400, "size " + cache.size());
        assertTrue(cache.size() > 300, "a full table stays nearly full: " + cache.size());
        cache.add(wtxid(99_999), FLAGS);
        assertTrue(cache.contains(wtxid(99_999), FLAGS, false));
    }
}
