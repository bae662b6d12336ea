package org.jbitcoind.node.daemon;

import org.jbitcoind.chain.crypto.Secp256k1Provider;
import org.rocksdb.RocksDB;

/**
 * Loads the native libraries the chain state needs (RocksDB's, extracted from the jar to a
 * temporary file first, and libsecp256k1's) on a thread of its own while the main thread reads
 * the settings and starts RPC, so that opening the chain state, and with it a -loadblock import or
 * the initial sync, does not wait for them: about 0.2 s of a start-up on a core otherwise idle.
 *
 * <p>Failures are left to the chain state's own start, which loads the libraries again and reports
 * what went wrong where it always did: RocksDB's loader can be retried after a failure, and
 * libsecp256k1's falls back to BouncyCastle with a warning, whichever thread asks first.
 */
final class NativePreload {
    private NativePreload() {
    }

    /** Starts the loading in the background (a daemon thread: it never holds the process up). */
    static Thread start() {
        Thread t = new Thread(NativePreload::load, "native-preload");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void load() {
        try {
            RocksDB.loadLibrary();
        } catch (RuntimeException | LinkageError e) {
            // Reported by the chain state's open, which tries again.
        }
        Secp256k1Provider.get();
    }
}
