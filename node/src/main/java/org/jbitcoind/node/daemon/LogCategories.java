package org.jbitcoind.node.daemon;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbitcoind.config.ConfigException;

/**
 * Maps {@code -debug=<category>} to the logger names that get DEBUG level. Category names follow
 * Bitcoin Core's where the same subsystem exists; a value with a dot is taken as a logger name
 * (a package or class), so any part of the code can be opened up without a new category.
 */
public final class LogCategories {
    /** The project's root logger: -debug=1 or -debug=all turns on DEBUG for all of it. */
    static final String ROOT = "org.jbitcoind";

    private static final Map<String, List<String>> CATEGORIES = categories();

    private LogCategories() {
    }

    private static Map<String, List<String>> categories() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("net", List.of("org.jbitcoind.node.net", "org.jbitcoind.node.p2p", "org.jbitcoind.protocol"));
        m.put("addrman", List.of("org.jbitcoind.node.addrman", "org.jbitcoind.node.net.addrman"));
        m.put("cmpctblock", List.of("org.jbitcoind.node.net.compact", "org.jbitcoind.node.p2p.compact"));
        m.put("mempool", List.of("org.jbitcoind.chain.mempool", "org.jbitcoind.node.relay"));
        m.put("validation", List.of("org.jbitcoind.chain"));
        m.put("rpc", List.of("org.jbitcoind.node.rpc"));
        m.put("http", List.of("org.jbitcoind.node.rpc", "org.jbitcoind.node.http"));
        m.put("coindb", List.of("org.jbitcoind.storage", "org.jbitcoind.chain.coins"));
        m.put("blockstorage", List.of("org.jbitcoind.storage"));
        m.put("rocksdb", List.of("org.jbitcoind.storage", "org.rocksdb"));
        m.put("prune", List.of("org.jbitcoind.storage"));
        m.put("reindex", List.of("org.jbitcoind.storage", "org.jbitcoind.chain"));
        m.put("metrics", List.of("org.jbitcoind.node.metrics"));
        m.put("daemon", List.of("org.jbitcoind.node"));
        return m;
    }

    /** The category names -debug accepts, besides 0/none, 1/all and logger names. */
    public static Set<String> names() {
        return CATEGORIES.keySet();
    }

    /**
     * The loggers to put at DEBUG for the given -debug values. {@code 0} or {@code none} anywhere
     * turns everything off again, as in Core.
     */
    public static Set<String> loggers(List<String> debug) throws ConfigException {
        Set<String> out = new LinkedHashSet<>();
        for (String value : debug) {
            String v = value.trim();
            if (v.equals("0") || v.equals("none")) {
                return Set.of();
            }
            if (v.equals("1") || v.equals("all")) {
                out.add(ROOT);
            } else if (CATEGORIES.containsKey(v)) {
                out.addAll(CATEGORIES.get(v));
            } else if (v.contains(".") && !v.startsWith(".") && !v.endsWith(".")) {
                out.add(v);
            } else {
                throw new ConfigException("invalid value for -debug: '" + value + "' (expected 1, all, 0, none,"
                        + " a logger name or one of " + String.join(", ", CATEGORIES.keySet()) + ")");
            }
        }
        return out;
    }
}
