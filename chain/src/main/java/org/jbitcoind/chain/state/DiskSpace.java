package org.jbitcoind.chain.state;

import java.io.File;
import java.nio.file.Path;

/**
 * Stops the chain state before the disk is full instead of in the middle of a write (Core's
 * CheckDiskSpace and its "Disk space is too low!" shutdown), and recognises the database's own
 * out-of-space errors so both reach the operator as the same clear message.
 */
public final class DiskSpace {
    /** Core's minimum free space kept on the data disk (nMinDiskSpace), 50 MiB. */
    public static final long MIN_FREE_BYTES = 50L * 1024 * 1024;
    /** Start of every out-of-space failure message, for operators and log searches. */
    public static final String TOO_LOW = "Disk space is too low!";

    private DiskSpace() {
    }

    /**
     * Fails when writing {@code additional} bytes under {@code dir} would leave less than
     * {@link #MIN_FREE_BYTES} free. A file system that reports no size at all is not checked.
     */
    static void check(Path dir, long additional) {
        File f = dir.toFile();
        long total = f.getTotalSpace();
        if (total == 0) {
            return;
        }
        long free = f.getUsableSpace();
        if (free < MIN_FREE_BYTES + additional) {
            throw new ChainstateFailure(TOO_LOW + " " + mib(free) + " MiB free in " + dir + ", the node keeps at least "
                    + mib(MIN_FREE_BYTES) + " MiB free; free some space (or move the data directory) and restart");
        }
    }

    /** Whether {@code e} or one of its causes is the file system running out of space. */
    public static boolean isOutOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.startsWith(TOO_LOW) || m.contains("No space left on device") || m.contains("ENOSPC")
                    || m.contains("NoSpace"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The failure as the operator should read it: out-of-space errors of the database say so, naming the folder. */
    static ChainstateFailure describe(ChainstateFailure e, Path dir) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith(TOO_LOW) || !isOutOfSpace(e)) {
            return e;
        }
        return new ChainstateFailure(TOO_LOW + " Writing to " + dir + " failed (" + m
                + "); free some space and restart: the database keeps its last complete write", e);
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
