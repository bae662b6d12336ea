package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.chain.ChainService;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.UtxoStats;
import org.jbitcoind.testkit.DaemonProcess;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real daemons as separate processes on 127.0.0.1: one imports a spending chain with -loadblock,
 * a second started with -connect syncs it over P2P to the same tip and UTXO set; a listening port
 * already in use stops start-up with one error line.
 */
class SyncDaemonProcessTest {
    private static final long TIMEOUT_MS = 120_000;
    private static final int BLOCKS = 500;

    @TempDir
    Path dir;
    @RegisterExtension
    final DaemonProcesses daemons = DaemonProcesses.listeningOnLoopback();

    @Test
    void daemonStartedWithConnectSyncsFromAnotherDaemon() throws Exception {
        Path blk = dir.resolve("blk00000.dat");
        Files.write(blk, RegtestBlocks.blkFile(RegtestBlocks.spendingChain(BLOCKS)));
        Path dirA = dir.resolve("a");
        DaemonProcess a = daemons.launch(dirA, "-loadblock=" + blk);
        int portA = a.p2pAddress().getPort();
        a.awaitLine("Block import done: height " + BLOCKS);

        Path dirB = dir.resolve("b");
        DaemonProcess b = daemons.launch(dirB, "-connect=127.0.0.1:" + portA);
        InetSocketAddress addressB = b.p2pAddress();
        // B's version message carries its height: poll it until B has every block.
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        int height = -1;
        while (height < BLOCKS && System.currentTimeMillis() < deadline) {
            try (RawPeer probe = RawPeer.connect(addressB)) {
                height = probe.handshake().startHeight();
            }
            if (height < BLOCKS) {
                Thread.sleep(200);
            }
        }
        assertEquals(BLOCKS, height, "B's height");
        b.stopCleanly();
        a.stopCleanly();
        UtxoStats sa = stats(dirA);
        UtxoStats sb = stats(dirB);
        assertEquals(BLOCKS, sb.height());
        assertEquals(sa.bestBlock(), sb.bestBlock());
        assertEquals(sa.hashSerialized3(), sb.hashSerialized3());
        assertEquals(sa.txouts(), sb.txouts());
        assertTrue(b.consoleText().contains("peer connected"), "B logged its peer");
    }

    @Test
    void portInUseStopsStartUpWithOneErrorLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path d = dir.resolve("n");
            Files.createDirectories(d);
            List<String> settings = new ArrayList<>(DaemonProcess.LISTEN_ON_LOOPBACK);
            settings.addAll(List.of("-dbcache=16", "-bind=127.0.0.1:" + taken.getLocalPort()));
            // Not a DaemonProcess: standard output and error apart, to see what reaches stderr.
            Path err = d.resolve("stderr.txt");
            Process p = new ProcessBuilder(DaemonProcess.command(d, Network.REGTEST, List.of("-Xmx256m"), settings))
                    .redirectError(err.toFile()).redirectOutput(d.resolve("stdout.txt").toFile()).start();
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exited");
                assertEquals(1, p.exitValue());
                List<String> lines = Files.readAllLines(err);
                assertEquals(1, lines.size(), lines.toString());
                assertTrue(lines.get(0).startsWith("Error: cannot listen on /127.0.0.1:" + taken.getLocalPort()),
                        lines.get(0));
            } finally {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static UtxoStats stats(Path datadir) throws Exception {
        try (ChainDb db = ChainDb.open(datadir.resolve("regtest").resolve(ChainService.FOLDER), Network.REGTEST,
                ChainDbOptions.defaults())) {
            return UtxoStats.compute(db, UtxoStats.HashType.HASH_SERIALIZED);
        }
    }
}
