package org.jbitcoind.node.rpc;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A {@link LoggingControl} holding the on/off state of Core-named debug categories; the daemon passes a
 * listener that applies a change to its loggers (e.g. sets "net" to DEBUG).
 */
public final class LogCategories implements LoggingControl {
    /** Core's debug categories that a wallet-less, GUI-less node has. */
    public static final List<String> NODE_CATEGORIES = List.of("addrman", "bench", "blockstorage", "cmpctblock",
            "coindb", "estimatefee", "http", "leveldb", "mempool", "mempoolrej", "net", "proxy", "prune", "rand",
            "reindex", "rpc", "scan", "txpackages", "txreconciliation", "validation");

    private final SortedMap<String, Boolean> state = new TreeMap<>();
    private final Path logFile;
    private final BiConsumer<String, Boolean> onChange;

    public LogCategories(List<String> categories, Path logFile, BiConsumer<String, Boolean> onChange) {
        categories.forEach(c -> state.put(c, false));
        this.logFile = logFile;
        this.onChange = onChange;
    }

    @Override
    public synchronized SortedMap<String, Boolean> categories() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(state));
    }

    @Override
    public boolean enable(String category) {
        return set(category, true);
    }

    @Override
    public boolean disable(String category) {
        return set(category, false);
    }

    private synchronized boolean set(String category, boolean on) {
        if (category.isEmpty() || category.equals("1") || category.equals("all")) {
            for (String name : state.keySet()) {
                apply(name, on);
            }
            return true;
        }
        if (category.equals("0") || category.equals("none")) {
            return true;
        }
        if (!state.containsKey(category)) {
            return false;
        }
        apply(category, on);
        return true;
    }

    private void apply(String category, boolean on) {
        if (state.put(category, on) != on) {
            onChange.accept(category, on);
        }
    }

    @Override
    public Path logFile() {
        return logFile;
    }
}
