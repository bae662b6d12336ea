package org.jbitcoind.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.config.SettingDef;
import org.jbitcoind.config.SettingsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the daemon as a real process (from the test classpath, so it works before the jar is
 * packaged) and checks what an operator sees: folders, log, pid file, lock, signals, exit codes.
 */
class DaemonProcessTest {
    private static final long START_TIMEOUT_MS = 30_000;
    private static final String STARTED = "started on regtest";

    @TempDir
    Path dir;
    /** Captured standard output and error, kept apart from the data directory. */
    @TempDir
    Path console;
    private final List<Process> processes = new ArrayList<>();
    /** Background daemons (-daemon) are not our children's children we hold a Process for. */
    private final List<Long> backgroundPids = new ArrayList<>();

    @AfterEach
    void killEveryProcessThisTestStarted() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (long pid : backgroundPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void runsLocksAndShutsDownCleanlyOnSigterm() throws Exception {
        Launched node = launch("-regtest", "-datadir=" + dir, "-dnsseed=0", "-fixedseeds=0");
        node.awaitOutput(STARTED);

        Path regtest = dir.resolve("regtest");
        assertTrue(Files.isDirectory(regtest));
        assertTrue(Files.exists(regtest.resolve(".lock")));
        // The console appender writes each line before the file appender: wait for the file too.
        node.awaitLogFile(regtest.resolve("debug.log"));
        String log = Files.readString(regtest.resolve("debug.log"));
        assertTrue(log.contains(STARTED), log);
        assertTrue(log.contains("Network: regtest"), log);
        Path pidFile = regtest.resolve("jbitcoind.pid");
        assertEquals(Long.toString(node.process.pid()), Files.readString(pidFile).trim());

        Launched second = launch("-regtest", "-datadir=" + dir, "-dnsseed=0", "-fixedseeds=0");
        assertEquals(1, second.exitStatus());
        assertEquals(List.of("Error: Cannot obtain a lock on data directory " + regtest
                + ". jbitcoind is probably already running."), second.stderrLines());
        assertFalse(second.stdout().contains("ERROR"), "the error is printed once, on stderr");
        assertTrue(Files.exists(pidFile), "the refused daemon leaves the running one's pid file alone");

        long stopAsked = System.nanoTime();
        node.process.destroy(); // SIGTERM
        assertTrue(node.process.waitFor(10, TimeUnit.SECONDS), "shutdown within 10 s");
        assertTrue(System.nanoTime() - stopAsked < TimeUnit.SECONDS.toNanos(10));
        assertEquals(0, node.process.exitValue());
        assertFalse(Files.exists(pidFile), "pid file removed at shutdown");
        String after = Files.readString(regtest.resolve("debug.log"));
        assertTrue(after.contains("Shutdown: done"), after);

        // The lock went with the process: a new daemon may start on the folder.
        Launched third = launch("-regtest", "-datadir=" + dir, "-dnsseed=0", "-fixedseeds=0",
                "-noprinttoconsole", "-pid=other.pid");
        third.awaitLogFile(regtest.resolve("debug.log"));
        assertTrue(Files.exists(regtest.resolve("other.pid")));
        assertEquals("", third.stdout(), "-noprinttoconsole keeps the console quiet");
        third.process.destroy();
        assertTrue(third.process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, third.process.exitValue());
    }

    @Test
    void sigintShutsDownCleanly() throws Exception {
        Launched node = launch("-regtest", "-datadir=" + dir, "-dnsseed=0", "-fixedseeds=0");
        node.awaitOutput(STARTED);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(node.process.pid())).start();
        processes.add(kill);
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertTrue(node.process.waitFor(10, TimeUnit.SECONDS), "shutdown within 10 s");
        assertEquals(0, node.process.exitValue());
        assertFalse(Files.exists(dir.resolve("regtest").resolve("jbitcoind.pid")));
    }

    @Test
    void logsTheSettingsInUseAndWarnings() throws Exception {
        Files.writeString(dir.resolve("jbitcoind.properties"), "port=9999\nregtest.dbcache=500\nrpcpassword=secret\n");
        Launched node = launch("-regtest", "-datadir=" + dir, "-dnsseed=0", "-fixedseeds=0");
        node.awaitOutput(STARTED);
        node.awaitLogFile(dir.resolve("regtest").resolve("debug.log"));
        String log = Files.readString(dir.resolve("regtest").resolve("debug.log"));
        assertTrue(log.contains("Setting: -dbcache=500"), log);
        assertTrue(log.contains("Setting: -rpcpassword=****"), log);
        assertFalse(log.contains("secret"), log);
        assertTrue(log.contains("WARN") && log.contains("-port at " + dir.resolve("jbitcoind.properties") + ":1"
                + " applies to mainnet only; write regtest.port=... for regtest"), log);
        node.process.destroy();
        assertTrue(node.process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, node.process.exitValue());
    }

    @Test
    void daemonRunsInTheBackgroundAndReportsStartupErrors() throws Exception {
        Path regtest = dir.resolve("regtest");
        Path pidFile = regtest.resolve("jbitcoind.pid");
        Launched parent = launch("-regtest", "-datadir=" + dir, "-dnsseed=0", "-fixedseeds=0", "-daemon");
        try {
            assertEquals(0, parent.exitStatus(), "returns once the background node has started");
        } finally {
            if (Files.exists(pidFile)) {
                backgroundPids.add(Long.parseLong(Files.readString(pidFile).trim()));
            }
        }
        assertEquals(1, backgroundPids.size(), "pid file written by the background node");
        long pid = backgroundPids.get(0);
        ProcessHandle background = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("not running"));
        assertTrue(pid != parent.process.pid());
        assertEquals("", parent.stdout());
        assertEquals(List.of(), parent.stderrLines());
        assertTrue(Files.readString(regtest.resolve("debug.log")).contains(STARTED));

