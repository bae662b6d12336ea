package org.jbitcoind.node.rpc.methods;

import static org.jbitcoind.node.rpc.RpcArg.optional;
import static org.jbitcoind.node.rpc.RpcArg.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jbitcoind.node.connmgr.BanMan;
import org.jbitcoind.node.connmgr.ConnectionManager;
import org.jbitcoind.node.p2p.P2pService;
import org.jbitcoind.node.peer.ConnectionType;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.rpc.RpcArgType;
import org.jbitcoind.node.rpc.RpcCall;
import org.jbitcoind.node.rpc.RpcErrorCode;
import org.jbitcoind.node.rpc.RpcException;
import org.jbitcoind.node.rpc.RpcMethod;
import org.jbitcoind.node.rpc.RpcRegistry;
import org.jbitcoind.node.sync.PeerSyncStats;
import org.jbitcoind.protocol.message.ProtocolVersions;
import org.jbitcoind.protocol.message.VersionMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;

/** Core's "network" category over the P2P service. */
public final class NetworkMethods {
    private static final String CATEGORY = "network";
    /** Our version as Core encodes CLIENT_VERSION (major * 10000 + minor * 100 + patch): 0.1.0. */
    static final int CLIENT_VERSION = 100;
    private static final String[] SERVICE_NAMES = new String[12];

    static {
        SERVICE_NAMES[0] = "NETWORK";
        SERVICE_NAMES[2] = "BLOOM";
        SERVICE_NAMES[3] = "WITNESS";
        SERVICE_NAMES[6] = "COMPACT_FILTERS";
        SERVICE_NAMES[10] = "NETWORK_LIMITED";
        SERVICE_NAMES[11] = "P2P_V2";
    }

    private final Supplier<P2pService> p2p;

    private NetworkMethods(Supplier<P2pService> p2p) {
        this.p2p = p2p;
    }

