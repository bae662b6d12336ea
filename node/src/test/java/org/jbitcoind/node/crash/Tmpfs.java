package org.jbitcoind.node.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited directory for the full-disk test: a Linux tmpfs mounted with {@code mount -t
 * tmpfs -o size=N}, grown with {@code remount}. Needs root (or CAP_SYS_ADMIN), as in CI's container.
 */
final class Tmpfs {
    /** Mounted by this JVM and not yet unmounted: detached if the JVM is ended before a test's cleanup. */
    private static final java.util.Set<Path> MOUNTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path dir : MOUNTED) {
                try {
                    run("umount", "-l", dir.toString());
                } catch (IOException | InterruptedException e) {
                    // the JVM is going away; nothing more to do
                }
            }
        }, "unmount-test-tmpfs"));
    }

    private Tmpfs() {
    }

    /** Mounts a tmpfs of {@code mib} MiB on {@code dir}; returns why not if it cannot. */
    static String mount(Path dir, int mib) throws IOException, InterruptedException {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "not Linux (" + System.getProperty("os.name") + ")";
        }
        Files.createDirectories(dir);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", dir.toString());
        if (out == null) {
            MOUNTED.add(dir);
            return null;
        }
        return "mount -t tmpfs failed (needs root or CAP_SYS_ADMIN): " + out;
    }

    /** Changes the size of the mounted tmpfs (data stays). */
    static void resize(Path dir, int mib) throws IOException, InterruptedException {
        String out = run("mount", "-o", "remount,size=" + mib + "m", dir.toString());
        if (out != null) {
            throw new IOException("remount of " + dir + " failed: " + out);
        }
    }

    static void unmount(Path dir) throws IOException, InterruptedException {
        MOUNTED.remove(dir);
        String out = run("umount", dir.toString());
        if (out != null) {
            // Still busy (a process that did not die yet): detach it so nothing stays mounted.
            run("umount", "-l", dir.toString());
        }
    }

    /** Runs a command (bounded); null on success, else its exit status and output. */
    private static String run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + " did not finish";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : "status " + p.exitValue() + ": " + out;
    }
}