        Launched second = launch("-regtest", "-datadir=" + dir, "-daemon");
        assertEquals(1, second.exitStatus(), "start-up failure of the background copy is reported");
        assertEquals(List.of("Error: Cannot obtain a lock on data directory " + regtest
                + ". jbitcoind is probably already running."), second.stderrLines());

        assertTrue(background.destroy(), "SIGTERM sent");
        background.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(background.isAlive());
        assertFalse(Files.exists(pidFile), "pid file removed at shutdown");
        assertTrue(Files.readString(regtest.resolve("debug.log")).contains("Shutdown: done"));
    }

    @Test
    void unknownKeyStopsStartUp() throws Exception {
        Launched node = launch("-regtest", "-datadir=" + dir, "-foo=1");
        assertEquals(1, node.exitStatus());
        assertEquals(List.of("Error: unknown setting -foo (see -help)"), node.stderrLines());
        assertFalse(Files.exists(dir.resolve("regtest")), "nothing is created before settings are valid");
    }

    @Test
    void malformedValueInPropertiesFileStopsStartUp() throws Exception {
        Path conf = Files.writeString(dir.resolve("jbitcoind.properties"), "regtest=1\ndbcache=abc\n");
        Launched node = launch("-datadir=" + dir);
        assertEquals(1, node.exitStatus());
        assertEquals(List.of("Error: invalid value for -dbcache: 'abc' (expected an integer number of MiB) at "
                + conf + ":2"), node.stderrLines());
    }

    @Test
    void unwritableDataDirectoryStopsStartUp() throws Exception {
        // A plain file where the network folder should be: nobody, not even root, can create it.
        Files.writeString(dir.resolve("regtest"), "in the way");
        Launched node = launch("-regtest", "-datadir=" + dir);
        assertEquals(1, node.exitStatus());
        List<String> err = node.stderrLines();
        assertEquals(1, err.size(), err.toString());
        assertTrue(err.get(0).startsWith("Error: Cannot write to data directory '" + dir.resolve("regtest") + "'"),
                err.get(0));
    }

    @Test
    void readOnlyFileSystemStopsStartUp() throws Exception {
        Path proc = Path.of("/proc");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux /proc");
        Launched node = launch("-regtest", "-datadir=" + proc);
        assertEquals(1, node.exitStatus());
        assertEquals(List.of("Error: Cannot write to data directory '/proc/regtest': it cannot be created there"),
                node.stderrLines());
    }

    @Test
    void missingDataDirectoryStopsStartUp() throws Exception {
        Path missing = dir.resolve("missing");
        Launched node = launch("-regtest", "-datadir=" + missing);
        assertEquals(1, node.exitStatus());
        assertEquals(List.of("Error: specified data directory \"" + missing + "\" does not exist"),
                node.stderrLines());
    }

    @Test
    void helpListsEveryKeyAndExitsZero() throws Exception {
        Launched node = launch("-help");
        assertEquals(0, node.exitStatus());
        String out = node.stdout();
        for (SettingDef def : SettingsRegistry.daemon().all()) {
            assertTrue(out.contains("  -" + def.name()), "-help lists -" + def.name());
        }
    }

    private Launched launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1",
                // Keep the default datadir (~/.jbitcoind) inside the test folder.
                "-Duser.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"),
                "org.jbitcoind.node.Main"));
        command.addAll(List.of(args));
        if (args.length > 0 && !args[0].equals("-help")) {
            // No P2P listener or seeding: parallel test runs would collide on the default port.
            command.addAll(List.of("-listen=0", "-dnsseed=0", "-fixedseeds=0"));
        }
        // An ephemeral RPC port, so parallel test runs never meet on the network's default one.
        command.add("-rpcport=0");
        int n = processes.size();
        Path out = console.resolve("out" + n + ".txt");
        Path err = console.resolve("err" + n + ".txt");
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        processes.add(p);
        return new Launched(p, out, err);
    }

    private record Launched(Process process, Path out, Path err) {
        int exitStatus() throws InterruptedException {
            assertTrue(process.waitFor(START_TIMEOUT_MS, TimeUnit.MILLISECONDS), "process ended in time");
            return process.exitValue();
        }

        String stdout() throws IOException {
            return Files.readString(out);
        }

        List<String> stderrLines() throws IOException {
            return Files.readAllLines(err);
        }

        void awaitOutput(String text) throws Exception {
            awaitContent(out, text);
        }

        /** Waits until the log file shows that this process has started. */
        void awaitLogFile(Path log) throws Exception {
            awaitContent(log, "(pid " + process.pid() + ")");
        }

        private void awaitContent(Path file, String text) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
            while (System.nanoTime() < deadline) {
                if (Files.exists(file) && Files.readString(file).contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("daemon exited with " + process.exitValue() + " before '" + text
                            + "'; stderr: " + Files.readString(err));
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no '" + text + "' in " + file + " within " + START_TIMEOUT_MS + " ms");
        }
    }
}
