package org.jbitcoind.node.p2p;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * The open-files limit of this process: the soft RLIMIT_NOFILE as the JVM reports it. On Linux
 * HotSpot raises the soft limit to the hard one at start (its MaxFDLimit option, on by default), so
 * this is in effect {@code ulimit -Hn}. Empty where the platform has no such limit to report
 * (Windows) or the JVM does not know it.
 */
public final class OpenFilesLimit {
    private OpenFilesLimit() {
    }

    public static OptionalLong current() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return max > 0 ? OptionalLong.of(max) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