    public static void register(RpcRegistry registry, Supplier<P2pService> p2p) {
        NetworkMethods m = new NetworkMethods(p2p);
        registry.register(new RpcMethod("getconnectioncount", CATEGORY, List.of(),
                "Returns the number of connections to other nodes.", "n    (numeric) The connection count",
                c -> RpcCall.json().numberNode(m.connman().peers().size())));
        registry.register(new RpcMethod("getpeerinfo", CATEGORY, List.of(),
                "Returns data about each connected network peer as a json array of objects.",
                "[ { id, addr, network, services, servicesnames, relaytxes, lastsend, lastrecv, last_transaction, "
                        + "last_block, bytessent, bytesrecv, conntime, timeoffset, pingtime?, minping?, pingwait?, "
                        + "version, subver, inbound, bip152_hb_to, bip152_hb_from, startingheight, presynced_headers, "
                        + "synced_headers, synced_blocks, inflight, addr_relay_enabled, addr_processed, "
                        + "addr_rate_limited, permissions, minfeefilter, bytessent_per_msg, bytesrecv_per_msg, "
                        + "connection_type, transport_protocol_type, session_id }, ... ]",
                m::getpeerinfo));
        registry.register(new RpcMethod("getnetworkinfo", CATEGORY, List.of(),
                "Returns an object containing various state info regarding P2P networking.",
                "{ version, subversion, protocolversion, localservices, localservicesnames, localrelay, timeoffset, "
                        + "networkactive, connections, connections_in, connections_out, networks, relayfee, "
                        + "incrementalfee, localaddresses, warnings }",
                m::getnetworkinfo));
        registry.register(new RpcMethod("getnettotals", CATEGORY, List.of(),
                "Returns information about network traffic, including bytes in, bytes out,\nand current system time.",
                "{ totalbytesrecv, totalbytessent, timemillis, uploadtarget: { timeframe, target, target_reached, "
                        + "serve_historical_blocks, bytes_left_in_cycle, time_left_in_cycle } }",
                m::getnettotals));
        registry.register(new RpcMethod("addnode", CATEGORY,
                List.of(required("node", RpcArgType.STR, "The address of the peer to connect to"),
                        required("command", RpcArgType.STR,
                                "'add' to add a node to the list, 'remove' to remove a node from the list, 'onetry' to try a connection to the node once")),
                "Attempts to add or remove a node from the addnode list.\nOr try a connection to a node once.",
                null, m::addnode));
        registry.register(new RpcMethod("disconnectnode", CATEGORY,
                List.of(optional("address", RpcArgType.STR, "fallback to nodeid", "The IP address/port of the node"),
                        optional("nodeid", RpcArgType.NUM, "fallback to address", "The node ID (see getpeerinfo for node IDs)")),
                "Immediately disconnects from the specified peer node.\n\nStrictly one out of 'address' and 'nodeid' "
                        + "can be provided to identify the node.", null, m::disconnectnode));
        registry.register(new RpcMethod("getaddednodeinfo", CATEGORY,
                List.of(optional("node", RpcArgType.STR, "all nodes", "If provided, return information about this specific node, otherwise all nodes are returned.")),
                "Returns information about the given added node, or all added nodes\n(note that onetry addnodes are "
                        + "not listed here)", "[ { addednode, connected, addresses: [ { address, connected } ] }, ... ]",
                m::getaddednodeinfo));
        registry.register(new RpcMethod("setban", CATEGORY,
                List.of(required("subnet", RpcArgType.STR, "The IP (an optional /32 or /128 netmask) to ban"),
                        required("command", RpcArgType.STR, "'add' to add an IP to the list, 'remove' to remove an IP from the list"),
                        optional("bantime", RpcArgType.NUM, "0", "time in seconds how long (or until when if [absolute] is set) the IP is banned (0 or empty means using the default time of 24h which can also be overwritten by the -bantime startup argument)"),
                        optional("absolute", RpcArgType.BOOL, "false", "If set, the bantime must be an absolute timestamp expressed in UNIX epoch time")),
                "Attempts to add or remove an IP from the banned list.", null, m::setban));
        registry.register(new RpcMethod("listbanned", CATEGORY, List.of(), "List all manually banned IPs.",
                "[ { address, ban_created, banned_until, ban_duration, time_remaining }, ... ]", m::listbanned));
        registry.register(new RpcMethod("clearbanned", CATEGORY, List.of(), "Clear all banned IPs.", null, c -> {
            m.connman().banMan().clearBanned();
            return null;
        }));
        registry.register(new RpcMethod("ping", CATEGORY, List.of(),
                "Requests that a ping be sent to all other nodes, to measure ping time.\nResults provided in "
                        + "getpeerinfo, pingtime and pingwait fields are decimal seconds.", null, c -> {
                            m.connman().peers().forEach(Peer::pingNow);
                            return null;
                        }));
        registry.register(new RpcMethod("setnetworkactive", CATEGORY,
                List.of(required("state", RpcArgType.BOOL, "true to enable networking, false to disable")),
                "Disable/enable all p2p network activity.", "true|false    (boolean) The value that was passed in",
                c -> {
                    boolean state = c.boolOr(0, true);
                    m.connman().setNetworkActive(state);
                    return RpcCall.json().booleanNode(state);
                }));
        registry.register(new RpcMethod("getnodeaddresses", CATEGORY,
                List.of(optional("count", RpcArgType.NUM, "1", "The maximum number of addresses to return. Specify 0 to return all known addresses."),
                        optional("network", RpcArgType.STR, "all networks", "Return only addresses of the specified network. Can be one of: ipv4, ipv6, onion, i2p, cjdns.")),
                "Return known addresses, after filtering for quality and recency.\nThese can potentially be used "
                        + "to find new peers in the network.\nThe total number of addresses known to the node may be "
                        + "higher.", "[ { time, services, address, port, network }, ... ]", m::getnodeaddresses));
    }

    private ConnectionManager connman() throws RpcException {
        try {
            return p2p.get().connectionManager();
        } catch (IllegalStateException e) {
            throw Args.error(RpcErrorCode.CLIENT_P2P_DISABLED,
                    "Error: Peer-to-peer functionality missing or disabled");
        }
    }

    static String networkName(NetworkId id) {
        return switch (id) {
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            case TORV2, TORV3 -> "onion";
            case I2P -> "i2p";
            case CJDNS -> "cjdns";
        };
    }

    static ArrayNode serviceNames(long services) {
        ArrayNode names = RpcCall.json().arrayNode();
        for (int bit = 0; bit < SERVICE_NAMES.length; bit++) {
            if ((services & (1L << bit)) != 0) {
                names.add(SERVICE_NAMES[bit] == null ? "UNKNOWN[" + (1L << bit) + "]" : SERVICE_NAMES[bit]);
            }
        }
        return names;
    }

