package org.jbitcoind.node.daemon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code -daemon}: start the node again as a background process in its own session (so closing
 * the terminal does not stop it), wait until it has started or failed, and report which. The
 * parent's exit status is 0 once the node runs, or the child's own status and error line if
 * start-up failed (Core's -daemon with -daemonwait).
 */
final class Background {
    /** System property that marks the background copy; it prints {@link #READY} once started. */
    static final String CHILD_PROPERTY = "jbitcoind.background";
    static final String READY = "jbitcoind: ready";

    private Background() {
    }

    static boolean isChild() {
        return System.getProperty(CHILD_PROPERTY) != null;
    }

    /** Tells the waiting parent that start-up is complete. */
    static void signalReady(PrintStream out) {
        out.println(READY);
        out.flush();
    }

    static int launch(List<String> args, PrintStream err) {
        List<String> command = new ArrayList<>();
        setsid().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + CHILD_PROPERTY + "=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(org.jbitcoind.node.Main.class.getName());
        command.addAll(args);
        // Last occurrence wins: the copy runs in the foreground of its own session, logging to file only.
        command.add("-daemon=0");
        command.add("-printtoconsole=0");

        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        File devNull = new File("/dev/null");
        if (devNull.exists()) {
            pb.redirectInput(devNull);
        }
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            err.println("Error: cannot start jbitcoind in the background: " + e.getMessage());
            return 1;
        }
        return awaitStart(child, err);
    }

    /** Relays the child's output (its error line, if any) until it reports ready or exits. */
    private static int awaitStart(Process child, PrintStream err) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals(READY)) {
                    return 0;
                }
                err.println(line);
            }
            return child.waitFor();
        } catch (IOException e) {
            err.println("Error: lost contact with the background jbitcoind: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static Optional<Path> setsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
