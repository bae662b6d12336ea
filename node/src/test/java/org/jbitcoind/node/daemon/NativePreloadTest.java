package org.jbitcoind.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** The start-up preload of the native libraries: finishes, never holds the process, leaves both usable. */
class NativePreloadTest {
    @Test
    void loadsBothLibrariesOnADaemonThreadThatEnds(@TempDir Path dir) throws Exception {
        Thread t = NativePreload.start();
        assertTrue(t.isDaemon(), "must never keep the process alive");
        assertEquals("native-preload", t.getName());
        t.join(60_000);
        assertFalse(t.isAlive(), "preload did not finish within 60 s");

        assertEquals("libsecp256k1", Secp256k1Provider.get().name(),
                "libsecp256k1 loaded, not the BouncyCastle fallback");
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString())) {
            db.put(new byte[] {1}, new byte[] {2});
            assertEquals(2, db.get(new byte[] {1})[0]);
        }
    }
}
