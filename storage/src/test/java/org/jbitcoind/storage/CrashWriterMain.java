package org.jbitcoind.storage;

import java.nio.file.Path;

import org.jbitcoind.config.Network;

/**
 * Child process of {@link CrashConsistencyTest}: writes heights of {@link CrashModel} as fast as it
 * can, printing "c HEIGHT" after each commit returns, until it is killed. Stops by itself after
 * a few seconds so that it can never outlive a test that failed to kill it.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        try (ChainDb db = ChainDb.open(Path.of(args[0]), Network.REGTEST, CrashModel.OPTIONS)) {
            int height = db.getBestBlock().isEmpty() ? 0
                    : db.getBlockIndex(db.getBestBlock().get()).orElseThrow().height();
            System.out.println("ready " + height);
            System.out.flush();
            while (System.nanoTime() < deadline) {
                height++;
                CrashModel.writeHeight(db, height);
                System.out.println("c " + height);
                System.out.flush();
                if (height % 5 == 0) {
                    db.flush();
                }
            }
        }
    }
}
