package org.jbitcoind.config;

import static org.jbitcoind.config.SettingCategory.CHAIN;
import static org.jbitcoind.config.SettingCategory.CONNECTION;
import static org.jbitcoind.config.SettingCategory.DEBUG;
import static org.jbitcoind.config.SettingCategory.GENERAL;
import static org.jbitcoind.config.SettingCategory.MEMPOOL;
import static org.jbitcoind.config.SettingCategory.RPC;
import static org.jbitcoind.config.SettingCategory.STORAGE;
import static org.jbitcoind.config.SettingType.AMOUNT;
import static org.jbitcoind.config.SettingType.BOOL;
import static org.jbitcoind.config.SettingType.INT;
import static org.jbitcoind.config.SettingType.LIST;
import static org.jbitcoind.config.SettingType.PATH;
import static org.jbitcoind.config.SettingType.STRING;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every key the daemon reads. Names and defaults follow Bitcoin Core (release 30) wherever Core
 * has the setting; docs/configuration.md explains each one and lists the Core keys we do not take.
 */
final class DaemonSettings {
    private static final Pattern HASH_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern WORK_HEX = Pattern.compile("(0x)?[0-9a-fA-F]{1,64}");

    private DaemonSettings() {
    }

    /** The default data directory, {@code ~/.jbitcoind}. */
    static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".jbitcoind");
    }

    static List<SettingDef> all() {
        return List.of(
                // General
                bool(GENERAL, "help", false, "Print this help (every setting and its default) and exit; also -h, -?"),
                bool(GENERAL, "version", false, "Print the version and exit"),
                SettingDef.builder("datadir", PATH, GENERAL)
                        .defaultValue(defaultDataDir().toString()).shownDefault("~/.jbitcoind")
                        .constraint(v -> !((String) v).isEmpty(), "a folder that exists")
                        .help("Data folder; if given it must exist. Each network but main uses a sub-folder")
                        .build(),
                SettingDef.builder("conf", PATH, GENERAL).commandLineOnly()
                        .defaultValue(SettingsLoader.DEFAULT_CONF)
                        .help("Properties file to read (relative: below -datadir); -noconf reads none."
                                + " Command line only")
                        .build(),
                SettingDef.builder("pid", PATH, GENERAL).defaultValue("jbitcoind.pid")
                        .help("Process id file (relative: below the network data folder), removed at shutdown;"
                                + " -nopid writes none")
                        .build(),
                bool(GENERAL, "daemon", false, "Run in the background (logging to the log file only) once"
                        + " start-up has succeeded; start-up errors are still reported here"),
                SettingDef.builder("metricsport", INT, GENERAL).defaultValue("0").range(0, 65535)
                        .help("Serve Prometheus metrics over HTTP on 127.0.0.1 at this port (0: off)")
                        .build(),

                // Chain selection
                SettingDef.builder("chain", STRING, CHAIN).defaultValue("main")
                        .choices("main", "test", "testnet4", "signet", "regtest")
                        .help("Network to use: main, test (testnet3), testnet4, signet or regtest")
                        .build(),
                bool(CHAIN, "regtest", false, "Use the regression test network (same as -chain=regtest)"),
                bool(CHAIN, "testnet", false, "Use testnet3 (same as -chain=test)"),
                bool(CHAIN, "testnet4", false, "Use testnet4 (same as -chain=testnet4)"),
                bool(CHAIN, "signet", false, "Use the default signet (same as -chain=signet)"),

                // Connections
                bool(CONNECTION, "listen", true, "Accept incoming P2P connections; off by default with -connect"),
                SettingDef.builder("port", INT, CONNECTION).networkOnly().range(0, 65535)
                        .defaultPerNetwork(n -> Integer.toString(n.defaultPort()),
                                "8333, test 18333, testnet4 48333, signet 38333, regtest 18444")
                        .help("Listen for P2P connections on this port (0: any free port)")
                        .build(),
                SettingDef.builder("bind", LIST, CONNECTION).networkOnly().shownDefault("all interfaces")
                        .help("Listen for P2P connections on this address[:port]; repeatable")
                        .build(),
                list(CONNECTION, "connect", "Connect only to this peer (host[:port]); repeatable;"
                        + " -noconnect or -connect=0: no automatic outbound connections", true),
                list(CONNECTION, "addnode", "Connect to this peer (host[:port]) and keep trying to stay"
                        + " connected; repeatable", true),
                list(CONNECTION, "seednode", "Connect to this peer (host[:port]) to learn addresses, then"
                        + " disconnect; repeatable", true),
                bool(CONNECTION, "dnsseed", true, "Query DNS seeds for peer addresses when we know too few;"
                        + " off by default with -connect"),
                bool(CONNECTION, "fixedseeds", true, "Use the built-in seed peers when DNS seeds give none"),
                SettingDef.builder("maxconnections", INT, CONNECTION).defaultValue("125").range(0, 100_000)
                        .unit("connections")
                        .help("Most P2P connections, inbound and outbound together; below 11 the outbound slots are cut"
                                + " to fit and no inbound is left")
                        .build(),
                list(CONNECTION, "externalip", "Tell peers this is our address; repeatable", false),
                bool(CONNECTION, "discover", true, "Find our own addresses to advertise; off by default with"
                        + " -externalip, -connect or -listen=0"),
                SettingDef.builder("onlynet", LIST, CONNECTION).choices("ipv4", "ipv6")
                        .help("Make outbound connections only to this network (ipv4 or ipv6); repeatable")
                        .build(),
                SettingDef.builder("bantime", INT, CONNECTION).defaultValue("86400").range(1, 10L * 365 * 86400)
                        .unit("seconds")
                        .help("How long a misbehaving peer stays banned, in seconds")
                        .build(),
                SettingDef.builder("timeout", INT, CONNECTION).defaultValue("5000").range(1, 600_000)
                        .unit("milliseconds")
                        .help("Timeout for opening an outbound connection, in milliseconds")
                        .build(),
                SettingDef.builder("peertimeout", INT, CONNECTION).defaultValue("60").range(1, 86_400)
                        .unit("seconds")
                        .help("Disconnect a peer that stays silent this long after connecting, in seconds")
                        .build(),
                SettingDef.builder("maxuploadtarget", INT, CONNECTION).defaultValue("0").range(0, Long.MAX_VALUE)
                        .unit("MiB")
                        .help("Try to keep upload below this many MiB per 24 hours (0: no limit)")
                        .build(),
                bool(CONNECTION, "peerbloomfilters", false, "Serve BIP37 bloom-filtered blocks and transactions"),
                bool(CONNECTION, "peerblockfilters", false, "Serve BIP157 compact block filters (needs"
                        + " -blockfilterindex)"),
                bool(CONNECTION, "blocksonly", false, "Do not take or relay loose transactions from peers"),

                // RPC server
                bool(RPC, "server", true, "Accept JSON-RPC commands"),
                SettingDef.builder("rpcport", INT, RPC).networkOnly().range(0, 65535)
                        .defaultPerNetwork(n -> Integer.toString(n.defaultRpcPort()),
                                "8332, test 18332, testnet4 48332, signet 38332, regtest 18443")
                        .help("Listen for JSON-RPC on this port (0: any free port)")
                        .build(),
                SettingDef.builder("rpcbind", LIST, RPC).networkOnly().shownDefault("127.0.0.1 and ::1")
                        .help("Listen for JSON-RPC on this address[:port]; repeatable; used only together with"
                                + " -rpcallowip")
                        .build(),
                SettingDef.builder("rpcallowip", LIST, RPC).shownDefault("localhost only")
                        .help("Accept JSON-RPC from this address or subnet (1.2.3.4, 1.2.3.0/24, ::1/128);"
                                + " repeatable")
                        .build(),
                SettingDef.builder("rpcuser", STRING, RPC)
                        .help("User name for JSON-RPC basic authentication (with -rpcpassword)")
                        .build(),
                SettingDef.builder("rpcpassword", STRING, RPC).secret()
                        .help("Password for JSON-RPC basic authentication (with -rpcuser)")
                        .build(),
                SettingDef.builder("rpcauth", LIST, RPC).secret()
                        .help("A user allowed to call JSON-RPC, as user:salt$hmac-sha256 (Core's rpcauth"
                                + " format); repeatable")
                        .build(),
                SettingDef.builder("rpccookiefile", PATH, RPC).defaultValue(".cookie")
                        .help("Where to write the RPC authentication cookie (relative: below the network"
                                + " data folder)")
                        .build(),
                SettingDef.builder("rpcthreads", INT, RPC).defaultValue("16").range(1, 1024).unit("threads")
                        .help("Threads that execute JSON-RPC calls")
                        .build(),
                SettingDef.builder("rpcworkqueue", INT, RPC).defaultValue("64").range(1, 1_000_000)
                        .unit("requests")
                        .help("JSON-RPC requests that may wait for a thread before new ones are refused")
                        .build(),
                SettingDef.builder("rpcservertimeout", INT, RPC).defaultValue("30").range(1, 86_400)
                        .unit("seconds")
                        .help("Close an idle HTTP connection of the RPC server after this many seconds")
                        .build(),

                // Block and chain storage
                SettingDef.builder("dbcache", INT, STORAGE).defaultValue("450").range(4, 1L << 20).unit("MiB")
                        .help("Memory for the UTXO cache and database caches, in MiB")
                        .build(),
                SettingDef.builder("prune", INT, STORAGE).defaultValue("0").range(0, Long.MAX_VALUE).unit("MiB")
                        .constraint(v -> (Long) v <= 1 || (Long) v >= 550,
                                "0 (keep all blocks), 1 (prune on request) or a target in MiB of at least 550")
                        .help("Delete old block files to stay below this many MiB; 1: only when asked by RPC")
                        .build(),
                bool(STORAGE, "txindex", false, "Keep an index of every transaction (for getrawtransaction)"),
                SettingDef.builder("blockfilterindex", STRING, STORAGE).defaultValue("0").choices("0", "1", "basic")
                        .help("Build the BIP158 basic block filter index: 0, 1 or basic (same as 1)")
                        .build(),
                bool(STORAGE, "reindex", false, "Rebuild the block index and chain state from the block files"),
                bool(STORAGE, "reindex-chainstate", false, "Rebuild the chain state from the blocks already"
                        + " indexed"),
                SettingDef.builder("loadblock", LIST, STORAGE)
                        .help("Import blocks from this blk*.dat-format file at start-up; repeatable")
                        .build(),
                SettingDef.builder("assumevalid", STRING, STORAGE).shownDefault("the network's built-in block")
                        .constraint(v -> ((String) v).isEmpty() || v.equals("0") || HASH_HEX.matcher((String) v)
                                .matches(), "0 or a block hash of 64 hex digits")
                        .help("Skip script checks for ancestors of this block; 0 checks every script")
                        .build(),
                SettingDef.builder("minimumchainwork", STRING, STORAGE).shownDefault("the network's built-in value")
                        .constraint(v -> ((String) v).isEmpty() || WORK_HEX.matcher((String) v).matches(),
                                "a hexadecimal number of at most 64 digits")
                        .help("Do not sync a header chain with less total work than this (hex)")
                        .build(),
                SettingDef.builder("maxtipage", INT, STORAGE).defaultValue("86400").range(0, 0xFFFF_FFFFL)
                        .unit("seconds")
                        .help("Maximum tip age in seconds to consider the node in initial block download")
                        .build(),
                SettingDef.builder("par", INT, STORAGE).defaultValue("0").range(-256, 15).unit("threads")
                        .help("Script verification threads: 0 one per core, negative leaves that many cores"
                                + " free, at most 15")
                        .build(),

                // Mempool and relay
                SettingDef.builder("maxmempool", INT, MEMPOOL).defaultValue("300").range(5, 1L << 20).unit("MiB")
                        .help("Keep the transaction memory pool below this many MiB")
                        .build(),
                SettingDef.builder("mempoolexpiry", INT, MEMPOOL).defaultValue("336").range(1, 1_000_000)
                        .unit("hours")
                        .help("Drop transactions older than this many hours from the memory pool")
                        .build(),
                amount(MEMPOOL, "minrelaytxfee", "0.000001", "Lowest fee rate (BTC/kvB) of a transaction we"
                        + " accept, relay or mine"),
                amount(MEMPOOL, "incrementalrelayfee", "0.000001", "Fee rate (BTC/kvB) a replacement must add,"
                        + " and the step of the mempool's minimum fee"),
                amount(MEMPOOL, "blockmintxfee", "0.00000001", "Lowest fee rate (BTC/kvB) of a transaction put in"
                        + " a block template"),
                SettingDef.builder("blockmaxweight", INT, MEMPOOL).defaultValue("3996000").range(4000, 4_000_000)
                        .unit("weight units")
                        .help("Largest weight of a block template")
                        .build(),
                bool(MEMPOOL, "persistmempool", true, "Save the memory pool at shutdown and load it at start-up"),
                bool(MEMPOOL, "datacarrier", true, "Relay and mine transactions with OP_RETURN data outputs"),
                SettingDef.builder("datacarriersize", INT, MEMPOOL).defaultValue("100000").range(0, 4_000_000)
                        .unit("bytes")
                        .help("Largest total size of OP_RETURN output scripts in a transaction we relay")
                        .build(),
                bool(MEMPOOL, "permitbaremultisig", true, "Relay transactions with bare multisig outputs"),

                // Debugging and logging
                SettingDef.builder("debug", LIST, DEBUG)
                        .help("Log DEBUG lines for this category (see docs/configuration.md), a logger name,"
                                + " or 1/all for everything; repeatable")
                        .build(),
                SettingDef.builder("txannounceinterval", INT, DEBUG).defaultValue("2000").range(1, 600_000)
                        .unit("ms")
                        .help("Mean delay of transaction announcements to an outbound peer (inbound: 2.5 times"
                                + " this, on one shared timer); shorter only for tests")
                        .build(),
                bool(DEBUG, "printtoconsole", true, "Write log lines to standard output"),
                SettingDef.builder("debuglogfile", PATH, DEBUG).defaultValue("debug.log")
                        .help("Log file (relative: below the network data folder), rotated by size;"
                                + " -nodebuglogfile writes none")
                        .build());
    }

    private static SettingDef bool(SettingCategory category, String name, boolean defaultValue, String help) {
        return SettingDef.builder(name, BOOL, category).defaultValue(defaultValue ? "1" : "0").help(help).build();
    }

    private static SettingDef list(SettingCategory category, String name, String help, boolean networkOnly) {
        SettingDef.Builder b = SettingDef.builder(name, LIST, category).help(help);
        return (networkOnly ? b.networkOnly() : b).build();
    }

    private static SettingDef amount(SettingCategory category, String name, String defaultValue, String help) {
        return SettingDef.builder(name, AMOUNT, category).defaultValue(defaultValue).help(help).build();
    }
}