    private static String connectionType(ConnectionType type) {
        return switch (type) {
            case INBOUND -> "inbound";
            case OUTBOUND_FULL_RELAY -> "outbound-full-relay";
            case BLOCK_RELAY -> "block-relay-only";
            case MANUAL -> "manual";
            case ADDR_FETCH -> "addr-fetch";
            case FEELER -> "feeler";
        };
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private JsonNode getpeerinfo(RpcCall call) throws RpcException {
        ConnectionManager cm = connman();
        ArrayNode out = RpcCall.json().arrayNode();
        for (Peer peer : cm.peers()) {
            ObjectNode o = out.addObject();
            Optional<VersionMessage> version = peer.remoteVersion();
            PeerSyncStats stats = p2p.get().syncStats(peer.id()).orElse(null);
            o.put("id", peer.id());
            o.put("addr", peer.address().toHostPort());
            o.put("network", networkName(peer.address().address().network()));
            o.put("services", String.format("%016x", peer.services()));
            o.set("servicesnames", serviceNames(peer.services()));
            o.put("relaytxes", version.map(VersionMessage::relay).orElse(false));
            o.put("lastsend", peer.lastSend().getEpochSecond());
            o.put("lastrecv", peer.lastReceive().getEpochSecond());
            o.put("last_transaction", peer.lastTxTime().map(Instant::getEpochSecond).orElse(0L));
            o.put("last_block", peer.lastBlockTime().map(Instant::getEpochSecond).orElse(0L));
            o.put("bytessent", peer.traffic().totalSent());
            o.put("bytesrecv", peer.traffic().totalReceived());
            o.put("conntime", peer.connectedAt().getEpochSecond());
            o.put("timeoffset", 0);
            peer.lastPing().ifPresent(d -> o.put("pingtime", seconds(d)));
            peer.minPing().ifPresent(d -> o.put("minping", seconds(d)));
            peer.pingWait().ifPresent(d -> o.put("pingwait", seconds(d)));
            o.put("version", version.map(VersionMessage::version).orElse(0));
            o.put("subver", peer.userAgent());
            o.put("inbound", peer.isInbound());
            o.put("bip152_hb_to", false);
            o.put("bip152_hb_from", false);
            o.put("startingheight", peer.startHeight());
            o.put("presynced_headers", -1);
            o.put("synced_headers", stats == null ? -1 : stats.syncedHeaders());
            o.put("synced_blocks", stats == null ? -1 : stats.syncedHeaders());
            ArrayNode inflight = o.putArray("inflight");
            if (stats != null) {
                stats.inFlight().forEach(inflight::add);
            }
            o.put("addr_relay_enabled", peer.addrRelay().relayEnabled());
            o.put("addr_processed", 0);
            o.put("addr_rate_limited", 0);
            o.putArray("permissions");
            // BIP133: the peer's feefilter is in sat/kvB; Core prints it as an amount, i.e. BTC/kvB.
            o.set("minfeefilter", RpcCall.amountValue(peer.features().feeFilter()));
            o.set("bytessent_per_msg", perMessage(peer.traffic().sentPerMessage()));
            o.set("bytesrecv_per_msg", perMessage(peer.traffic().receivedPerMessage()));
            o.put("connection_type", connectionType(peer.type()));
            o.put("transport_protocol_type", "v1");
            o.put("session_id", "");
        }
        return out;
    }

    private static ObjectNode perMessage(Map<String, Long> bytes) {
        ObjectNode o = RpcCall.json().objectNode();
        new java.util.TreeMap<>(bytes).forEach((k, v) -> {
            if (v > 0) {
                o.put(k, v);
            }
        });
        return o;
    }

    private JsonNode getnetworkinfo(RpcCall call) throws RpcException {
        ConnectionManager cm = connman();
        List<Peer> peers = cm.peers();
        long inbound = peers.stream().filter(Peer::isInbound).count();
        ObjectNode o = RpcCall.json().objectNode();
        o.put("version", CLIENT_VERSION);
        o.put("subversion", cm.config().userAgent());
        o.put("protocolversion", ProtocolVersions.PROTOCOL_VERSION);
        o.put("localservices", String.format("%016x", cm.config().services()));
        o.set("localservicesnames", serviceNames(cm.config().services()));
        o.put("localrelay", cm.config().relayTransactions());
        o.put("timeoffset", 0);
        o.put("networkactive", cm.isNetworkActive());
        o.put("connections", peers.size());
        o.put("connections_in", inbound);
        o.put("connections_out", peers.size() - inbound);
        ArrayNode networks = o.putArray("networks");
        for (String name : List.of("ipv4", "ipv6", "onion", "i2p", "cjdns")) {
            ObjectNode n = networks.addObject();
            boolean reachable = name.startsWith("ipv") && (cm.config().onlyNet().isEmpty()
                    || cm.config().onlyNet().contains(name.equals("ipv4") ? NetworkId.IPV4 : NetworkId.IPV6));
            n.put("name", name);
            n.put("limited", !reachable);
            n.put("reachable", reachable);
            n.put("proxy", "");
            n.put("proxy_randomize_credentials", false);
        }
        o.set("relayfee", RpcCall.amountValue(cm.config().feeFilterRate()));
        o.set("incrementalfee", RpcCall.amountValue(cm.config().feeFilterRate()));
        ArrayNode local = o.putArray("localaddresses");
        for (PeerAddress a : cm.config().externalAddresses()) {
            ObjectNode e = local.addObject();
            e.put("address", a.address().toHostString());
            e.put("port", a.port());
            e.put("score", 1);
        }
        o.putArray("warnings");
        return o;
    }

    private JsonNode getnettotals(RpcCall call) throws RpcException {
        ConnectionManager cm = connman();
        ObjectNode o = RpcCall.json().objectNode();
        o.put("totalbytesrecv", cm.totalBytesReceived());
        o.put("totalbytessent", cm.totalBytesSent());
        o.put("timemillis", System.currentTimeMillis());
        ObjectNode target = o.putObject("uploadtarget");
        target.put("timeframe", 86400);
        target.put("target", 0);
        target.put("target_reached", false);
        target.put("serve_historical_blocks", true);
        target.put("bytes_left_in_cycle", 0);
        target.put("time_left_in_cycle", 0);
        return o;
    }

    private JsonNode addnode(RpcCall call) throws RpcException {
        String node = call.string(0);
        String command = call.string(1);
        ConnectionManager cm = connman();
        switch (command) {
            case "add" -> {
                if (!cm.addNode(node)) {
                    throw Args.error(RpcErrorCode.CLIENT_NODE_ALREADY_ADDED, "Error: Node already added");
                }
            }
            case "remove" -> {
                if (!cm.removeNode(node)) {
                    throw Args.error(RpcErrorCode.CLIENT_NODE_NOT_ADDED,
                            "Error: Node could not be removed. It has not been added previously.");
                }
            }
            case "onetry" -> {
                PeerAddress target;
                try {
                    target = PeerAddress.parse(node, cm.config().network().defaultPort());
                } catch (IllegalArgumentException e) {
                    throw Args.error(RpcErrorCode.CLIENT_INVALID_IP_OR_SUBNET, "Error: Invalid address " + node);
                }
                cm.connect(target, ConnectionType.MANUAL);
            }
            default -> throw Args.error(RpcErrorCode.INVALID_PARAMETER,
                    "Invalid command '" + command + "': use add, remove or onetry");
        }
        return null;
    }

    private JsonNode disconnectnode(RpcCall call) throws RpcException {
        ConnectionManager cm = connman();
        boolean byAddress = !call.isNull(0) && !call.string(0).isEmpty();
        boolean byId = !call.isNull(1);
        if (byAddress == byId) {
            throw Args.error(RpcErrorCode.INVALID_PARAMS, "Only one of address and nodeid should be provided.");
        }
        boolean done;
        if (byAddress) {
            String address = call.string(0);
            Optional<Peer> peer = cm.peers().stream().filter(p -> p.address().toHostPort().equals(address)
                    || p.address().address().toHostString().equals(address)).findFirst();
            done = peer.isPresent() && cm.disconnect(peer.get().id(), "disconnectnode");
        } else {
            done = cm.disconnect(call.longOr(1, -1), "disconnectnode");
        }
        if (!done) {
            throw Args.error(RpcErrorCode.CLIENT_NODE_NOT_CONNECTED, "Node not found in connected nodes");
        }
        return null;
    }

    private JsonNode getaddednodeinfo(RpcCall call) throws RpcException {
        ConnectionManager cm = connman();
        List<String> added = cm.addedNodes();
        if (!call.isNull(0)) {
            String node = call.string(0);
            if (!added.contains(node)) {
                throw Args.error(RpcErrorCode.CLIENT_NODE_NOT_ADDED, "Error: Node has not been added.");
            }
            added = List.of(node);
        }
        ArrayNode out = RpcCall.json().arrayNode();
        for (String node : added) {
            ObjectNode o = out.addObject();
            o.put("addednode", node);
            Optional<Peer> connected = cm.peers().stream()
                    .filter(p -> p.type() == ConnectionType.MANUAL && matches(p, node, cm)).findFirst();
            o.put("connected", connected.isPresent());
            ArrayNode addresses = o.putArray("addresses");
            connected.ifPresent(p -> {
                ObjectNode a = addresses.addObject();
                a.put("address", p.address().toHostPort());
                a.put("connected", "outbound");
            });
        }
        return out;
    }

    private static boolean matches(Peer peer, String node, ConnectionManager cm) {
        try {
            PeerAddress target = PeerAddress.parse(node, cm.config().network().defaultPort());
            return target.toHostPort().equals(peer.address().toHostPort());
        } catch (IllegalArgumentException e) {
            return false; // a host name: resolved by the connector, not comparable here
        }
    }

    private JsonNode setban(RpcCall call) throws RpcException {
        String subnet = call.string(0);
        String command = call.string(1);
        if (!command.equals("add") && !command.equals("remove")) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Invalid command '" + command + "': use add or remove");
        }
        NetAddress address = parseBanAddress(subnet);
        BanMan bans = connman().banMan();
        if (command.equals("remove")) {
            if (!bans.unban(address)) {
                throw Args.error(RpcErrorCode.CLIENT_INVALID_IP_OR_SUBNET, "Error: Unban failed. Requested address/subnet was not previously manually banned.");
            }
            return null;
        }
        if (bans.isBanned(address)) {
            throw Args.error(RpcErrorCode.CLIENT_NODE_ALREADY_ADDED, "Error: IP/Subnet already banned");
        }
        long bantime = call.longOr(2, 0);
        boolean absolute = call.boolOr(3, false);
        long now = System.currentTimeMillis() / 1000;
        Duration duration;
        if (absolute) {
            if (bantime <= now) {
                throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Error: Absolute timestamp is in the past");
            }
            duration = Duration.ofSeconds(bantime - now);
        } else {
            duration = bantime > 0 ? Duration.ofSeconds(bantime) : connman().config().banTime();
        }
        bans.ban(address, duration, "manually added");
        for (Peer p : connman().peers()) {
            if (p.address().address().equals(address)) {
                p.disconnect("banned");
            }
        }
        return null;
    }

