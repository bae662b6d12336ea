package org.jbitcoind.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer process with SIGKILL at random moments and checks after each kill that the
 * database reopens with the best-block marker matching exactly the UTXO set written with it, and
 * that no commit the writer saw return was lost.
 */
class CrashConsistencyTest {
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void bestBlockMarkerAlwaysMatchesUtxoSetAfterKill9() throws Exception {
        Path db = dir.resolve("chain");
        Random rnd = new Random();
        int lastRecovered = 0;
        for (int round = 0; round < KILLS; round++) {
            AtomicInteger lastCommitted = new AtomicInteger(-1);
            CompletableFuture<String> ready = new CompletableFuture<>();
            Process child = startWriter(db);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
                Thread reader = new Thread(() -> drain(out, ready, lastCommitted));
                reader.start();
                String line = ready.get(60, TimeUnit.SECONDS);
                assertTrue(line != null && line.startsWith("ready "), "writer did not start: " + line);
                assertEquals(lastRecovered, Integer.parseInt(line.substring(6)));
                Thread.sleep(100 + rnd.nextInt(900));
                child.destroyForcibly();   // SIGKILL: no shutdown hooks, no close
                assertTrue(child.waitFor(10, TimeUnit.SECONDS), "writer did not die");
                reader.join(10_000);
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            int recovered = checkConsistent(db);
            assertTrue(recovered >= lastCommitted.get(),
                    "commit of height " + lastCommitted.get() + " returned but the database reopened at " + recovered);
            assertTrue(recovered >= lastRecovered, "went backwards from " + lastRecovered + " to " + recovered);
            lastRecovered = recovered;
        }
        assertTrue(lastRecovered > 0, "the writer never committed anything");
    }

    /** Reopens the database and checks the invariant; returns the height of the best block. */
    private static int checkConsistent(Path path) throws StorageException {
        try (ChainDb db = ChainDb.open(path, Network.REGTEST, CrashModel.OPTIONS);
             UtxoSnapshot snap = db.utxoSnapshot()) {
            Optional<Hash256> best = snap.bestBlock();
            Map<OutPoint, Coin> onDisk = new HashMap<>();
            snap.forEach(onDisk::put);
            if (best.isEmpty()) {
                assertTrue(onDisk.isEmpty(), "coins on disk without a best block");
                return 0;
            }
            BlockIndexRecord idx = snap.blockIndex(best.get()).orElseThrow(() ->
                    new AssertionError("best block has no index record"));
            int h = idx.height();
            assertEquals(CrashModel.index(h).hash(), best.get());
            assertEquals(CrashModel.coins(h), onDisk, "UTXO set does not match the best block at height " + h);
            // The block and undo data written in the same batch are there too (HAVE_DATA/HAVE_UNDO hold).
            assertArrayEquals(CrashModel.block(h), db.getBlock(best.get()).orElseThrow());
            assertTrue(db.getUndo(best.get()).isPresent());
            return h;
        }
    }

    private static Process startWriter(Path db) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), db.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private static void drain(BufferedReader out, CompletableFuture<String> ready, AtomicInteger lastCommitted) {
        try {
            ready.complete(out.readLine());
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("c ")) {
                    lastCommitted.set(Integer.parseInt(line.substring(2)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // A line cut by the kill: the last complete one counts.
        } finally {
            ready.complete(null);
        }
    }
}
