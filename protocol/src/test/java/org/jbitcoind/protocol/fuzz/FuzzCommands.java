package org.jbitcoind.protocol.fuzz;

import java.util.List;

/**
 * The commands {@link MessageFuzzTest} can select with an input's first byte. Append only: the
 * committed corpus files start with an index into this list, so reordering or removing an entry
 * silently changes what every stored input means.
 */
final class FuzzCommands {
    static final List<String> ALL = List.of(
            "version", "verack", "getaddr", "mempool", "sendheaders", "filterclear", "sendaddrv2",
            "wtxidrelay", "ping", "pong", "addr", "addrv2", "inv", "getdata", "notfound", "getblocks",
            "getheaders", "headers", "block", "tx", "feefilter", "sendcmpct", "cmpctblock", "getblocktxn",
            "blocktxn", "filterload", "filteradd", "merkleblock", "getcfilters", "cfilter", "getcfheaders",
            "cfheaders", "getcfcheckpt", "cfcheckpt", "reject", "alert");

    private FuzzCommands() {
    }

    /** The command an input selects, or null when its first byte is past the end of the list. */
    static String select(byte first) {
        int i = first & 0xff;
        return i < ALL.size() ? ALL.get(i) : null;
    }

    static byte indexOf(String command) {
        int i = ALL.indexOf(command);
        if (i < 0) {
            throw new IllegalArgumentException("not a fuzzed command: " + command);
        }
        return (byte) i;
    }
}
