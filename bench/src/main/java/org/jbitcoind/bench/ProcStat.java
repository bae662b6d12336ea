package org.jbitcoind.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Readings from Linux's /proc for the multi-process benchmarks: CPU time of a process (or this
 * JVM, "self"), CPU time per thread group, and the machine's load average.
 */
final class ProcStat {
    /** Linux reports CPU times in clock ticks (getconf CLK_TCK; 100 on every mainstream kernel configuration). */
    private static final double CLOCK_TICKS = clockTicks();

    private ProcStat() {
    }

    /** utime + stime of a process, all its threads (fields 14 and 15 of /proc/PID/stat); {@code pid} may be "self". */
    static double cpuSeconds(String pid) throws IOException {
        return cpuOfStatLine(Files.readString(Path.of("/proc", pid, "stat")));
    }

    /**
     * CPU seconds per thread group of a process (the thread name without its trailing numbers, so
     * the script-check pool, Netty's event loops, GC and JIT threads each sum up), largest first;
     * groups under 0.05 s are left out.
     */
    static Map<String, Double> cpuByThread(long pid) throws IOException {
        Map<String, Double> sorted = new LinkedHashMap<>();
        exactCpuByThread(pid).entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Math.round(e.getValue() * 10) / 10.0));
        return sorted;
    }

    /** CPU seconds per thread group as {@link #cpuByThread}, unrounded and all groups, in no order. */
    static Map<String, Double> exactCpuByThread(long pid) throws IOException {
        Map<String, Double> byName = new HashMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : s.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceAll("[-#\\s]*[0-9]+([-#][0-9]+)*$", "");
                byName.merge(name, cpuOfStatLine(stat), Double::sum);
            }
        }
        return byName;
    }

    /** The machine's load averages over 1, 5 and 15 minutes (/proc/loadavg), to print next to results. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static double cpuOfStatLine(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
    }
}
