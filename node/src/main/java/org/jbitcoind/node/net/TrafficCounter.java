package org.jbitcoind.node.net;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes received and sent per message command (header included), as getpeerinfo's
 * bytesrecv_per_msg / bytessent_per_msg report them. Updated on the connection's I/O thread,
 * read from any thread.
 *
 * <p>A peer's counter may have a parent, the node-wide counter, that every update also goes to:
 * the parent then holds the whole run's traffic (peers gone included) for getnettotals and the
 * metrics, without summing peers at read time.
 */
public final class TrafficCounter {
    /** Commands outside the known set are counted under this key, as Core does, so a peer cannot grow the map. */
    public static final String OTHER = "*other*";
    private static final java.util.Set<String> KNOWN = java.util.Set.of("version", "verack", "ping", "pong", "addr",
            "addrv2", "getaddr", "inv", "getdata", "notfound", "getblocks", "getheaders", "headers", "block", "tx",
            "mempool", "sendheaders", "feefilter", "sendcmpct", "cmpctblock", "getblocktxn", "blocktxn",
            "filterload", "filteradd", "filterclear", "merkleblock", "getcfilters", "cfilter", "getcfheaders",
            "cfheaders", "getcfcheckpt", "cfcheckpt", "sendaddrv2", "wtxidrelay", "reject", "alert");

    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final LongAdder totalReceived = new LongAdder();
    private final LongAdder totalSent = new LongAdder();
    private final TrafficCounter parent;

    /** A counter of its own, with no parent. */
    public TrafficCounter() {
        this(null);
    }

    /** @param parent also told of every update (the node-wide counter), or null */
    public TrafficCounter(TrafficCounter parent) {
        this.parent = parent;
    }

    public void received(String command, int bytes) {
        received.computeIfAbsent(key(command), k -> new LongAdder()).add(bytes);
        totalReceived.add(bytes);
        if (parent != null) {
            parent.received(command, bytes);
        }
    }

    public void sent(String command, int bytes) {
        sent.computeIfAbsent(key(command), k -> new LongAdder()).add(bytes);
        totalSent.add(bytes);
        if (parent != null) {
            parent.sent(command, bytes);
        }
    }

    private static String key(String command) {
        return KNOWN.contains(command) ? command : OTHER;
    }

    public long totalReceived() {
        return totalReceived.sum();
    }

    public long totalSent() {
        return totalSent.sum();
    }

    /** Bytes received in messages of {@code command} (a known command or {@link #OTHER}). */
    public long received(String command) {
        LongAdder a = received.get(command);
        return a == null ? 0 : a.sum();
    }

    /** Bytes sent in messages of {@code command} (a known command or {@link #OTHER}). */
    public long sent(String command) {
        LongAdder a = sent.get(command);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> receivedPerMessage() {
        return snapshot(received);
    }

    public Map<String, Long> sentPerMessage() {
        return snapshot(sent);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
