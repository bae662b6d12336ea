package org.jbitcoind.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jbitcoind.chain.state.RegtestBlocks;
import org.jbitcoind.config.Network;
import org.jbitcoind.node.chain.ChainService;
import org.jbitcoind.node.testing.RawPeer;
import org.jbitcoind.storage.ChainDb;
import org.jbitcoind.storage.ChainDbOptions;
import org.jbitcoind.storage.UtxoStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real daemons as separate processes on 127.0.0.1: one imports a spending chain with -loadblock,
 * a second started with -connect syncs it over P2P to the same tip and UTXO set; a listening port
 * already in use stops start-up with one error line.
 */
class SyncDaemonProcessTest {
    private static final long TIMEOUT_MS = 120_000;
    private static final Pattern LISTENING = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    private static final int BLOCKS = 500;

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> consoles = new ArrayList<>();

    @AfterEach
    void stopEveryProcessThisTestStarted() throws Exception {
        for (Process p : processes) {
            if (p.isAlive()) {
                kill("-KILL", p);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void daemonStartedWithConnectSyncsFromAnotherDaemon() throws Exception {
        Path blk = dir.resolve("blk00000.dat");
        Files.write(blk, RegtestBlocks.blkFile(RegtestBlocks.spendingChain(BLOCKS)));
        Path dirA = dir.resolve("a");
        Process a = launch(dirA, "-loadblock=" + blk);
        int portA = listeningPort(a);
        awaitLine(a, "Block import done: height " + BLOCKS);

        Path dirB = dir.resolve("b");
        Process b = launch(dirB, "-connect=127.0.0.1:" + portA);
        int portB = listeningPort(b);
        // B's version message carries its height: poll it until B has every block.
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        int height = -1;
        while (height < BLOCKS && System.currentTimeMillis() < deadline) {
            try (RawPeer probe = RawPeer.connect(new InetSocketAddress("127.0.0.1", portB))) {
                height = probe.handshake().startHeight();
            }
            if (height < BLOCKS) {
                Thread.sleep(200);
            }
        }
        assertEquals(BLOCKS, height, "B's height");
        stop(b);
        stop(a);
        UtxoStats sa = stats(dirA);
        UtxoStats sb = stats(dirB);
        assertEquals(BLOCKS, sb.height());
        assertEquals(sa.bestBlock(), sb.bestBlock());
        assertEquals(sa.hashSerialized3(), sb.hashSerialized3());
        assertEquals(sa.txouts(), sb.txouts());
        assertTrue(Files.readString(consoles.get(1)).contains("peer connected"), "B logged its peer");
    }

    @Test
    void portInUseStopsStartUpWithOneErrorLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path d = dir.resolve("n");
            Files.createDirectories(d);
            List<String> command = javaCommand(d, "-bind=127.0.0.1:" + taken.getLocalPort());
            Path err = d.resolve("stderr.txt");
            Process p = new ProcessBuilder(command).redirectError(err.toFile())
                    .redirectOutput(d.resolve("stdout.txt").toFile()).start();
            processes.add(p);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exited");
            assertEquals(1, p.exitValue());
            List<String> lines = Files.readAllLines(err);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("Error: cannot listen on /127.0.0.1:" + taken.getLocalPort()),
                    lines.get(0));
        }
    }

    private static UtxoStats stats(Path datadir) throws Exception {
        try (ChainDb db = ChainDb.open(datadir.resolve("regtest").resolve(ChainService.FOLDER), Network.REGTEST,
                ChainDbOptions.defaults())) {
            return UtxoStats.compute(db, UtxoStats.HashType.HASH_SERIALIZED);
        }
    }

    private List<String> javaCommand(Path datadir, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main", "-regtest", "-datadir=" + datadir, "-dnsseed=0", "-fixedseeds=0",
                "-listen=1", "-port=0", "-bind=127.0.0.1", "-dbcache=16", "-rpcport=0"));
        command.addAll(List.of(args));
        return command;
    }

    private Process launch(Path datadir, String... args) throws IOException {
        Files.createDirectories(datadir);
        List<String> command = javaCommand(datadir, args);
        command.add("-printtoconsole");
        Path out = datadir.resolve("console.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        processes.add(p);
        consoles.add(out);
        return p;
    }

    private int listeningPort(Process p) throws Exception {
        return Integer.parseInt(awaitLine(p, LISTENING).group(1));
    }

    private void awaitLine(Process p, String text) throws Exception {
        awaitLine(p, Pattern.compile(Pattern.quote(text)));
    }

    private Matcher awaitLine(Process p, Pattern pattern) throws Exception {
        Path out = consoles.get(processes.indexOf(p));
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            String s = Files.exists(out) ? Files.readString(out) : "";
            Matcher m = pattern.matcher(s);
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                throw new AssertionError("daemon exited with " + p.exitValue() + " before '" + pattern + "':\n" + s);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + pattern + "' within " + TIMEOUT_MS + " ms:\n" + Files.readString(out));
    }

    /** SIGTERM by the process's own PID, then an orderly exit with status 0. */
    private void stop(Process p) throws Exception {
        kill("-TERM", p);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "daemon did not stop");
        assertEquals(0, p.exitValue());
    }

    private static void kill(String signal, Process p) throws Exception {
        Process k = new ProcessBuilder("kill", signal, Long.toString(p.pid())).start();
        k.waitFor(10, TimeUnit.SECONDS);
    }
}