    /** A single address, optionally with the full-length netmask; wider subnets are not supported. */
    private static NetAddress parseBanAddress(String text) throws RpcException {
        String host = text;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            host = text.substring(0, slash);
            String mask = text.substring(slash + 1);
            boolean v6 = host.contains(":");
            if (!mask.equals(v6 ? "128" : "32") && !mask.equals(v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" : "255.255.255.255")) {
                throw Args.error(RpcErrorCode.CLIENT_INVALID_IP_OR_SUBNET,
                        "Error: Invalid IP/Subnet (only single addresses can be banned: /32 or /128)");
            }
        }
        try {
            return NetAddress.parseHost(host);
        } catch (IllegalArgumentException e) {
            throw Args.error(RpcErrorCode.CLIENT_INVALID_IP_OR_SUBNET, "Error: Invalid IP/Subnet");
        }
    }

    private JsonNode listbanned(RpcCall call) throws RpcException {
        ArrayNode out = RpcCall.json().arrayNode();
        long now = System.currentTimeMillis() / 1000;
        for (Map.Entry<NetAddress, BanMan.BanEntry> e : connman().banMan().banned().entrySet()) {
            ObjectNode o = out.addObject();
            NetAddress a = e.getKey();
            o.put("address", a.toHostString() + (a.network() == NetworkId.IPV4 ? "/32" : a.network() == NetworkId.IPV6 ? "/128" : ""));
            o.put("ban_created", e.getValue().created());
            o.put("banned_until", e.getValue().bannedUntil());
            o.put("ban_duration", e.getValue().bannedUntil() - e.getValue().created());
            o.put("time_remaining", Math.max(0, e.getValue().bannedUntil() - now));
        }
        return out;
    }

    private JsonNode getnodeaddresses(RpcCall call) throws RpcException {
        long count = call.longOr(0, 1);
        if (count < 0) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Address count out of range");
        }
        String network = call.isNull(1) ? null : call.string(1);
        if (network != null && !List.of("ipv4", "ipv6", "onion", "i2p", "cjdns").contains(network)) {
            throw Args.error(RpcErrorCode.INVALID_PARAMETER, "Network not recognized: " + network);
        }
        List<PeerAddress> addresses = connman().addrMan().getAddresses(count == 0 ? Integer.MAX_VALUE : (int) count,
                100, a -> network == null || networkName(a.address().network()).equals(network),
                System.currentTimeMillis() / 1000);
        ArrayNode out = RpcCall.json().arrayNode();
        for (PeerAddress a : addresses) {
            ObjectNode o = out.addObject();
            o.put("time", a.time());
            o.put("services", a.services());
            o.put("address", a.address().toHostString());
            o.put("port", a.port());
            o.put("network", networkName(a.address().network()));
        }
        return out;
    }
}
