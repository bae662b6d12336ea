package org.jbitcoind.node.rpc;

import java.nio.file.Path;
import java.util.SortedMap;

/** What the {@code logging} and {@code getrpcinfo} methods need from the daemon's logging setup. */
public interface LoggingControl {
    /** Every debug category and whether it is logged, sorted by name. */
    SortedMap<String, Boolean> categories();

    /** Turns a category on; "all", "1" or "" mean every category, "none" and "0" nothing. False if unknown. */
    boolean enable(String category);

    /** Turns a category off, with the same special names as {@link #enable}. False if unknown. */
    boolean disable(String category);

    /** The debug log file (getrpcinfo's "logpath"). */
    Path logFile();
}
