package org.jbitcoind.chain.state;

import java.nio.file.Path;

import org.jbitcoind.storage.UtxoStats;

/**
 * Child process of {@link CrashRecoveryProcessTest}: opens the chain state in a folder, imports a
 * blk file, prints the tip and UTXO hash, closes. Killed with SIGKILL at random moments by the test.
 * Arguments: database folder, blk file, coins cache budget in bytes.
 */
public final class ImportChildMain {
    private ImportChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path file = Path.of(args[1]);
        long cache = Long.parseLong(args[2]);
        try (ChainstateManager chain = RegtestBlocks.open(db, RegtestBlocks.options().withCoinsCacheBytes(cache))) {
            System.out.println("opened at " + chain.activeChain().height());
            System.out.flush();
            new BlockFileImporter(chain, () -> false).importFile(file);
            UtxoStats stats = chain.utxoStats(UtxoStats.HashType.HASH_SERIALIZED);
            System.out.println("done " + chain.activeChain().height() + " " + chain.activeChain().tip().hash() + " "
                    + stats.hashSerialized3().orElseThrow());
            System.out.flush();
        }
    }
}
